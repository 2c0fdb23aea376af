package submission

import "sort"

// SubmissionMetrics are the counters submissions feed (Cells), the ones a
// Recount can check against the rows; funnel events have no rows.
var SubmissionMetrics = []string{MetricCompleted, MetricHostCompleted, MetricAnswer, MetricFit, MetricRecommended}

// Recount compares stored counters with the submissions they should sum,
// so that every store verifies its counters by one rule.
type Recount struct {
	want, got map[Counter]int
}

// NewRecount starts an empty comparison.
func NewRecount() *Recount {
	return &Recount{want: map[Counter]int{}, got: map[Counter]int{}}
}

// Submission adds a stored submission's cells to what the counters
// should hold.
func (r *Recount) Submission(s *Submission) {
	d := DimsOf(s)
	for _, c := range Cells(s) {
		r.want[Counter{Dims: d, Cell: c}]++
	}
}

// Counted records a stored counter of one of the SubmissionMetrics, with
// its value in c.N.
func (r *Recount) Counted(c Counter) {
	n := c.N
	c.N = 0
	r.got[c] += n
}

// Diffs returns every counter whose stored value differs from the
// recount, in a fixed order.
func (r *Recount) Diffs() []CounterDiff {
	var diffs []CounterDiff
	add := func(k Counter) {
		if r.got[k] != r.want[k] {
			diffs = append(diffs, CounterDiff{Dims: k.Dims, Cell: k.Cell, Counted: r.got[k], Recomputed: r.want[k]})
		}
	}
	for k := range r.want {
		add(k)
	}
	for k := range r.got {
		if _, ok := r.want[k]; !ok {
			add(k)
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].String() < diffs[j].String() })
	return diffs
}
