package release_test

import (
	"context"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

func mustOpenDB(t *testing.T) (*sqlite.DB, *catalog.Entry) {
	t.Helper()
	d, err := sqlite.Open(filepath.Join(t.TempDir(), "rolefit.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	e, err := catalog.New().Import(context.Background(), d, db.ReferenceRole, "pmm.md")
	if err != nil {
		t.Fatal(err)
	}
	return d, e
}

// store makes n quick checks on day, all rated 2, and returns their hashes.
func store(t *testing.T, d *sqlite.DB, e *catalog.Entry, day string, n int) [][]byte {
	t.Helper()
	p := check.NewPlan(e.Role, score.Quick, -1)
	a := score.Answers{}
	for _, q := range p.Questions {
		a[q.ID] = 2
	}
	res := score.Score(e.Role, score.Quick, a)
	var hashes [][]byte
	for i := range n {
		h := sha256.Sum256(fmt.Appendf(nil, "%s-%d", day, i))
		if err := d.CreateSubmission(context.Background(), &submission.Submission{TokenHash: h[:], RoleSlug: e.Role.Slug,
			VersionID: e.VersionID, Mode: "quick", Channel: "site", Day: day, Answers: a, Fits: res.Fits(),
			Recommended: res.Recommended}); err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, h[:])
	}
	return hashes
}

func sums(t *testing.T, d *sqlite.DB, slug string, nodes []release.Node) map[string]int64 {
	t.Helper()
	rows, err := d.ReleasedSums(context.Background(), slug, nodes)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, r := range rows {
		out[fmt.Sprint(r.Slice, r.Cell)] = r.N
	}
	return out
}

// TestReleaser_OnceAndForAll: a node is released with a noisy value for
// every cell of its domain, zero or not; releasing again, deleting a
// check or purging never changes it; today is never released.
func TestReleaser_OnceAndForAll(t *testing.T) {
	ctx := context.Background()
	d, e := mustOpenDB(t)
	slug := e.Role.Slug
	hashes := store(t, d, e, "2026-11-10", 6)
	store(t, d, e, "2026-11-12", 3)
	now := time.Date(2026, 11, 12, 18, 0, 0, 0, time.UTC)
	rel := release.NewReleaser(d, func() time.Time { return now })
	if err := rel.Release(ctx, slug); err != nil {
		t.Fatal(err)
	}
	nodes, err := d.ReleasedNodes(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range nodes {
		if n.End() >= "2026-11-12" {
			t.Errorf("node %v reaches today", n)
		}
	}
	day := []release.Node{{Start: "2026-11-10", Days: 1}}
	before := sums(t, d, slug, day)
	// One cell per item, bucket and level, whole role and each slice.
	if len(before) < 4*100 {
		t.Fatalf("a day released %d cells, want every cell of the domain", len(before))
	}
	nonzero := 0
	for _, v := range before {
		if v != 0 {
			nonzero++
		}
	}
	// Most cells are truly zero: noise makes most of them not.
	if nonzero < len(before)/3 {
		t.Errorf("only %d of %d released cells are not zero: is noise added?", nonzero, len(before))
	}

	if err := d.DeleteSubmission(ctx, hashes[0]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.PurgeSubmissions(ctx, "2026-11-11"); err != nil {
		t.Fatal(err)
	}
	store(t, d, e, "2026-11-10", 2) // a late write
	now = now.AddDate(0, 0, 2)
	again := release.NewReleaser(d, func() time.Time { return now })
	if err := again.Release(ctx, slug); err != nil {
		t.Fatal(err)
	}
	after := sums(t, d, slug, day)
	for k, v := range before {
		if after[k] != v {
			t.Fatalf("cell %s moved from %d to %d after a delete, a purge and a late write", k, v, after[k])
		}
	}
	if later := sums(t, d, slug, []release.Node{{Start: "2026-11-12", Days: 1}}); len(later) == 0 {
		t.Error("the 12th was not released once it was over")
	}
}

// TestReleaser_HostDomain: the widget's per-host cells are those of the
// allow-list and "other", released whether or not anyone came from a site,
// and a host counted but not on the list gets no cell of its own.
func TestReleaser_HostDomain(t *testing.T) {
	ctx := context.Background()
	d, e := mustOpenDB(t)
	slug := e.Role.Slug
	ev := submission.Event{Day: "2026-11-10", RoleSlug: slug, VersionID: e.VersionID, Channel: "embed", Mode: "quick", Name: "started"}
	for _, h := range []string{"jobs.example.com", "gone.example.net"} {
		ev.Host = h
		if err := d.RecordEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	rel := release.NewReleaser(d, func() time.Time { return time.Date(2026, 11, 11, 9, 0, 0, 0, time.UTC) })
	rel.Hosts = []string{"jobs.example.com", "careers.example.org"}
	if err := rel.Release(ctx, slug); err != nil {
		t.Fatal(err)
	}
	rows, err := d.ReleasedSums(ctx, slug, []release.Node{{Start: "2026-11-10", Days: 1}}, release.HostMetrics...)
	if err != nil {
		t.Fatal(err)
	}
	hosts := map[string]int{}
	for _, r := range rows {
		if r.Slice.Channel != "embed" {
			t.Errorf("a host cell outside the widget's slices: %+v", r)
		}
		hosts[r.Cell.Key]++
	}
	want := map[string]int{"jobs.example.com": 3, "careers.example.org": 3, "other": 3}
	if fmt.Sprint(hosts) != fmt.Sprint(want) {
		t.Errorf("host cells %v, want %v", hosts, want)
	}
}
