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
		for _, s := range mode.Sections() {
			for _, e := range r.EffectiveItems(l.Slug, s) {
				if !seen[e.ID] {
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
// Answers: intermediate requirements rated Practised (2), the values fact
// "no" and the remote fact "yes"; intermediate responsibilities rated
// Proficient (3) and 1 year of experience against a minimum of 2; every
// senior item rated Practised (2); bonus items Expert (4).
//
// Intermediate (all its own items, expected 3):
//
//	8 requirements at 2/3 = 5.333, facts 1 + 0 = 1,
//	20 responsibilities at 3/3 = 20, experience 1/2 = 0.5
//	→ 26.8333 / 31 = 86.56 % (strong; the bonus items are not counted).
//
// Senior (own items expected 3, intermediate's expected 4):
//
//	3 own requirements at 2/3 = 2, 9 own responsibilities at 2/3 = 6,
//	8 inherited requirements at 2/4 = 4, facts 1 + 0 = 1,
//	20 inherited responsibilities at 3/4 = 15, experience 1/2 = 0.5
//	→ 28.5 / 43 = 66.28 % (partial).
//
// Intermediate is a good fit or better and nothing there is two steps
// short, so it is recommended; senior is below 70 % and its inherited
// requirements are two steps short anyway.
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
	if want := 28.5 / 43 * 100; math.Abs(senior.Fit-want) > 1e-6 {
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
	if senior.Own != (score.Tally{Total: 12, Met: 0}) || senior.Inherited != (score.Tally{Total: 31, Met: 1}) {
		t.Errorf("senior tallies %+v %+v", senior.Own, senior.Inherited)
	}
	if len(inter.BonusMet) != 2 {
		t.Errorf("%d bonus items met, want 2", len(inter.BonusMet))
	}
	// Gaps, largest first: the "no" fact (its whole shortfall, scaled to
	// 3 steps), then the experience half met (1.5), then the skills one
	// step short (1 each).
	if g := inter.Gaps; len(g) != 10 || g[0].Kind != role.KindFact || g[1].Kind != role.KindExperience || g[2].Gap != 1 {
		t.Errorf("intermediate gaps: %d, first %s, second %s", len(g), g[0].Kind, g[1].Kind)
	}
	for i := 1; i < len(senior.Gaps); i++ {
		if senior.Gaps[i].Gap > senior.Gaps[i-1].Gap {
			t.Fatalf("senior gaps out of order at %d", i)
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
