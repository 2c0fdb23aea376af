package storage_test

import (
	"context"
	"maps"
	mathrand "math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

// newRand is the tests' seeded source: a failure repeats.
func newRand() *mathrand.Rand { return mathrand.New(mathrand.NewPCG(7, 8)) }

// TestCounters_Verify: after a random mix of submissions, deletions and a
// purge, the counters equal a recomputation from the rows for every day
// that still has its rows; purged days keep their aggregates.
func TestCounters_Verify(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		rng := newRand()
		var live []*submission.Submission
		for i := range 300 {
			s := randomSubmission(rng, i, vid)
			if err := st.CreateSubmission(ctx, s); err != nil {
				t.Fatal(err)
			}
			live = append(live, s)
			if rng.IntN(5) == 0 {
				j := rng.IntN(len(live))
				if err := st.DeleteSubmission(ctx, live[j].TokenHash); err != nil {
					t.Fatal(err)
				}
				live = append(live[:j], live[j+1:]...)
			}
		}
		if diffs, err := st.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("before purge: %v %v", diffs, err)
		}
		sums := func() map[release.Count]bool {
			rows, err := st.CounterSums(ctx, "pm", "2026-01-01", "2026-12-31")
			if err != nil {
				t.Fatal(err)
			}
			out := map[release.Count]bool{}
			for _, r := range rows {
				out[r] = true
			}
			return out
		}
		before := sums()
		completed := 0
		for c := range before {
			if c.Metric == submission.MetricCompleted {
				completed += int(c.N)
			}
		}
		if completed != len(live) {
			t.Fatalf("completed %d, %d live submissions", completed, len(live))
		}
		if _, err := st.PurgeSubmissions(ctx, "20 January"); err == nil {
			t.Error("a purge before a day that is not a date ran")
		}
		if got, _ := st.CountSubmissions(ctx, "pm"); got != len(live) {
			t.Fatalf("%d rows after a refused purge, want %d", got, len(live))
		}
		n, err := st.PurgeSubmissions(ctx, "2026-01-20")
		if err != nil {
			t.Fatal(err)
		}
		kept := 0
		for _, s := range live {
			if s.Day >= "2026-01-20" {
				kept++
			}
		}
		if n != len(live)-kept {
			t.Errorf("purged %d, want %d", n, len(live)-kept)
		}
		if got, _ := st.CountSubmissions(ctx, "pm"); got != kept {
			t.Errorf("%d rows left, want %d", got, kept)
		}
		if diff := cmp.Diff(before, sums()); diff != "" {
			t.Errorf("purge changed the aggregates (-before +after):\n%s", diff)
		}
		// Deleting after the purge still keeps counters and rows in step.
		for _, s := range live {
			if s.Day >= "2026-01-20" {
				if err := st.DeleteSubmission(ctx, s.TokenHash); err != nil {
					t.Fatal(err)
				}
				break
			}
		}
		if diffs, err := st.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("after purge: %v %v", diffs, err)
		}
		// A tampered counter is reported.
		mustExec(t, st, `UPDATE counters SET n = n + 1 WHERE (role_slug, day, metric, key, bucket, version_id, channel, mode) =
			(SELECT role_slug, day, metric, key, bucket, version_id, channel, mode FROM counters
			 WHERE metric = 'answer' AND day >= '2026-01-20' LIMIT 1)`)
		if diffs, _ := st.VerifyCounters(ctx); len(diffs) != 1 {
			t.Errorf("tampered counter: %d diffs, want 1: %v", len(diffs), diffs)
		}
	})
}

func TestRecordEvent(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		ev := submission.Event{Day: "2026-03-02", RoleSlug: "pm", VersionID: vid, Channel: "site", Mode: "quick"}
		for _, e := range []struct {
			name string
			step int
		}{{"started", 0}, {"started", 0}, {"step", 1}, {"step", 2}, {"step", 2}, {"apply", 0}} {
			ev.Name, ev.Step = e.name, e.step
			if err := st.RecordEvent(ctx, ev); err != nil {
				t.Fatal(err)
			}
		}
		ev.Name = "bogus"
		if err := st.RecordEvent(ctx, ev); err == nil {
			t.Error("unknown event accepted")
		}
		rows, err := st.CounterSums(ctx, "pm", "2026-03-01", "2026-03-31")
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int64{}
		for _, r := range rows {
			if r.Mode != "quick" || r.Channel != "site" || r.VersionID != vid {
				t.Errorf("a count in the wrong slice: %+v", r)
			}
			got[r.Metric+r.Key] += r.N
		}
		if want := map[string]int64{"started": 2, "step1": 1, "step2": 2, "apply": 1}; !maps.Equal(got, want) {
			t.Errorf("counter sums %v, want %v", got, want)
		}
		if rows, _ := st.CounterSums(ctx, "pm", "2026-03-03", "2026-03-31"); len(rows) != 0 {
			t.Errorf("days outside the range counted: %v", rows)
		}
		if day, err := st.FirstDay(ctx, "pm"); err != nil || day == "" || day > "2026-03-02" {
			t.Errorf("first day %q (%v), want 2026-03-02 or the import's day if earlier", day, err)
		}
		if day, err := st.FirstDay(ctx, "nope"); err != nil || day != "" {
			t.Errorf("first day of no role: %q %v", day, err)
		}
	})
}

// TestReleases: a node's noisy cells are stored once, whoever saves it
// again, and are read back summed over nodes with their noise's variance.
func TestReleases(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		slice := release.Slice{VersionID: vid, Channel: "site", Mode: "quick"}
		cell := func(metric, key string, bucket int, n int64) release.Count {
			return release.Count{Slice: slice, Cell: release.Cell{Metric: metric, Key: key, Bucket: bucket}, N: n}
		}
		week := release.Node{Start: "2026-03-02", Days: 7}
		day := release.Node{Start: "2026-03-09", Days: 1}
		if err := st.SaveRelease(ctx, "pm", week, release.Params{Epsilon: 1, Delta: 1e-9, Sigma: 2},
			[]release.Count{cell(release.Completed, "", 0, 10), cell(release.Answer, "aaaaaaaaaa", 3, -1)}); err != nil {
			t.Fatal(err)
		}
		// Another run drew other noise for the same node: it is not kept.
		if err := st.SaveRelease(ctx, "pm", week, release.Params{Epsilon: 1, Delta: 1e-9, Sigma: 5},
			[]release.Count{cell(release.Completed, "", 0, 99)}); err != nil {
			t.Fatal(err)
		}
		if err := st.SaveRelease(ctx, "pm", day, release.Params{Epsilon: 1, Delta: 1e-9, Sigma: 3},
			[]release.Count{cell(release.Completed, "", 0, 4)}); err != nil {
			t.Fatal(err)
		}
		nodes, err := st.ReleasedNodes(ctx, "pm")
		if err != nil {
			t.Fatal(err)
		}
		if got := map[release.Node]bool{nodes[0]: true, nodes[len(nodes)-1]: true}; len(nodes) != 2 || !got[week] || !got[day] {
			t.Errorf("released nodes %v, want %v and %v", nodes, week, day)
		}
		sums, err := st.ReleasedSums(ctx, "pm", []release.Node{week, day})
		if err != nil {
			t.Fatal(err)
		}
		got := map[release.Cell]release.Released{}
		for _, r := range sums {
			if r.Slice != slice {
				t.Errorf("a sum in the wrong slice: %+v", r)
			}
			got[r.Cell] = r
		}
		if c := got[release.Cell{Metric: release.Completed}]; len(got) != 2 || c.N != 14 || c.Var != 4+9 {
			t.Errorf("completed %+v, want 10+4 with variance 4+9 (all sums: %+v)", c, sums)
		}
		if a := got[release.Cell{Metric: release.Answer, Key: "aaaaaaaaaa", Bucket: 3}]; a.N != -1 || a.Var != 4 {
			t.Errorf("answer %+v, want -1 with variance 4 (noise can go below 0)", a)
		}
		only, err := st.ReleasedSums(ctx, "pm", []release.Node{week}, release.Answer)
		if err != nil || len(only) != 1 || only[0].Metric != release.Answer {
			t.Errorf("answers only: %+v %v", only, err)
		}
		if none, err := st.ReleasedSums(ctx, "pm", []release.Node{{Start: "2026-01-01", Days: 1}}); err != nil || len(none) != 0 {
			t.Errorf("a node never released: %+v %v", none, err)
		}
	})
}
