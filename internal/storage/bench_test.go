package storage_test

import (
	"context"
	"path/filepath"
	"runtime"
	"sync/atomic"
	"testing"

	mathrand "math/rand/v2"

	"github.com/rolefit/rolefit/internal/pgtest"
	"github.com/rolefit/rolefit/internal/storage"
)

// BenchmarkCreateSubmission stores submissions with their counters from 64
// callers at once on each store, committed in groups and, as the baseline
// at the same concurrency, each in a transaction of its own (every one
// acknowledged after its durable commit):
//
//	go test -run '^$' -bench CreateSubmission ./internal/storage
//
// PostgreSQL runs when ROLEFIT_TEST_POSTGRES is set (see pgtest).
func BenchmarkCreateSubmission(b *testing.B) {
	const callers = 64
	addrs := map[string]func(b *testing.B) string{
		"SQLite":     func(b *testing.B) string { return filepath.Join(b.TempDir(), "rolefit.db") },
		"PostgreSQL": func(b *testing.B) string { return pgtest.Database(b) },
	}
	for _, name := range []string{"SQLite", "PostgreSQL"} {
		for _, o := range []storage.Options{{}, {Ungrouped: true}} {
			b.Run(name+"/"+map[bool]string{false: "Grouped", true: "Ungrouped"}[o.Ungrouped], func(b *testing.B) {
				ctx := context.Background()
				st, err := storage.OpenWith(ctx, addrs[name](b), o)
				if err != nil {
					b.Fatal(err)
				}
				defer st.Close()
				vid := seedRole(b, st)
				var seq atomic.Int64
				// SetParallelism multiplies GOMAXPROCS.
				b.SetParallelism(max(1, callers/runtime.GOMAXPROCS(0)))
				b.ReportAllocs()
				b.ResetTimer()
				b.RunParallel(func(pb *testing.PB) {
					rng := mathrand.New(mathrand.NewPCG(uint64(seq.Add(1)), 1))
					for pb.Next() {
						if err := st.CreateSubmission(ctx, randomSubmission(rng, int(seq.Add(1)), vid)); err != nil {
							b.Error(err)
							return
						}
					}
				})
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "submissions/s")
			})
		}
	}
}
