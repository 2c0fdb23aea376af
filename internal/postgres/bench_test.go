package postgres

import (
	"context"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/rolefit/rolefit/internal/pgtest"
	"github.com/rolefit/rolefit/internal/role"
)

// BenchmarkCreateSubmission stores submissions with their counters from 64
// callers at once, committed in groups and, as the baseline at the same
// concurrency, each in a transaction of its own on a pool connection:
//
//	ROLEFIT_TEST_POSTGRES=postgres://… go test -run '^$' -bench CreateSubmission ./internal/postgres
func BenchmarkCreateSubmission(b *testing.B) {
	const callers = 64
	for _, o := range []Options{{}, {Ungrouped: true}} {
		b.Run(map[bool]string{false: "Grouped", true: "Ungrouped"}[o.Ungrouped], func(b *testing.B) {
			d := mustOpen(b, pgtest.Database(b), o)
			v, err := d.SaveRoleVersion(context.Background(), "pm", "Product Manager", []byte("# PM\n"), "h1", role.Edits{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			var seq atomic.Int64
			// SetParallelism multiplies GOMAXPROCS.
			b.SetParallelism(callers / runtime.GOMAXPROCS(0))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if err := d.CreateSubmission(ctx, newSubmission(fmt.Sprint("b", seq.Add(1)), v.ID)); err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
		})
	}
}
