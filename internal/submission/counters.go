package submission

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/release"
)

// The counters' bucket shapes. MaxAnswerBucket caps the whole-number
// bucket an answer is counted in: ratings are 0–4 and yes/no 0–1, so only
// years reach it ("20 or more"). The fit bands are the released ones.
const (
	MaxAnswerBucket = 20
	FitBands        = release.FitBands
)

// AnswerBucket is the whole-number bucket of an answer: years are counted
// in whole years (rounded down, so "1.5 years" does not meet a bar of 2),
// capped at MaxAnswerBucket.
func AnswerBucket(v float64) int {
	if math.IsNaN(v) || v < 0 {
		return 0
	}
	return int(math.Min(math.Floor(v), MaxAnswerBucket))
}

// FitBand is the 10-point band (0–9) of a fit in [0, 100].
func FitBand(fit float64) int {
	if math.IsNaN(fit) || fit < 0 {
		return 0
	}
	return int(math.Min(math.Floor(fit/10), FitBands-1))
}

// Dims are the dimensions every daily counter is kept per.
type Dims struct {
	Role, Day     string
	VersionID     int64
	Channel, Mode string
}

// Cell is one counter of a day.
type Cell struct {
	Metric, Key string
	Bucket      int
}

// Counter is one cell of one day's counters with the amount to add.
type Counter struct {
	Dims
	Cell
	N int
}

// DimsOf are the counter dimensions of a submission.
func DimsOf(s *Submission) Dims {
	return Dims{Role: s.RoleSlug, Day: s.Day, VersionID: s.VersionID, Channel: s.Channel, Mode: s.Mode}
}

// Cells lists the counters a submission adds one to when stored and takes
// one from when deleted. Every store uses it, and so does the check of the
// counters against the rows, so that they cannot drift apart.
func Cells(s *Submission) []Cell {
	cells := make([]Cell, 0, 3+len(s.Answers)+len(s.Fits))
	cells = append(cells, Cell{Metric: MetricCompleted}, Cell{Metric: MetricRecommended, Key: s.Recommended})
	if h := hostOf(s); h != "" {
		cells = append(cells, Cell{Metric: MetricHostCompleted, Key: h})
	}
	for id, v := range s.Answers {
		cells = append(cells, Cell{Metric: MetricAnswer, Key: id, Bucket: AnswerBucket(v)})
	}
	for lvl, fit := range s.Fits {
		// Banded as stored (one decimal), so that the live counter and a
		// recomputation from the row agree at a band's edge.
		cells = append(cells, Cell{Metric: MetricFit, Key: lvl, Bucket: FitBand(math.Round(fit*10) / 10)})
	}
	return cells
}

// EventCells checks an event and lists the counters it adds one to.
func EventCells(ev Event) (Dims, []Cell, error) {
	key := ""
	switch ev.Name {
	case MetricStarted, MetricApply:
	case MetricStep:
		if ev.Step < 1 {
			return Dims{}, nil, fmt.Errorf("step %d", ev.Step)
		}
		key = strconv.Itoa(ev.Step)
	default:
		return Dims{}, nil, fmt.Errorf("unknown event %q", ev.Name)
	}
	if _, err := time.Parse(time.DateOnly, ev.Day); err != nil {
		return Dims{}, nil, fmt.Errorf("day %q: %w", ev.Day, err)
	}
	dims := Dims{Role: ev.RoleSlug, Day: ev.Day, VersionID: ev.VersionID, Channel: ev.Channel, Mode: ev.Mode}
	cells := []Cell{{Metric: ev.Name, Key: key}}
	if m, ok := hostMetrics[ev.Name]; ok && ev.Channel == "embed" {
		cells = append(cells, Cell{Metric: m, Key: hostKey(ev.Host)})
	}
	return dims, cells, nil
}

// hostMetrics are the per-host counters of the widget's funnel events.
var hostMetrics = map[string]string{MetricStarted: MetricHostStarted, MetricApply: MetricHostApply}

// hostKey is the counters' key of an embedding host: a widget event or
// submission that names none counts as "other", like an unlisted site.
func hostKey(host string) string {
	if host == "" {
		return release.OtherHost
	}
	return host
}

// hostOf is the host key a submission is counted under: "" on the site.
func hostOf(s *Submission) string {
	if s.Channel != "embed" {
		return ""
	}
	return hostKey(s.EmbedHost)
}

// Tally sums counters in memory, so that a batch of submissions writes
// each distinct cell once instead of once per submission.
type Tally map[Counter]int

// Add adds sign (+1 or -1) times a submission's cells.
func (t Tally) Add(s *Submission, sign int) {
	d := DimsOf(s)
	for _, c := range Cells(s) {
		t[Counter{Dims: d, Cell: c}] += sign
	}
}

// Merge adds every sum of o.
func (t Tally) Merge(o Tally) {
	for k, n := range o {
		t[k] += n
	}
}

// AddEvent adds n times an event's cells.
func (t Tally) AddEvent(ev Event, n int) error {
	d, cells, err := EventCells(ev)
	if err != nil {
		return err
	}
	for _, c := range cells {
		t[Counter{Dims: d, Cell: c}] += n
	}
	return nil
}

// Counters lists the non-zero sums in a fixed order (so that concurrent
// writers lock rows in the same order and cannot deadlock).
func (t Tally) Counters() []Counter {
	out := make([]Counter, 0, len(t))
	for k, n := range t {
		if n != 0 {
			k.N = n
			out = append(out, k)
		}
	}
	sortCounters(out)
	return out
}

// CounterDiff is a counter that disagrees with the submissions it should
// sum up.
type CounterDiff struct {
	Dims
	Cell
	// Counted is the stored counter, Recomputed the sum over submissions.
	Counted, Recomputed int
}

func (c CounterDiff) String() string {
	return fmt.Sprintf("%s %s v%d %s/%s %s %q[%d]: counted %d, submissions say %d",
		c.Role, c.Day, c.VersionID, c.Channel, c.Mode, c.Metric, c.Key, c.Bucket, c.Counted, c.Recomputed)
}

func sortCounters(cs []Counter) {
	slices.SortFunc(cs, func(a, b Counter) int {
		return cmp.Or(
			cmp.Compare(a.Role, b.Role), cmp.Compare(a.Day, b.Day), cmp.Compare(a.Metric, b.Metric),
			cmp.Compare(a.Key, b.Key), cmp.Compare(a.Bucket, b.Bucket), cmp.Compare(a.VersionID, b.VersionID),
			cmp.Compare(a.Channel, b.Channel), cmp.Compare(a.Mode, b.Mode))
	})
}

// TallyOf sums what a bulk load of subs and events adds to the counters.
func TallyOf(subs []*Submission, events []EventCount) (Tally, error) {
	t := Tally{}
	for _, s := range subs {
		t.Add(s, +1)
	}
	for _, ev := range events {
		if err := t.AddEvent(ev.Event, ev.N); err != nil {
			return nil, fmt.Errorf("event: %w", err)
		}
	}
	return t, nil
}
