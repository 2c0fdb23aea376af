package report

import (
	"context"
	"slices"
	"testing"

	"github.com/rolefit/rolefit/internal/release"
)

// nodeStore holds released cells per node and counts the nodes read.
type nodeStore struct {
	cells map[release.Node][]release.Released
	reads int
}

func (s *nodeStore) ReleasedSums(_ context.Context, _ string, nodes []release.Node, metrics ...string) ([]release.Released, error) {
	var out []release.Released
	for _, n := range nodes {
		s.reads++
		for _, c := range s.cells[n] {
			if len(metrics) == 0 || slices.Contains(metrics, c.Metric) {
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func TestSumCache(t *testing.T) {
	ctx := context.Background()
	a, b, later := release.Node{Start: "2026-01-01", Days: 1}, release.Node{Start: "2026-01-02", Days: 1}, release.Node{Start: "2026-01-03", Days: 1}
	cell := func(metric string, n int64) release.Released {
		return release.Released{Count: release.Count{Cell: release.Cell{Metric: metric}, N: n}, Var: 4}
	}
	st := &nodeStore{cells: map[release.Node][]release.Released{
		a: {cell(release.Started, 5), cell(release.Completed, 3)},
		b: {cell(release.Started, 7), cell(release.Completed, 2), cell(release.Apply, 1)},
	}}
	c := NewSumCache(st)
	sum := func(metrics ...string) map[string]release.Released {
		t.Helper()
		rows, err := c.ReleasedSums(ctx, "pm", []release.Node{a, b, later}, metrics...)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]release.Released{}
		for _, r := range rows {
			out[r.Metric] = r
		}
		return out
	}

	t.Run("SumsAcrossNodes", func(t *testing.T) {
		got := sum()
		if got[release.Started].N != 12 || got[release.Started].Var != 8 || got[release.Completed].N != 5 || got[release.Apply].N != 1 {
			t.Errorf("sums = %+v", got)
		}
	})
	t.Run("ReadsAReleasedNodeOnce", func(t *testing.T) {
		before := st.reads
		sum()
		// Only the node that is not released yet is read again.
		if st.reads != before+1 {
			t.Errorf("%d nodes read again, want 1", st.reads-before)
		}
	})
	t.Run("NodeReleasedLaterIsRead", func(t *testing.T) {
		st.cells[later] = []release.Released{cell(release.Started, 1)}
		if got := sum(); got[release.Started].N != 13 {
			t.Errorf("started = %d, want 13 once the later node is released", got[release.Started].N)
		}
	})
	t.Run("MetricsApart", func(t *testing.T) {
		got := sum(release.Apply)
		if len(got) != 1 || got[release.Apply].N != 1 {
			t.Errorf("apply only = %+v", got)
		}
	})
	t.Run("Limit", func(t *testing.T) {
		small := NewSumCache(st)
		small.Limit = 3
		if _, err := small.ReleasedSums(ctx, "pm", []release.Node{a, b}); err != nil {
			t.Fatal(err)
		}
		if small.cells > small.Limit {
			t.Errorf("%d cells kept, limit %d", small.cells, small.Limit)
		}
	})
}
