package report_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/demo"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// TestUtility_ManyDraws measures how often the dashboard is useful at 20
// checks: ROLEFIT_UTILITY_RUNS times, a fresh database gets rolefit demo's
// 20 checks over 14 days and fresh noise, and the test reports the share
// of requirement items given a share or mean (the bar is 80 %). It
// is a measurement, skipped unless asked for:
//
//	ROLEFIT_UTILITY_RUNS=100 go test -run ManyDraws -v ./internal/report
func TestUtility_ManyDraws(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("ROLEFIT_UTILITY_RUNS"))
	if runs < 1 {
		t.Skip("ROLEFIT_UTILITY_RUNS is not set")
	}
	ctx := context.Background()
	now := time.Now()
	clock := func() time.Time { return now }
	last := now.UTC().AddDate(0, 0, -1)
	var sum, lowest float64 = 0, 1
	below := 0
	for i := range runs {
		d, err := sqlite.Open(filepath.Join(t.TempDir(), fmt.Sprint(i, ".db")))
		if err != nil {
			t.Fatal(err)
		}
		e, err := catalog.New().Import(ctx, d, db.ReferenceRole, "pmm.md")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Run(ctx, d, e, demo.Options{Checks: 20, Days: 14, Now: now}); err != nil {
			t.Fatal(err)
		}
		src := report.Source{Store: d, Releaser: release.NewReleaser(d, clock), K: 5, Now: clock}
		r, err := src.Build(ctx, e.Role, report.StatsFilter{Role: e.Role.Slug,
			From: last.AddDate(0, 0, -89).Format(time.DateOnly), To: last.Format(time.DateOnly)})
		if err != nil {
			t.Fatal(err)
		}
		shown := 0
		for _, it := range r.Items {
			if it.Share.Hidden == "" || (it.Mean != nil && it.Mean.Hidden == "") {
				shown++
			}
		}
		f := float64(shown) / float64(len(r.Items))
		sum += f
		lowest = min(lowest, f)
		if f < 0.8 {
			below++
		}
		d.Close()
	}
	t.Logf("%d runs of 20 checks over 14 days: items with a figure %.1f %% on average, %.1f %% at the lowest, below 80 %% in %d",
		runs, 100*sum/float64(runs), 100*lowest, below)
}
