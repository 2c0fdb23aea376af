package report

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

// est is a noisy estimate: a sum of released cells and its noise variance.
// Post-processing only ever reads released values, so it costs no privacy.
type est struct{ v, vr float64 }

func (e est) atLeast0() est     { return est{math.Max(0, e.v), e.vr} }
func (e est) atLeast(o est) est { return est{math.Max(e.v, o.v), e.vr} }
func (e est) atMost(o est) est  { return est{math.Min(e.v, o.v), e.vr} }
func (e est) plus(o est) est    { return est{e.v + o.v, e.vr + o.vr} }
func (e est) margin() float64   { return release.Z95 * math.Sqrt(e.vr) }
func (e est) count() Count {
	return Count{Value: int(math.Round(e.v)), Margin: int(math.Ceil(e.margin()))}
}
func (e est) scaled(w float64) est    { return est{e.v * w, e.vr * w * w} }
func (e est) withValue(v float64) est { return est{v, e.vr} }

// cells are the sums of the released cells of a selection of slices.
type cells map[release.Cell]est

func (c cells) get(cell release.Cell) est { return c[cell] }

// collect sums the released rows of the slices keep selects, per cell.
func collect(rows []release.Released, keep func(release.Slice) bool) cells {
	out := cells{}
	for _, r := range rows {
		if keep(r.Slice) {
			out[r.Cell] = out[r.Cell].plus(est{float64(r.N), r.Var})
		}
	}
	return out
}

// ratio is num/den with its margin (to first order, the two sums' noise
// being independent), or the reason when den's released value is below k:
// a rate of a handful is noise, not information.
func ratio(k int, num, den est, few string) *Share {
	if den.v < float64(k) {
		return &Share{Hidden: few}
	}
	p := math.Min(1, math.Max(0, num.v/den.v))
	sd := math.Sqrt(num.vr+p*p*den.vr) / den.v
	return &Share{V: p, Margin: math.Min(1, release.Z95*sd)}
}

// nonIncreasing makes a funnel's stages never rise from one to the next,
// with the least squares change (pool adjacent violators): a stage that
// noise lifted above the one before is averaged with it.
func nonIncreasing(vals []float64) []float64 {
	type block struct {
		sum float64
		n   int
	}
	var bs []block
	for _, v := range vals {
		bs = append(bs, block{v, 1})
		for len(bs) > 1 && bs[len(bs)-2].sum/float64(bs[len(bs)-2].n) < bs[len(bs)-1].sum/float64(bs[len(bs)-1].n) {
			a, b := bs[len(bs)-2], bs[len(bs)-1]
			bs = append(bs[:len(bs)-2], block{a.sum + b.sum, a.n + b.n})
		}
	}
	out := make([]float64, 0, len(vals))
	for _, b := range bs {
		for range b.n {
			out = append(out, math.Max(0, b.sum/float64(b.n)))
		}
	}
	return out
}

// funnels builds one funnel per kind of check the filter keeps.
func funnels(k int, rows []release.Released, f StatsFilter) []Funnel {
	var out []Funnel
	for _, c := range release.Checks {
		if (f.Channel != "" && f.Channel != c.Channel) || (f.Mode != "" && f.Mode != c.Mode) {
			continue
		}
		sel := collect(rows, func(s release.Slice) bool {
			return !s.Whole() && s.Channel == c.Channel && s.Mode == c.Mode && (f.VersionID == 0 || s.VersionID == f.VersionID)
		})
		var steps []int
		for cell := range sel {
			if cell.Metric == release.Step {
				if n, err := strconv.Atoi(cell.Key); err == nil {
					steps = append(steps, n)
				}
			}
		}
		sort.Ints(steps)
		stages := []est{sel.get(release.Cell{Metric: release.Started})}
		for _, n := range steps {
			stages = append(stages, sel.get(release.Cell{Metric: release.Step, Key: strconv.Itoa(n)}))
		}
		stages = append(stages, sel.get(release.Cell{Metric: release.Completed}), sel.get(release.Cell{Metric: release.Apply}))
		vals := make([]float64, len(stages))
		for i, s := range stages {
			vals[i] = s.v
		}
		for i, v := range nonIncreasing(vals) {
			stages[i] = stages[i].withValue(v)
		}
		fn := Funnel{Mode: c.Mode, Channel: c.Channel, Started: stages[0].count(),
			Completed: stages[len(stages)-2].count(), ApplyClicks: stages[len(stages)-1].count(), Steps: []Step{},
			Completion: ratio(k, stages[len(stages)-2], stages[0], "Too few of these checks were started in this period to give a rate.")}
		for i, n := range steps {
			fn.Steps = append(fn.Steps, Step{Step: n, Reached: stages[i+1].count()})
		}
		out = append(out, fn)
	}
	return out
}

// hostFigures builds the widget's funnel per embedding host from the
// widget slices the filter keeps. Each host's stages never rise; hosts are
// in name order, "other" last.
func hostFigures(rows []release.Released, f StatsFilter) []Host {
	if (f.Channel != "" && f.Channel != "embed") || (f.Mode != "" && f.Mode != string(score.Quick)) {
		return nil
	}
	sel := collect(rows, func(s release.Slice) bool {
		return s.Channel == "embed" && (f.VersionID == 0 || s.VersionID == f.VersionID)
	})
	var names []string
	for cell := range sel {
		if cell.Metric == release.HostStarted {
			names = append(names, cell.Key)
		}
	}
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == release.OtherHost) != (names[j] == release.OtherHost) {
			return names[j] == release.OtherHost
		}
		return names[i] < names[j]
	})
	out := make([]Host, 0, len(names))
	for _, h := range names {
		stages := make([]est, len(release.HostMetrics))
		vals := make([]float64, len(stages))
		for i, m := range release.HostMetrics {
			stages[i] = sel.get(release.Cell{Metric: m, Key: h})
			vals[i] = stages[i].v
		}
		for i, v := range nonIncreasing(vals) {
			stages[i] = stages[i].withValue(v)
		}
		out = append(out, Host{Host: h, Started: stages[0].count(), Completed: stages[1].count(), ApplyClicks: stages[2].count()})
	}
	return out
}

// FunnelName names a kind of check for people: "Quick check on the site".
func FunnelName(mode, channel string) string {
	name := "Quick check"
	if mode == string(score.Full) {
		name = "Full assessment"
	}
	if channel == "embed" {
		return name + " in the widget"
	}
	return name + " on the site"
}

func levelFigures(r *role.Role, sel cells, sub est) []Level {
	var out []Level
	add := func(slug, title string) {
		l := Level{Slug: slug, Title: title, Fits: []Count{},
			Recommended: sel.get(release.Cell{Metric: release.Recommended, Key: slug}).atLeast0().atMost(sub).count()}
		if slug != "" {
			var assessed est
			for b := range FitBands {
				band := sel.get(release.Cell{Metric: release.Fit, Key: slug, Bucket: b}).atLeast0().atMost(sub)
				assessed = assessed.plus(band)
				l.Fits = append(l.Fits, band.count())
			}
			l.Assessed = assessed.atMost(sub).count()
		}
		out = append(out, l)
	}
	for _, l := range score.Ladder(r) {
		add(l.Slug, l.Title)
	}
	if none := sel.get(release.Cell{Metric: release.Recommended}); none.v >= 1 {
		add("", "No level recommended")
	}
	return out
}

// weekSpan is a week (from its Monday) and the nodes that tile its days
// within a period.
type weekSpan struct {
	monday string
	nodes  []release.Node
}

// weekSpans cuts the period from–to into its weeks, each over its days
// within the period.
func weekSpans(from, to string) []weekSpan {
	a, errA := time.Parse(time.DateOnly, from)
	b, errB := time.Parse(time.DateOnly, to)
	if errA != nil || errB != nil {
		return nil
	}
	var out []weekSpan
	for w := a.AddDate(0, 0, -((int(a.Weekday()) + 6) % 7)); !w.After(b); w = w.AddDate(0, 0, 7) {
		start, end := w, w.AddDate(0, 0, 6)
		if start.Before(a) {
			start = a
		}
		if end.After(b) {
			end = b
		}
		out = append(out, weekSpan{monday: w.Format(time.DateOnly),
			nodes: release.Cover(start.Format(time.DateOnly), end.Format(time.DateOnly))})
	}
	return out
}

// weekFigures reads the funnel totals of each week of the period.
func (s Source) weekFigures(ctx context.Context, slug string, f StatsFilter, weeks []weekSpan) ([]Week, error) {
	var out []Week
	for _, w := range weeks {
		rows, err := s.Store.ReleasedSums(ctx, slug, w.nodes, release.Started, release.Completed, release.Apply)
		if err != nil {
			return nil, err
		}
		sel := collect(rows, f.selects)
		sub := sel.get(release.Cell{Metric: release.Completed}).atLeast0()
		out = append(out, Week{Week: w.monday,
			Started:     sel.get(release.Cell{Metric: release.Started}).atLeast0().atLeast(sub).count(),
			Completed:   sub.count(),
			ApplyClicks: sel.get(release.Cell{Metric: release.Apply}).atLeast0().atMost(sub).count()})
	}
	return out, nil
}

// scaleNames are the bucket names of a rated kind, in the words the
// applicants answered in: "0 Not yet" for a skill, "3 Usually" for a
// trait, "3 C1 · Advanced" for a language.
func scaleNames(k role.Kind) []string {
	scale := check.AnsweringOf(k).Scale
	names := make([]string, len(scale))
	for i, p := range scale {
		names[i] = strconv.Itoa(i) + " " + p.Label
	}
	return names
}

// Items lists every item of a role once, with where it is owned.
func Items(r *role.Role) []Item {
	var out []Item
	release.ForEachItem(r, func(it role.Item, level string, sec role.Section) {
		out = append(out, Item{ID: it.ID, Text: it.Text, Level: level, Section: string(sec), Kind: string(it.Kind), MinYears: it.MinYears})
	})
	return out
}

func itemFigures(k int, r *role.Role, sel cells) []Item {
	items := Items(r)
	for i := range items {
		it := &items[i]
		kind := role.Kind(it.Kind)
		answers := sel.get(release.Cell{Metric: release.Answers, Key: it.ID}).atLeast0()
		var names []string
		switch kind {
		case role.KindExperience:
			bar := int(math.Ceil(it.MinYears))
			names = []string{fmt.Sprintf("under %d years", bar), fmt.Sprintf("%d years or more", bar)}
		case role.KindFact:
			names = []string{"no", "yes"}
		default:
			names = scaleNames(kind)
		}
		var below, meets, weighted est
		for b, name := range names {
			c := sel.get(release.Cell{Metric: release.Answer, Key: it.ID, Bucket: b}).atLeast0().atMost(answers)
			it.Spread = append(it.Spread, Spread{Value: name, N: c.count()})
			if b >= release.MeetsFrom(kind) {
				meets = meets.plus(c)
			} else {
				below = below.plus(c)
			}
			weighted = weighted.plus(c.scaled(float64(b)))
		}
		it.Answers = answers.count()
		it.Below, it.Meets = below.atMost(answers).count(), meets.atMost(answers).count()
		it.Share = ratio(k, meets, answers, "Too few answers to give a share.")
		if kind != role.KindFact && kind != role.KindExperience {
			it.Mean = mean(k, weighted, answers)
		}
	}
	return items
}

// mean is the mean rating, the ratings' weighted sum over the released
// number of answers (whose noise is its own), with its margin to first
// order.
func mean(k int, weighted, answers est) *Share {
	if answers.v < float64(k) {
		return &Share{Hidden: "Too few answers to give a mean."}
	}
	m := math.Min(release.RatingTop, math.Max(0, weighted.v/answers.v))
	vr := (weighted.vr + m*m*answers.vr) / (answers.v * answers.v)
	return &Share{V: m, Margin: math.Min(release.RatingTop, release.Z95*math.Sqrt(vr))}
}

// SortItems orders the requirements table. Figures not shown sort last.
func SortItems(items []Item, by, dir string) {
	key := func(it Item) (float64, bool) {
		switch by {
		case "mean":
			if it.Mean != nil && it.Mean.Hidden == "" {
				return it.Mean.V, true
			}
		case "answers":
			return float64(it.Answers.Value), true
		default:
			if it.Share != nil && it.Share.Hidden == "" {
				return it.Share.V, true
			}
		}
		return 0, false
	}
	sort.SliceStable(items, func(i, j int) bool {
		if by == "level" && items[i].Level != items[j].Level {
			if dir == "desc" {
				return items[i].Level > items[j].Level
			}
			return items[i].Level < items[j].Level
		}
		if by == "item" || by == "level" {
			if dir == "desc" {
				return items[i].Text > items[j].Text
			}
			return items[i].Text < items[j].Text
		}
		a, aok := key(items[i])
		b, bok := key(items[j])
		if aok != bok {
			return aok
		}
		if a != b {
			if dir == "desc" {
				return a > b
			}
			return a < b
		}
		return items[i].Text < items[j].Text
	})
}
