// Package score turns an applicant's answers into a fit per level. It is
// pure and deterministic: the same role and answers always give the same
// result, and it knows nothing of HTTP or storage.
//
// The rules, as the result page explains them:
//   - A rated item (a skill, a trait, a language) scores
//     min(rating, expected) / expected. A skill's expected rating is 3
//     (Proficient) for a level's own items and one step higher per level
//     of inheritance, capped at 4 (Expert); a trait or a language expects
//     3 at every level, since inheriting it asks for no more of it.
//   - An experience item scores min(years / minimum, 1); a yes/no item
//     scores 1 for yes and 0 for no.
//   - A level's fit is the weighted mean of its required items' scores,
//     times 100, over the items the check asked. Bonus items are never in
//     the denominator, so they can only be reported as met.
//   - The verdict rule: a level's band comes from its fit (85 strong, 70
//     good, 50 partial), except that a level with a rated item two or more
//     steps below what it expects is capped at partial, whatever its fit.
//     The recommended level is the highest one whose band is good or
//     strong; when there is none, the best-fitting level is the closest.
//     One rule gives both, so a card and the verdict never disagree.
package score

import (
	"math"
	"sort"

	"github.com/rolefit/rolefit/internal/role"
)

// Mode is how much of a role the applicant was asked about.
type Mode string

// The modes of a check.
const (
	// Quick asks the requirements of every level.
	Quick Mode = "quick"
	// Full asks requirements and responsibilities.
	Full Mode = "full"
)

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return m == Quick || m == Full }

// Asks reports whether a check in this mode asks item e. The full
// assessment asks everything. The quick check asks the must-haves: the
// required (not bonus) requirements, and experience items wherever the
// page lists them, since years are a must-have even when a page puts them
// under responsibilities.
func (m Mode) Asks(e role.Effective) bool {
	if m == Full {
		return true
	}
	return !e.Bonus && (e.Section == role.Requirements || e.Kind == role.KindExperience)
}

// Count returns how many distinct items of r a check in this mode asks,
// across every level, the family lists and the specialties excluded.
func (m Mode) Count(r *role.Role) int {
	seen := map[string]bool{}
	for _, l := range r.Levels {
		for _, s := range role.Sections {
			for _, e := range r.EffectiveItems(l.Slug, s) {
				if m.Asks(e) {
					seen[e.ID] = true
				}
			}
		}
	}
	return len(seen)
}

// Rating scale bounds.
const (
	MinRating = 0
	MaxRating = 4
	// BaseExpectation is the rating expected for a level's own items.
	BaseExpectation = 3
	// CapSteps is how far below its expectation a rated item must be to
	// cap a level's band at partial: two steps, such as Aware (1) where
	// Proficient (3) is expected.
	CapSteps = 2
)

// Answers maps an item id to its answer: a rating 0–4 for a skill, a number
// of years for experience, 1 (yes) or 0 (no) for a fact.
type Answers map[string]float64

// Band names a range of fit.
type Band string

// The bands, best first.
const (
	Strong  Band = "strong"
	Good    Band = "good"
	Partial Band = "partial"
	NotYet  Band = "not-yet"
)

// BandOf returns the band of a fit in [0, 100].
func BandOf(fit float64) Band {
	switch {
	case fit >= 85:
		return Strong
	case fit >= 70:
		return Good
	case fit >= 50:
		return Partial
	}
	return NotYet
}

// Label is the band as shown to people.
func (b Band) Label() string {
	switch b {
	case Strong:
		return "Strong fit"
	case Good:
		return "Good fit"
	case Partial:
		return "Partial fit"
	}
	return "Not yet"
}

// Good reports whether the band is a fit: good or strong.
func (b Band) Good() bool { return b == Strong || b == Good }

// ItemResult is one item scored for one level.
type ItemResult struct {
	role.Effective
	// Expected is the bar: a rating for skills, years for experience, 1
	// for facts.
	Expected float64
	Given    float64
	Answered bool
	// Score is in [0, 1].
	Score float64
	// Gap is how far below the bar the answer is, in rating steps times
	// weight; for experience and facts the shortfall is scaled to the
	// base expectation so that gaps of all kinds sort together.
	Gap float64
}

// Met reports whether the answer reaches the bar.
func (r ItemResult) Met() bool { return r.Answered && r.Score >= 1 }

// Short reports whether a rated item is CapSteps or more below its
// expectation (an unanswered one counts as rated 0).
func (r ItemResult) Short() bool {
	given := r.Given
	if !r.Answered {
		given = 0
	}
	return r.Kind.Rated() && r.Expected-given >= CapSteps
}

// Percent is the fit as a whole percentage, rounded down so that a page
// never shows a band's threshold that the fit has not reached (69.9 % is a
// partial fit and shows as 69 %, not 70 %).
func (l LevelFit) Percent() int {
	return int(math.Floor(l.Fit + 1e-9))
}

// Tally counts items and how many of them are met.
type Tally struct{ Total, Met int }

// LevelFit is the outcome for one level.
type LevelFit struct {
	Slug, Title string
	// Assessed is false when the check asked no required item of this
	// level (for instance a quick check of a level with no requirements).
	Assessed bool
	Fit      float64
	// Band is the level's band under the verdict rule: FitBand, capped at
	// partial when Capped lists any item.
	Band Band
	// FitBand is the band the fit alone would give.
	FitBand Band
	// Capped are the required rated items CapSteps or more below the
	// level's expectation, in page order; any one caps the band.
	Capped []ItemResult
	// Own and Inherited split the required items by where they come from.
	Own, Inherited Tally
	Items          []ItemResult
	// Gaps are the required items below the bar: rated and experience
	// items by size, largest first, then the yes/no items answered no.
	Gaps []ItemResult
	// BonusMet are the optional items the answers reach.
	BonusMet []ItemResult
}

// IsCapped reports whether the verdict rule lowered the level's band.
func (l LevelFit) IsCapped() bool { return l.Band != l.FitBand }

// Result is the outcome of a whole check.
type Result struct {
	Mode   Mode
	Levels []LevelFit
	// Recommended is the slug of the recommended level: the highest whose
	// Band is good or strong. Closest is set when no band is, and
	// Recommended is then only the best-fitting level.
	Recommended string
	Closest     bool
	// Strengths are required items answered at or above their bar at the
	// recommended level, highest rating first.
	Strengths []ItemResult
}

// Level returns the fit for slug, or nil.
func (r *Result) Level(slug string) *LevelFit {
	for i := range r.Levels {
		if r.Levels[i].Slug == slug {
			return &r.Levels[i]
		}
	}
	return nil
}

// Fits returns the fit of every assessed level by slug.
func (r *Result) Fits() map[string]float64 {
	out := make(map[string]float64, len(r.Levels))
	for _, l := range r.Levels {
		if l.Assessed {
			out[l.Slug] = l.Fit
		}
	}
	return out
}

// Expected returns the rating a level expects of a rated item of kind k
// at the given depth of inheritance: a skill is expected at a higher
// mastery per level of inheritance, a trait or a language is not.
func Expected(k role.Kind, depth int) float64 {
	if k != role.KindSkill {
		depth = 0
	}
	return math.Min(float64(BaseExpectation+depth), MaxRating)
}

// Item scores one item for a level.
func Item(e role.Effective, a Answers) ItemResult {
	r := ItemResult{Effective: e}
	r.Given, r.Answered = a[e.ID]
	given := r.Given
	if math.IsNaN(given) || given < 0 {
		given = 0
	}
	switch e.Kind {
	case role.KindExperience:
		r.Expected = e.MinYears
		if r.Expected > 0 {
			r.Score = math.Min(given/r.Expected, 1)
		} else {
			r.Score = 1
		}
		r.Gap = (1 - r.Score) * BaseExpectation * e.W()
	case role.KindFact:
		r.Expected = 1
		if given >= 1 {
			r.Score = 1
		}
		r.Gap = (1 - r.Score) * BaseExpectation * e.W()
	default:
		r.Expected = Expected(e.Kind, e.Depth)
		if e.Expect > 0 {
			r.Expected = math.Min(e.Expect, MaxRating)
		}
		given = math.Min(given, MaxRating)
		r.Score = math.Min(given, r.Expected) / r.Expected
		r.Gap = (r.Expected - math.Min(given, r.Expected)) * e.W()
	}
	if !r.Answered {
		r.Score, r.Gap = 0, r.Expected*e.W()
		if !e.Kind.Rated() {
			r.Gap = BaseExpectation * e.W()
		}
	}
	return r
}

// Score computes the fit of every level of r for the answers given in a
// check of the given mode.
func Score(r *role.Role, mode Mode, a Answers) Result {
	res := Result{Mode: mode}
	for _, l := range Ladder(r) {
		res.Levels = append(res.Levels, scoreLevel(r, l, mode, a))
	}
	recommend(&res)
	return res
}

func scoreLevel(r *role.Role, l *role.Level, mode Mode, a Answers) LevelFit {
	lf := LevelFit{Slug: l.Slug, Title: l.Title}
	var sum, weights float64
	for _, s := range role.Sections {
		for _, e := range r.EffectiveItems(l.Slug, s) {
			if !mode.Asks(e) {
				continue
			}
			ir := Item(e, a)
			lf.Items = append(lf.Items, ir)
			if e.Bonus {
				if ir.Met() {
					lf.BonusMet = append(lf.BonusMet, ir)
				}
				continue
			}
			sum += ir.Score * e.W()
			weights += e.W()
			t := &lf.Own
			if e.Inherited() {
				t = &lf.Inherited
			}
			t.Total++
			if ir.Met() {
				t.Met++
			} else {
				lf.Gaps = append(lf.Gaps, ir)
			}
			if ir.Short() {
				lf.Capped = append(lf.Capped, ir)
			}
		}
	}
	if weights > 0 {
		lf.Assessed = true
		lf.Fit = math.Max(0, math.Min(100, 100*sum/weights))
	}
	lf.FitBand = BandOf(lf.Fit)
	lf.Band = lf.FitBand
	if len(lf.Capped) > 0 && lf.Band.Good() {
		lf.Band = Partial
	}
	sortGaps(lf.Gaps)
	return lf
}

// sortGaps orders gaps largest first, with the yes/no items after every
// rated and experience item. A "no" loses its whole weight at once, so by
// size alone a logistics statement ("excited about all-remote work")
// would lead the list above a core skill two steps short; it still counts
// in the fit as the role weighs it, but a rated gap says more about what
// to work on.
func sortGaps(gaps []ItemResult) {
	sort.SliceStable(gaps, func(i, j int) bool {
		fi, fj := gaps[i].Kind == role.KindFact, gaps[j].Kind == role.KindFact
		if fi != fj {
			return fj
		}
		return gaps[i].Gap > gaps[j].Gap
	})
}

func recommend(res *Result) {
	best := -1
	for i := len(res.Levels) - 1; i >= 0; i-- {
		l := res.Levels[i]
		if l.Assessed && l.Band.Good() {
			res.Recommended = l.Slug
			best = i
			break
		}
	}
	if best < 0 {
		res.Closest = true
		for i, l := range res.Levels {
			if l.Assessed && (best < 0 || l.Fit > res.Levels[best].Fit) {
				best = i
			}
		}
		if best < 0 {
			return
		}
		res.Recommended = res.Levels[best].Slug
	}
	for _, ir := range res.Levels[best].Items {
		if !ir.Bonus && ir.Met() {
			res.Strengths = append(res.Strengths, ir)
		}
	}
	sort.SliceStable(res.Strengths, func(i, j int) bool {
		return res.Strengths[i].Given/res.Strengths[i].Expected > res.Strengths[j].Given/res.Strengths[j].Expected
	})
}

// Ladder returns the levels from lowest to highest: by job grade when every
// level states one, else in page order; a level always comes after the
// level it extends.
func Ladder(r *role.Role) []*role.Level {
	out := make([]*role.Level, len(r.Levels))
	graded := true
	for i := range r.Levels {
		out[i] = &r.Levels[i]
		graded = graded && r.Levels[i].Grade != nil
	}
	if graded {
		sort.SliceStable(out, func(i, j int) bool { return *out[i].Grade < *out[j].Grade })
	}
	// Ancestors first: move a level after its parent when the grades or the
	// page put it before.
	pos := func(slug string) int {
		for i, l := range out {
			if l.Slug == slug {
				return i
			}
		}
		return -1
	}
	// The bound stops a cycle of extends from looping.
	for moved, rounds := true, 0; moved && rounds < len(out)*len(out); rounds++ {
		moved = false
		for i, l := range out {
			if p := pos(l.Extends); p > i {
				out = append(out[:i], out[i+1:]...)
				out = append(out[:p], append([]*role.Level{l}, out[p:]...)...)
				moved = true
				break
			}
		}
	}
	return out
}
