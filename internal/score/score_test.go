package score_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

// reference is the reference role as the importer reads it.
func reference(t testing.TB) *role.Role {
	t.Helper()
	res, err := jobfamily.Parse(db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		t.Fatalf("parse reference role: %v", err)
	}
	return &res.Role
}

// skillOnly is a small role of skills only: lead extends mid, which
// extends junior, with one bonus item and one weighted item.
func skillOnly() *role.Role {
	it := func(text string) role.Item { return role.Item{ID: role.ItemID(text), Text: text, Kind: role.KindSkill} }
	bonus := it("Bonus: speaks at conferences")
	bonus.Bonus = true
	heavy := it("Designs systems")
	heavy.Weight = 3
	return &role.Role{Slug: "eng", Title: "Engineer", Levels: []role.Level{
		{Slug: "junior", Title: "Junior", Requirements: []role.Item{it("Writes code"), it("Reviews code"), bonus},
			Responsibilities: []role.Item{it("Fixes bugs")}},
		{Slug: "mid", Title: "Mid", Extends: "junior", Requirements: []role.Item{heavy}, Responsibilities: []role.Item{it("Plans work")}},
		{Slug: "lead", Title: "Lead", Extends: "mid", Requirements: []role.Item{it("Leads a team")}},
	}}
}

// items returns every item of r that a check in mode asks, once.
func items(r *role.Role, mode score.Mode) []role.Effective {
	seen := map[string]bool{}
	var out []role.Effective
	for _, l := range score.Ladder(r) {
		for _, s := range role.Sections {
			for _, e := range r.EffectiveItems(l.Slug, s) {
				if mode.Asks(e) && !seen[e.ID] {
					seen[e.ID] = true
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// uniform answers every item: skills with rating, experience with years,
// facts with yes (1) or no (0).
func uniform(r *role.Role, mode score.Mode, rating, years, fact float64) score.Answers {
	a := score.Answers{}
	for _, e := range items(r, mode) {
		switch e.Kind {
		case role.KindExperience:
			a[e.ID] = years
		case role.KindFact:
			a[e.ID] = fact
		default:
			a[e.ID] = rating
		}
	}
	return a
}

func TestScore_Table(t *testing.T) {
	ref := reference(t)
	eng := skillOnly()
	tests := []struct {
		name     string
		role     *role.Role
		mode     score.Mode
		answers  score.Answers
		wantFits map[string]float64
		wantRec  string
		closest  bool
	}{
		{"ReferenceQuickExpert", ref, score.Quick, uniform(ref, score.Quick, 4, 60, 1),
			map[string]float64{"intermediate": 100, "senior": 100}, "senior", false},
		{"ReferenceFullExpert", ref, score.Full, uniform(ref, score.Full, 4, 60, 1),
			map[string]float64{"intermediate": 100, "senior": 100}, "senior", false},
		{"ReferenceFullZero", ref, score.Full, uniform(ref, score.Full, 0, 0, 0),
			map[string]float64{"intermediate": 0, "senior": 0}, "intermediate", true},
		{"ReferenceQuickNothingAnswered", ref, score.Quick, score.Answers{},
			map[string]float64{"intermediate": 0, "senior": 0}, "intermediate", true},
		{"SkillOnlyExpert", eng, score.Full, uniform(eng, score.Full, 4, 0, 0),
			map[string]float64{"junior": 100, "mid": 100, "lead": 100}, "lead", false},
		{"SkillOnlyZero", eng, score.Full, uniform(eng, score.Full, 0, 0, 0),
			map[string]float64{"junior": 0, "mid": 0, "lead": 0}, "junior", true},
		// Proficient everywhere meets a level's own bar (3) but not the bar
		// of work carried over from below (4): junior 100; mid has 2 own
		// items (weight 3 + 1) at 1 and 3 inherited at 3/4, so
		// (3 + 1 + 3×0.75) / (4 + 3) = 6.25/7 = 89.29; lead has 1 own item
		// at 1, mid's (weight 4) at 3/4 and junior's 3 at 3/4 (capped at
		// Expert), so (1 + 4×0.75 + 3×0.75) / 8 = 6.25/8 = 78.125.
		{"SkillOnlyProficient", eng, score.Full, uniform(eng, score.Full, 3, 0, 0),
			map[string]float64{"junior": 100, "mid": 6.25 / 7 * 100, "lead": 78.125}, "lead", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := score.Score(tt.role, tt.mode, tt.answers)
			got := res.Fits()
			if len(got) != len(tt.wantFits) {
				t.Fatalf("fits %v, want %v", got, tt.wantFits)
			}
			for slug, want := range tt.wantFits {
				if math.Abs(got[slug]-want) > 1e-9 {
					t.Errorf("%s: fit %.4f, want %.4f", slug, got[slug], want)
				}
			}
			if res.Recommended != tt.wantRec || res.Closest != tt.closest {
				t.Errorf("recommended %q (closest %v), want %q (closest %v)", res.Recommended, res.Closest, tt.wantRec, tt.closest)
			}
		})
	}
}

// TestScore_MixedByHand works one full assessment of the reference role
// through by hand.
//
// Answers: intermediate requirements rated 2 (Practised, or its trait and
// language equivalents), the values fact "no" and the remote fact "yes";
// intermediate responsibilities rated 3 and 1 year of experience against
// a minimum of 2; every senior item rated 2; bonus items 4.
//
// Intermediate (all its own items, expected 3):
//
//	8 rated requirements at 2/3 = 5.333, facts 1 + 0 = 1,
//	20 responsibilities at 3/3 = 20, experience 1/2 = 0.5
//	→ 26.8333 / 31 = 86.56 % (strong; the bonus items are not counted).
//
// Senior (own items expected 3; intermediate's skills expected 4, its
// traits and its language still 3):
//
//	3 own requirements at 2/3 = 2, 9 own responsibilities at 2/3 = 6,
//	5 inherited skill requirements at 2/4 = 2.5, 2 traits and 1 language
//	at 2/3 = 2, facts 1 + 0 = 1, 19 inherited skill responsibilities at
//	3/4 = 14.25, 1 trait at 3/3 = 1, experience 1/2 = 0.5
//	→ 29.25 / 43 = 68.02 % (partial).
//
// Intermediate is a good fit or better and nothing there is two steps
// short, so it is recommended; senior is below 70 % and its inherited
// skill requirements are two steps short anyway.
func TestScore_MixedByHand(t *testing.T) {
	ref := reference(t)
	a := score.Answers{}
	for _, e := range items(ref, score.Full) {
		switch {
		case e.Bonus:
			a[e.ID] = 4
		case e.Kind == role.KindFact && e.Text[:9] == "You share":
			a[e.ID] = 0
		case e.Kind == role.KindFact:
			a[e.ID] = 1
		case e.Kind == role.KindExperience:
			a[e.ID] = 1
		case e.Owner == "intermediate" && e.Section == role.Responsibilities:
			a[e.ID] = 3
		default:
			a[e.ID] = 2
		}
	}
	res := score.Score(ref, score.Full, a)
	inter, senior := res.Level("intermediate"), res.Level("senior")
	if want := 26.8333333333 / 31 * 100; math.Abs(inter.Fit-want) > 1e-6 {
		t.Errorf("intermediate fit %.4f, want %.4f", inter.Fit, want)
	}
	if want := 29.25 / 43 * 100; math.Abs(senior.Fit-want) > 1e-6 {
		t.Errorf("senior fit %.4f, want %.4f", senior.Fit, want)
	}
	if inter.Band != score.Strong || senior.Band != score.Partial {
		t.Errorf("bands %s, %s", inter.Band, senior.Band)
	}
	if res.Recommended != "intermediate" || res.Closest {
		t.Errorf("recommended %q closest %v", res.Recommended, res.Closest)
	}
	if inter.Own != (score.Tally{Total: 31, Met: 21}) || inter.Inherited.Total != 0 {
		t.Errorf("intermediate tallies %+v %+v", inter.Own, inter.Inherited)
	}
	if senior.Own != (score.Tally{Total: 12, Met: 0}) || senior.Inherited != (score.Tally{Total: 31, Met: 2}) {
		t.Errorf("senior tallies %+v %+v", senior.Own, senior.Inherited)
	}
	if len(inter.BonusMet) != 2 {
		t.Errorf("%d bonus items met, want 2", len(inter.BonusMet))
	}
	// Gaps, largest first: the experience half met (1.5), then the rated
	// items one step short (1 each), and the "no" fact last, though its
	// shortfall (3) is the largest.
	g := inter.Gaps
	if len(g) != 10 || g[0].Kind != role.KindExperience || g[1].Gap != 1 || g[9].Kind != role.KindFact {
		t.Errorf("intermediate gaps: %d, first %s, second gap %v, last %s", len(g), g[0].Kind, g[1].Gap, g[9].Kind)
	}
	checkGapOrder(t, senior.Gaps)
}

// checkGapOrder fails unless gaps are largest first with the yes/no
// items after all others.
func checkGapOrder(t *testing.T, gaps []score.ItemResult) {
	t.Helper()
	for i := 1; i < len(gaps); i++ {
		prev, cur := gaps[i-1], gaps[i]
		prevFact, curFact := prev.Kind == role.KindFact, cur.Kind == role.KindFact
		if (prevFact && !curFact) || (prevFact == curFact && cur.Gap > prev.Gap) {
			t.Fatalf("gaps out of order at %d: %s %v after %s %v", i, cur.Kind, cur.Gap, prev.Kind, prev.Gap)
		}
	}
}

// randomAnswers answers a random subset of the items with random values,
// some of them out of range, as a tampered form could not but a bug might.
func randomAnswers(rng *rand.Rand, its []role.Effective) score.Answers {
	a := score.Answers{}
	for _, e := range its {
		if rng.IntN(8) == 0 {
			continue
		}
		switch e.Kind {
		case role.KindExperience:
			a[e.ID] = rng.Float64() * 12
		case role.KindFact:
			a[e.ID] = float64(rng.IntN(2))
		default:
			a[e.ID] = float64(rng.IntN(7) - 1) // -1 … 5
		}
	}
	return a
}

func TestScore_Properties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	roles := []*role.Role{reference(t), skillOnly()}
	for _, r := range roles {
		for _, mode := range []score.Mode{score.Quick, score.Full} {
			its := items(r, mode)
			for n := 0; n < 300; n++ {
				a := randomAnswers(rng, its)
				base := score.Score(r, mode, a)
				for _, l := range base.Levels {
					if l.Fit < 0 || l.Fit > 100 || math.IsNaN(l.Fit) {
						t.Fatalf("%s %s: fit %v out of [0, 100] for %v", r.Slug, mode, l.Fit, a)
					}
				}
				// Raising one answer never lowers any level's fit.
				e := its[rng.IntN(len(its))]
				up := score.Answers{}
				for k, v := range a {
					up[k] = v
				}
				switch e.Kind {
				case role.KindExperience:
					up[e.ID] = a[e.ID] + rng.Float64()*5
				case role.KindFact:
					up[e.ID] = 1
				default:
					up[e.ID] = math.Max(a[e.ID], math.Min(a[e.ID]+float64(1+rng.IntN(4)), 4))
				}
				raised := score.Score(r, mode, up)
				for i, l := range raised.Levels {
					if l.Fit < base.Levels[i].Fit-1e-9 {
						t.Fatalf("%s %s: raising %s from %v to %v lowered %s from %v to %v",
							r.Slug, mode, e.ID, a[e.ID], up[e.ID], l.Slug, base.Levels[i].Fit, l.Fit)
					}
				}
				// Bonus answers, whatever they are, never lower a fit
				// compared with leaving the bonus items unanswered.
				without := score.Answers{}
				for _, it := range its {
					if v, ok := a[it.ID]; ok && !it.Bonus {
						without[it.ID] = v
					}
				}
				plain := score.Score(r, mode, without)
				for i, l := range base.Levels {
					if l.Fit < plain.Levels[i].Fit-1e-9 {
						t.Fatalf("%s %s: bonus answers lowered %s from %v to %v", r.Slug, mode, l.Slug, plain.Levels[i].Fit, l.Fit)
					}
				}
			}
		}
	}
}

func TestLadder(t *testing.T) {
	r := skillOnly()
	// Page order reversed: a level still comes after the level it extends.
	r.Levels[0], r.Levels[2] = r.Levels[2], r.Levels[0]
	var got []string
	for _, l := range score.Ladder(r) {
		got = append(got, l.Slug)
	}
	if want := []string{"junior", "mid", "lead"}; len(got) != 3 || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Errorf("ladder %v, want %v", got, want)
	}
}

func TestLevelFit_Percent(t *testing.T) {
	for _, tc := range []struct {
		name string
		fit  float64
		want int
		band score.Band
	}{
		{"JustBelowGood", 69.96, 69, score.Partial},
		{"Good", 70, 70, score.Good},
		{"All", 100, 100, score.Strong},
		{"None", 0, 0, score.NotYet},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := score.LevelFit{Fit: tc.fit, Band: score.BandOf(tc.fit)}
			if l.Percent() != tc.want || l.Band != tc.band {
				t.Errorf("fit %v shows %d %% (%s), want %d %% (%s)", tc.fit, l.Percent(), l.Band, tc.want, tc.band)
			}
		})
	}
}

// mixedKinds is a role with every kind of item: a rated skill, trait and
// language, years, and a yes/no fact, over two levels.
func mixedKinds() *role.Role {
	it := func(text string, k role.Kind) role.Item { return role.Item{ID: role.ItemID(text), Text: text, Kind: k} }
	years := it("Two years of SQL", role.KindExperience)
	years.MinYears = 2
	return &role.Role{Slug: "mix", Title: "Mixed", Levels: []role.Level{
		{Slug: "one", Title: "One", Requirements: []role.Item{it("Writes SQL", role.KindSkill), it("Curious", role.KindTrait),
			it("Fluent in English", role.KindLanguage), it("Right to work", role.KindFact)},
			Responsibilities: []role.Item{years, it("Tunes queries", role.KindSkill)}},
		{Slug: "two", Title: "Two", Extends: "one", Requirements: []role.Item{it("Designs schemas", role.KindSkill), it("Team player", role.KindTrait)}},
	}}
}

// TestScore_VerdictRule holds the one rule behind every band and the
// verdict on random answers: a band is the fit's, lowered to partial
// exactly when a rated item is two or more steps short; the verdict is a
// fit exactly when some band is good or strong, and then names the
// highest such level; otherwise it names the best-fitting level.
func TestScore_VerdictRule(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, r := range []*role.Role{reference(t), skillOnly(), mixedKinds()} {
		for _, mode := range []score.Mode{score.Quick, score.Full} {
			its := items(r, mode)
			for n := 0; n < 500; n++ {
				res := score.Score(r, mode, randomAnswers(rng, its))
				highestGood, bestFit := -1, -1
				for i, l := range res.Levels {
					short := false
					for _, ir := range l.Items {
						if !ir.Bonus && ir.Kind.Rated() && ir.Expected-ir.Given >= 2 {
							short = true
						}
					}
					want := score.BandOf(l.Fit)
					if short && want.Good() {
						want = score.Partial
					}
					if l.Band != want || (len(l.Capped) > 0) != short {
						t.Fatalf("%s %s: level %s fit %.1f band %s (capped by %d), want %s", r.Slug, mode, l.Slug, l.Fit, l.Band, len(l.Capped), want)
					}
					if l.Band.Good() {
						highestGood = i
					}
					if bestFit < 0 || l.Fit > res.Levels[bestFit].Fit {
						bestFit = i
					}
				}
				switch {
				case highestGood >= 0 && (res.Closest || res.Recommended != res.Levels[highestGood].Slug):
					t.Fatalf("%s %s: %s is the highest good level, verdict %q closest %v", r.Slug, mode, res.Levels[highestGood].Slug, res.Recommended, res.Closest)
				case highestGood < 0 && (!res.Closest || res.Recommended != res.Levels[bestFit].Slug):
					t.Fatalf("%s %s: no good level, verdict %q closest %v, best fit %s", r.Slug, mode, res.Recommended, res.Closest, res.Levels[bestFit].Slug)
				}
				for _, l := range res.Levels {
					checkGapOrder(t, l.Gaps)
				}
			}
		}
	}
}

// TestScore_CappedBand is the case the verdict rule exists for: a fit
// above 70 % with a rated item two steps short is a partial fit, and the
// item is named as the reason.
func TestScore_CappedBand(t *testing.T) {
	r := mixedKinds()
	a := uniform(r, score.Full, 4, 5, 1)
	a[role.ItemID("Curious")] = 1 // two steps below Agree (3)
	res := score.Score(r, score.Full, a)
	one := res.Level("one")
	if one.Fit < 85 || one.FitBand != score.Strong || one.Band != score.Partial || !one.IsCapped() {
		t.Fatalf("level one: fit %.1f, fit band %s, band %s", one.Fit, one.FitBand, one.Band)
	}
	if len(one.Capped) != 1 || one.Capped[0].Text != "Curious" {
		t.Errorf("capped by %v, want the trait Curious", one.Capped)
	}
	// Level two inherits the same short trait, so no level is a fit; two
	// has more items met, so it fits best and is the closest.
	if two := res.Level("two"); two.Band != score.Partial || res.Recommended != "two" || !res.Closest {
		t.Errorf("verdict %q closest %v (level two %s), want the closest level two", res.Recommended, res.Closest, two.Band)
	}
	// A trait is expected at Agree (3) at every level: inheriting it
	// asks no more of it, unlike a skill.
	for _, ir := range res.Level("two").Items {
		if ir.Text == "Curious" && ir.Expected != 3 {
			t.Errorf("inherited trait expected %v, want 3", ir.Expected)
		}
		if ir.Text == "Writes SQL" && ir.Expected != 4 {
			t.Errorf("inherited skill expected %v, want 4", ir.Expected)
		}
	}
}

func TestMode_Asks(t *testing.T) {
	r := mixedKinds()
	years := r.EffectiveItems("one", role.Responsibilities)[0]
	tunes := r.EffectiveItems("one", role.Responsibilities)[1]
	bonus := role.Effective{Item: role.Item{ID: "b", Text: "Bonus: Go", Kind: role.KindSkill, Bonus: true}, Section: role.Requirements}
	tests := []struct {
		name string
		mode score.Mode
		e    role.Effective
		want bool
	}{
		{"QuickAsksYearsUnderResponsibilities", score.Quick, years, true},
		{"QuickSkipsOtherResponsibilities", score.Quick, tunes, false},
		{"QuickSkipsBonus", score.Quick, bonus, false},
		{"FullAsksBonus", score.Full, bonus, true},
		{"FullAsksResponsibilities", score.Full, tunes, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.mode.Asks(tt.e); got != tt.want {
				t.Errorf("Asks = %v, want %v", got, tt.want)
			}
		})
	}
	if n := score.Quick.Count(r); n != 7 {
		t.Errorf("quick check of the mixed role asks %d items, want 7", n)
	}
}

// An admin's expected rating for an item at a level replaces the rule by
// depth there, and only there.
func TestItem_AdminExpectation(t *testing.T) {
	it := role.Item{ID: "sql", Text: "SQL", Kind: role.KindSkill}
	a := score.Answers{"sql": 2}
	for _, tc := range []struct {
		name         string
		expect       float64
		wantExpected float64
		wantScore    float64
	}{
		{"Rule", 0, 3, 2.0 / 3},
		{"Lower", 2, 2, 1},
		{"AboveScale", 9, 4, 0.5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := score.Item(role.Effective{Item: it, Section: role.Requirements, Expect: tc.expect}, a)
			if r.Expected != tc.wantExpected || math.Abs(r.Score-tc.wantScore) > 1e-9 {
				t.Errorf("expected %v score %v, want %v and %v", r.Expected, r.Score, tc.wantExpected, tc.wantScore)
			}
		})
	}
}
