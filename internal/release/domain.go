package release

import (
	"math"
	"slices"
	"strconv"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

// The released metrics. The counter metrics keep their names (see
// db/migrations/0004_counters.sql); Answers is the number of answers to an
// item, released as its own cell so that a share has a base with the
// noise of one cell, not of its whole spread.
const (
	Started     = "started"
	Step        = "step"
	Completed   = "completed"
	Apply       = "apply"
	Answer      = "answer"
	Answers     = "answers"
	Fit         = "fit"
	Recommended = "recommended"
	// The widget's funnel per embedding site, keyed by host. They are
	// released in the widget's slices only, never the whole role's, so a
	// widget applicant adds one cell per stage, not two.
	HostStarted   = "host_started"
	HostCompleted = "host_completed"
	HostApply     = "host_apply"
)

// OtherHost is the key of every embedding site not on the allow-list.
const OtherHost = "other"

// HostMetrics are the per-host stages, in funnel order.
var HostMetrics = []string{HostStarted, HostCompleted, HostApply}

// hostCells lists a widget slice's per-host cells: one per stage for each
// allow-listed host and for "other". Which hosts have cells comes from the
// configuration, never from the counts.
func hostCells(hosts []string, add func(Cell)) {
	keys := append(slices.Sorted(slices.Values(hosts)), OtherHost)
	for i, h := range keys {
		if i > 0 && h == keys[i-1] || h == OtherHost && i < len(keys)-1 {
			continue
		}
		for _, m := range HostMetrics {
			add(Cell{Metric: m, Key: h})
		}
	}
}

func isHostMetric(m string) bool { return slices.Contains(HostMetrics, m) }

// FitBands is the number of 10-point bands of a level's fit histogram.
const FitBands = 10

// RatingTop is the highest rating; ratings of RatingMeets and above meet
// the expectation.
const (
	RatingTop   = 4
	RatingMeets = 3
)

// Slice is the group a released cell counts: one version, channel and
// check, or (the zero Slice) the whole role.
type Slice struct {
	VersionID int64
	Channel   string // "site" or "embed"; "" for the whole role
	Mode      string // "quick" or "full"; "" for the whole role
}

// Whole reports whether s is the whole role.
func (s Slice) Whole() bool { return s.Channel == "" }

// Check is one way to take a check: a channel and a mode. The widget runs
// the quick check only.
type Check struct{ Channel, Mode string }

// Checks lists the ways to take a check, in the order the funnels are shown.
var Checks = []Check{{"site", string(score.Quick)}, {"site", string(score.Full)}, {"embed", string(score.Quick)}}

// Cell is one released count within a slice. For Answer, Bucket is the
// answer's released bucket: a rating 0–4, or for years and yes/no items
// 0 (below the bar, no) and 1 (at or above the bar, yes).
type Cell struct {
	Metric string
	Key    string
	Bucket int
}

// shape is what one version of a role can count: the domain of its cells.
type shape struct {
	items  map[string]role.Item
	levels []string
	steps  map[Check]int
}

// shapeOf reads the domain of a role version from its definition, never
// from the counts, so that which cells exist tells nothing.
func shapeOf(r *role.Role) shape {
	sh := shape{items: map[string]role.Item{}, steps: map[Check]int{}}
	ForEachItem(r, func(it role.Item, _ string, _ role.Section) { sh.items[it.ID] = it })
	for _, l := range score.Ladder(r) {
		sh.levels = append(sh.levels, l.Slug)
	}
	for _, c := range Checks {
		if c.Channel == "embed" {
			// The widget is one page of questions.
			sh.steps[c] = 1
			continue
		}
		for sp := -1; sp < len(r.Specialties); sp++ {
			sh.steps[c] = max(sh.steps[c], len(check.NewPlan(r, score.Mode(c.Mode), sp).Steps))
		}
	}
	return sh
}

// ForEachItem calls fn once for every item of r, in the order of the
// requirements table: by section, family-wide first, then each level from
// the lowest, then each specialty; level names where the item is owned.
func ForEachItem(r *role.Role, fn func(it role.Item, level string, sec role.Section)) {
	seen := map[string]bool{}
	add := func(items []role.Item, level string, sec role.Section) {
		for _, it := range items {
			if !seen[it.ID] {
				seen[it.ID] = true
				fn(it, level, sec)
			}
		}
	}
	for _, sec := range role.Sections {
		add(r.Family.Items(sec), "Every level", sec)
		for _, l := range score.Ladder(r) {
			add(l.Items(sec), l.Title, sec)
		}
		for i := range r.Specialties {
			add(r.Specialties[i].Items(sec), "Specialty: "+r.Specialties[i].Name, sec)
		}
	}
}

// AnswerBuckets is how many released buckets an item of kind k has.
func AnswerBuckets(k role.Kind) int {
	if k == role.KindExperience || k == role.KindFact {
		return 2
	}
	return RatingTop + 1
}

// MeetsFrom is the first released bucket of an item of kind k that meets
// its expectation.
func MeetsFrom(k role.Kind) int {
	if k == role.KindExperience || k == role.KindFact {
		return 1
	}
	return RatingMeets
}

// answerBucket maps a counter's whole-number answer bucket to the
// released one: years to below / at or above the item's bar.
func answerBucket(it role.Item, counted int) (int, bool) {
	switch it.Kind {
	case role.KindExperience:
		if counted < int(math.Ceil(it.MinYears)) {
			return 0, true
		}
		return 1, true
	case role.KindFact:
		return min(counted, 1), counted >= 0
	}
	return counted, counted >= 0 && counted <= RatingTop
}

// cells lists every cell of a slice of this shape. The whole role has no
// step cells: each check has its own steps.
func (sh shape) cells(c *Check, add func(Cell)) {
	for _, m := range []string{Started, Completed, Apply} {
		add(Cell{Metric: m})
	}
	if c != nil {
		for s := 1; s <= sh.steps[*c]; s++ {
			add(Cell{Metric: Step, Key: strconv.Itoa(s)})
		}
	}
	for id, it := range sh.items {
		add(Cell{Metric: Answers, Key: id})
		for b := range AnswerBuckets(it.Kind) {
			add(Cell{Metric: Answer, Key: id, Bucket: b})
		}
	}
	add(Cell{Metric: Recommended})
	for _, l := range sh.levels {
		add(Cell{Metric: Recommended, Key: l})
		for b := range FitBands {
			add(Cell{Metric: Fit, Key: l, Bucket: b})
		}
	}
}

// Count is a counter sum (true, before release) or a released value of
// one cell of one slice.
type Count struct {
	Slice
	Cell
	N int64
}

// Released is a sum of released cells of one slice: its noisy value and
// the variance of its noise.
type Released struct {
	Count
	Var float64
}

// released maps the true counter sums of a node to the cells of its
// domain, with the whole role's sums beside each slice's. Counts outside
// the domain (a version the node does not cover) are left out.
func released(shapes map[int64]shape, counts []Count) map[Slice]map[Cell]int64 {
	out := map[Slice]map[Cell]int64{}
	add := func(s Slice, c Cell, n int64) {
		if out[s] == nil {
			out[s] = map[Cell]int64{}
		}
		out[s][c] += n
	}
	for _, cn := range counts {
		sh, ok := shapes[cn.VersionID]
		if !ok {
			continue
		}
		c := cn.Cell
		if c.Metric == Answer {
			it, ok := sh.items[c.Key]
			if !ok {
				continue
			}
			b, ok := answerBucket(it, c.Bucket)
			if !ok {
				continue
			}
			c.Bucket = b
			add(cn.Slice, Cell{Metric: Answers, Key: c.Key}, cn.N)
			add(Slice{}, Cell{Metric: Answers, Key: c.Key}, cn.N)
		}
		add(cn.Slice, c, cn.N)
		if c.Metric != Step && !isHostMetric(c.Metric) {
			add(Slice{}, c, cn.N)
		}
	}
	return out
}
