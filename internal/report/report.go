// Package report builds a role's dashboard figures from its released
// aggregates (see internal/release): every figure is a sum of noisy cells
// released once from days that are over, post-processed so that funnels
// never rise, parts stay within their totals and no count is negative.
// The page, the CSV files and the JSON API all render a Report, so they
// cannot disagree about what is shown.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
)

// Report is one role's released figures over a filter.
type Report struct {
	Role   string      `json:"role"`
	Title  string      `json:"title"`
	K      int         `json:"k"`
	Filter StatsFilter `json:"filter"`
	Period Period      `json:"period"`
	Noise  Noise       `json:"noise"`
	// Refused says why no figure can be shown for the period asked for.
	Refused string `json:"refused,omitempty"`
	// Empty is the plain empty state when no completed check is released
	// for the period.
	Empty       string   `json:"empty,omitempty"`
	Submissions *Count   `json:"submissions,omitempty"`
	Started     *Count   `json:"started,omitempty"`
	ApplyClicks *Count   `json:"apply_clicks,omitempty"`
	Completion  *Share   `json:"completion_rate,omitempty"`
	ApplyRate   *Share   `json:"apply_rate,omitempty"`
	Funnels     []Funnel `json:"funnels,omitempty"`
	Levels      []Level  `json:"levels,omitempty"`
	Weeks       []Week   `json:"weeks,omitempty"`
	Items       []Item   `json:"items,omitempty"`
	// Hosts is the widget's funnel per embedding site, for the hosts on
	// the allow-list when the days were released, and "other".
	Hosts []Host `json:"hosts,omitempty"`
}

// Host is the widget's funnel on one embedding site; "other" is every
// site not on the allow-list.
type Host struct {
	Host        string `json:"host"`
	Started     Count  `json:"started"`
	Completed   Count  `json:"completed"`
	ApplyClicks Count  `json:"apply_clicks"`
}

// Noise states how the figures were made noisy.
type Noise struct {
	// Epsilon and Delta are the differential-privacy parameters of one
	// released cell of one interval.
	Epsilon float64 `json:"epsilon_per_cell"`
	Delta   float64 `json:"delta_per_cell"`
	// Confidence is what a margin means: the true figure lies within
	// value ± margin with this probability.
	Confidence float64 `json:"margin_confidence"`
}

// Period is the requested date range and the one the figures cover: the
// requested one ending yesterday at the latest, since only days that are
// over are released.
type Period struct {
	Requested DateRange `json:"requested"`
	// Reported is nil when no day of the requested range is over.
	Reported *DateRange `json:"reported"`
	Note     string     `json:"note"`
}

// DateRange is an inclusive range of UTC dates, YYYY-MM-DD.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Funnel is the way through one kind of check: started, each of its own
// steps, completed, apply clicks. It never rises from one stage to the
// next.
type Funnel struct {
	Mode        string `json:"mode"`
	Channel     string `json:"channel"`
	Started     Count  `json:"started"`
	Steps       []Step `json:"steps"`
	Completed   Count  `json:"completed"`
	ApplyClicks Count  `json:"apply_clicks"`
	// Completion is completed over started, for the page; the API's
	// users have the two counts.
	Completion *Share `json:"-"`
}

// Step is how many reached (finished) a step of a check.
type Step struct {
	Step    int   `json:"step"`
	Reached Count `json:"reached"`
}

// Level is how often a level was recommended and how its fits spread.
type Level struct {
	Slug        string `json:"slug"`
	Title       string `json:"title"`
	Recommended Count  `json:"recommended"`
	Assessed    Count  `json:"assessed"`
	// Fits are the 10-point bands, 0–9 to 90–100.
	Fits []Count `json:"fit_histogram"`
}

// Week is the funnel of the days of a week within the period.
type Week struct {
	Week        string `json:"week"` // Monday, YYYY-MM-DD
	Started     Count  `json:"started"`
	Completed   Count  `json:"completed"`
	ApplyClicks Count  `json:"apply_clicks"`
}

// Item is how applicants answered one item of the role.
type Item struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Level    string   `json:"level"`
	Section  string   `json:"section"`
	Kind     string   `json:"kind"`
	MinYears float64  `json:"min_years,omitempty"`
	Answers  Count    `json:"answers"`
	Spread   []Spread `json:"spread"`
	// Below and Meets split the answers at the expectation.
	Below Count  `json:"below_expectation"`
	Meets Count  `json:"meeting_expectation"`
	Mean  *Share `json:"mean,omitempty"`
	Share *Share `json:"share_meeting"`
}

// Spread is how many gave one answer (or range of answers) to an item.
type Spread struct {
	Value string `json:"value"`
	N     Count  `json:"n"`
}

// Count is a released count: its noisy value, post-processed, and the
// margin within which the true count lies 95 times out of 100.
type Count struct {
	Value  int `json:"value"`
	Margin int `json:"margin"`
}

// Label writes the count as the pages and CSV files show it: "about 14 ± 3".
func (c Count) Label() string {
	if c.Margin == 0 {
		return strconv.Itoa(c.Value)
	}
	return fmt.Sprintf("about %d ± %d", c.Value, c.Margin)
}

// Share is a derived figure (a rate or a mean) with its margin, or the
// words saying why it is not shown.
type Share struct {
	V, Margin float64
	Hidden    string
}

type shareJSON struct {
	Value  float64 `json:"value"`
	Margin float64 `json:"margin"`
}

// MarshalJSON writes {"value", "margin"} to three decimals, or the words
// saying why the figure is not shown.
func (s Share) MarshalJSON() ([]byte, error) {
	if s.Hidden != "" {
		return json.Marshal(s.Hidden)
	}
	return json.Marshal(shareJSON{Value: round3(s.V), Margin: round3(s.Margin)})
}

func round3(v float64) float64 { return math.Round(v*1000) / 1000 }

// Percent writes a rate as "about 40% ± 12%", or why it is not shown; ""
// for no share.
func (s *Share) Percent() string {
	if s == nil {
		return ""
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return fmt.Sprintf("about %.0f%% ± %.0f%%", s.V*100, math.Max(1, math.Round(s.Margin*100)))
}

// Decimal writes the value with prec decimals and its margin, or why it
// is not shown; "—" for no share.
func (s *Share) Decimal(prec int) string {
	if s == nil {
		return "—"
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return strconv.FormatFloat(s.V, 'f', prec, 64) + " ± " + strconv.FormatFloat(s.Margin, 'f', prec, 64)
}

// MinK is the smallest k rolefit accepts.
const MinK = 2

// GuardK returns k, raised to MinK if it is smaller.
func GuardK(k int) int { return max(k, MinK) }

// Releaser releases those of a role's nodes that are due and not released
// yet; *release.Releaser implements it.
type Releaser interface {
	Release(ctx context.Context, slug string, nodes ...release.Node) error
}

// Source is where reports come from: the released aggregates, brought up
// to date before each read.
type Source struct {
	Store    Store
	Releaser Releaser
	// K is the smallest noisy base a share or mean is computed from.
	K   int
	Now func() time.Time
}

// clip cuts the filter's period to the days that are over. ok is false
// when none is; the period's note says why.
func (s Source) clip(f StatsFilter) (StatsFilter, Period, bool) {
	p := Period{Requested: DateRange{From: f.From, To: f.To}}
	last := release.LastClosed(s.Now())
	if f.From > last {
		p.Note = fmt.Sprintf("Figures cover only days that are over, so that a figure never moves once it is shown: today's checks are counted from tomorrow. Choose a period that ends on %s or earlier.",
			SpanWords(last, last, ""))
		return f, p, false
	}
	f.To = min(f.To, last)
	p.Reported = &DateRange{From: f.From, To: f.To}
	p.Note = fmt.Sprintf("Figures cover %s, days that are over. Each is released once with random noise, so that no one can be singled out: “about 14 ± 3” means the true number lies between 11 and 17, 95 times out of 100.",
		SpanWords(f.From, f.To, " – "))
	return f, p, true
}

// Build releases what is due and reads the figures for f. It is the one
// place figures are made, for the page, the CSV files and the API alike.
func (s Source) Build(ctx context.Context, r *role.Role, f StatsFilter) (*Report, error) {
	k := GuardK(s.K)
	rep := &Report{Role: r.Slug, Title: r.Title, K: k, Filter: f,
		Noise: Noise{Epsilon: release.Epsilon, Delta: release.Delta, Confidence: 0.95}}
	f, p, ok := s.clip(f)
	rep.Period = p
	if !ok {
		rep.Refused = p.Note
		return rep, nil
	}
	cover, weeks := release.Cover(f.From, f.To), weekSpans(f.From, f.To)
	need := cover
	for _, w := range weeks {
		need = append(need, w.nodes...)
	}
	if err := s.Releaser.Release(ctx, r.Slug, need...); err != nil {
		return nil, err
	}
	rows, err := s.Store.ReleasedSums(ctx, r.Slug, cover)
	if err != nil {
		return nil, err
	}
	sel := collect(rows, f.selects)
	sub := sel.get(release.Cell{Metric: release.Completed}).atLeast0()
	started := sel.get(release.Cell{Metric: release.Started}).atLeast0().atLeast(sub)
	apply := sel.get(release.Cell{Metric: release.Apply}).atLeast0().atMost(sub)
	rep.Submissions, rep.Started, rep.ApplyClicks = ptr(sub.count()), ptr(started.count()), ptr(apply.count())
	rep.Completion = ratio(k, sub, started, "Too few checks were started in this period to give a rate.")
	rep.ApplyRate = ratio(k, apply, sub, "Too few checks were completed in this period to give a rate.")
	if rep.Submissions.Value == 0 {
		rep.Empty = "No completed checks yet in this period."
	}
	rep.Funnels = funnels(k, rows, f)
	rep.Levels = levelFigures(r, sel, sub)
	if rep.Weeks, err = s.weekFigures(ctx, r.Slug, f, weeks); err != nil {
		return nil, err
	}
	rep.Items = itemFigures(k, r, sel)
	rep.Hosts = hostFigures(rows, f)
	return rep, nil
}

func ptr[T any](v T) *T { return &v }

// Headline is a role's funnel totals for the dashboard's list of roles.
type Headline struct {
	Role string
	// Reported is the period the figures cover, nil when no day of the
	// one asked for is over (and the figures are zero).
	Reported                          *DateRange
	Submissions, Started, ApplyClicks Count
	Completion                        *Share
}

// Headlines reads each role's released totals over from–to.
func (s Source) Headlines(ctx context.Context, roles []string, from, to string) ([]Headline, error) {
	k := GuardK(s.K)
	out := make([]Headline, 0, len(roles))
	for _, slug := range roles {
		h := Headline{Role: slug}
		f, p, ok := s.clip(StatsFilter{Role: slug, From: from, To: to})
		if !ok {
			out = append(out, h)
			continue
		}
		cover := release.Cover(f.From, f.To)
		if err := s.Releaser.Release(ctx, slug, cover...); err != nil {
			return nil, err
		}
		rows, err := s.Store.ReleasedSums(ctx, slug, cover, release.Started, release.Completed, release.Apply)
		if err != nil {
			return nil, err
		}
		sel := collect(rows, f.selects)
		sub := sel.get(release.Cell{Metric: release.Completed}).atLeast0()
		started := sel.get(release.Cell{Metric: release.Started}).atLeast0().atLeast(sub)
		h.Reported = p.Reported
		h.Submissions, h.Started = sub.count(), started.count()
		h.ApplyClicks = sel.get(release.Cell{Metric: release.Apply}).atLeast0().atMost(sub).count()
		h.Completion = ratio(k, sub, started, "Too few checks were started in this period to give a rate.")
		out = append(out, h)
	}
	return out, nil
}

// SpanWords writes a date range as "3 Aug – 27 Sep 2026", with the year
// once when both dates share it, and one date once.
func SpanWords(from, to, sep string) string {
	a, errA := time.Parse(time.DateOnly, from)
	b, errB := time.Parse(time.DateOnly, to)
	if errA != nil || errB != nil {
		return from + sep + to
	}
	if from == to {
		return a.Format("2 Jan 2006")
	}
	if a.Year() == b.Year() {
		return a.Format("2 Jan") + sep + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006") + sep + b.Format("2 Jan 2006")
}
