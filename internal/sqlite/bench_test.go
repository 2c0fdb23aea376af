package sqlite

import (
	"context"
	"math/rand/v2"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/rolefit/rolefit/internal/role"
)

// openBenchDB is openSubmissionDB for benchmarks.
func openBenchDB(b *testing.B) (*DB, int64) {
	b.Helper()
	d, err := Open(filepath.Join(b.TempDir(), "rolefit.db"))
	if err != nil {
		b.Fatalf("open: %v", err)
	}
	b.Cleanup(func() { d.Close() })
	v, err := d.SaveRoleVersion(context.Background(), "pm", "Product Manager", []byte("# PM\n"), "h1", role.Edits{})
	if err != nil {
		b.Fatalf("save role: %v", err)
	}
	return d, v.ID
}

// BenchmarkCreateSubmission stores submissions with their counters through
// the group-commit writer, one caller at a time and from many at once
// (each acknowledged after its fsync'd commit):
//
//	go test -run '^$' -bench CreateSubmission -benchmem ./internal/sqlite
func BenchmarkCreateSubmission(b *testing.B) {
	for _, tc := range []struct {
		name    string
		callers int
	}{{"OneCaller", 1}, {"ManyCallers", 64}} {
		b.Run(tc.name, func(b *testing.B) {
			d, vid := openBenchDB(b)
			ctx := context.Background()
			var seq atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(tc.callers)
			b.RunParallel(func(pb *testing.PB) {
				rng := rand.New(rand.NewPCG(uint64(seq.Add(1)), 1))
				for pb.Next() {
					s := randomSubmission(rng, int(seq.Add(1)), vid)
					if err := d.CreateSubmission(ctx, s); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
