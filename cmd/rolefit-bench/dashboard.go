package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/storage"
)

const (
	benchEmail    = "bench@rolefit.invalid"
	benchPassword = "a long synthetic benchmark passphrase"
)

// dashPoint is the dashboard's latency over one seeded database.
type dashPoint struct {
	Submissions int
	SeedTook    time.Duration
	// ReleaseTook is how long the first start took to release every due
	// node (stored once; later starts find them done).
	ReleaseTook time.Duration
	P50, P99    time.Duration
	// First is the first view after a restart: the releases are stored,
	// nothing is kept in memory yet.
	First time.Duration
	Bytes int
}

// dashStats compares the dashboard at two sizes.
type dashStats struct {
	// How says what was timed.
	How          string
	Small, Large dashPoint
}

func (d dashStats) Ratio() float64 { return float64(d.Large.P50) / float64(d.Small.P50) }

// dashboard times the dashboard over the small and the large database,
// each made by newDB.
func (b *bench) dashboard(ctx context.Context, newDB func(name string) (string, error)) (dashStats, error) {
	var d dashStats
	for _, pt := range []struct {
		name string
		n    int
		dst  *dashPoint
	}{{"dash-small", b.SmallN, &d.Small}, {"dash-large", b.LargeN, &d.Large}} {
		addr, err := newDB(pt.name)
		if err != nil {
			return d, err
		}
		if *pt.dst, d.How, err = dashboardLatency(ctx, b, addr, pt.n, b.DashReqs); err != nil {
			return d, err
		}
	}
	return d, nil
}

// dashboardLatency seeds a database with n synthetic submissions, starts
// rolefit on it until its start-up releases are stored, stops it, starts
// it again and times the role's dashboard page (signed in, default
// filters): the first view after that restart, then reqs views in a row,
// one at a time. Every view must be the role's dashboard with figures, or
// the run fails.
func dashboardLatency(ctx context.Context, b *bench, addr string, n, reqs int) (dashPoint, string, error) {
	pt := dashPoint{Submissions: n}
	start := time.Now()
	if err := seed(ctx, addr, n, 365, time.Now()); err != nil {
		return pt, "", fmt.Errorf("seed %d: %w", n, err)
	}
	pt.SeedTook = time.Since(start)
	if err := checkSeeded(ctx, addr, n); err != nil {
		return pt, "", err
	}
	if err := addBenchUser(ctx, addr); err != nil {
		return pt, "", err
	}

	srv, err := b.startRolefit(ctx, addr)
	if err != nil {
		return pt, "", err
	}
	start = time.Now()
	err = waitReleased(ctx, addr, b.slug, 5*time.Minute)
	pt.ReleaseTook = time.Since(start)
	srv.stop()
	if err != nil {
		return pt, "", err
	}

	if srv, err = b.startRolefit(ctx, addr); err != nil {
		return pt, "", err
	}
	defer srv.stop()
	a := newApplicant("http://"+srv.addr, http.DefaultTransport, 1)
	if err := a.login(); err != nil {
		return pt, "", fmt.Errorf("sign in as %s: %w", benchEmail, err)
	}
	page := "/dashboard/roles/" + b.slug
	var lat []time.Duration
	for i := 0; i < reqs+1; i++ {
		a.latencies = a.latencies[:0]
		resp, body, err := a.do(http.MethodGet, page, nil)
		if err != nil {
			return pt, "", err
		}
		if resp.StatusCode != http.StatusOK {
			return pt, "", fmt.Errorf("GET %s: status %d", page, resp.StatusCode)
		}
		if !bytes.Contains(body, []byte(`data-testid="headline"`)) || bytes.Contains(body, []byte(`data-testid="empty"`)) {
			return pt, "", fmt.Errorf("GET %s: the page shows no released figures", page)
		}
		if i == 0 {
			pt.First = a.latencies[0]
			continue
		}
		lat = append(lat, a.latencies[0])
		pt.Bytes = len(body)
	}
	pt.P50, pt.P99 = percentile(lat, 50), percentile(lat, 99)
	return pt, "GET " + page + " signed in, default filters (last 90 days)", nil
}

// checkSeeded fails unless the database holds exactly n submissions.
func checkSeeded(ctx context.Context, addr string, n int) error {
	store, err := storage.Open(ctx, addr)
	if err != nil {
		return err
	}
	defer store.Close()
	got, err := store.CountSubmissions(ctx, "")
	if err != nil {
		return err
	}
	if got != n {
		return fmt.Errorf("seed: the database holds %d submissions, not %d", got, n)
	}
	return nil
}

// waitReleased waits until every node of slug that is due is stored, as
// the server's start-up releases them.
func waitReleased(ctx context.Context, addr, slug string, limit time.Duration) error {
	store, err := storage.Open(ctx, addr)
	if err != nil {
		return err
	}
	defer store.Close()
	first, err := store.FirstDay(ctx, slug)
	if err != nil {
		return err
	}
	due := len(release.Due(first, release.LastClosed(time.Now())))
	deadline := time.Now().Add(limit)
	for {
		got, err := store.ReleasedNodes(ctx, slug)
		if err != nil {
			return err
		}
		if len(got) >= due {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("rolefit released %d of %d due nodes of %s in %s", len(got), due, slug, limit)
		}
		if sleep(ctx, 100*time.Millisecond); ctx.Err() != nil {
			return ctx.Err()
		}
	}
}

// addBenchUser makes the recruiter account the benchmark signs in with.
func addBenchUser(ctx context.Context, addr string) error {
	store, err := storage.Open(ctx, addr)
	if err != nil {
		return err
	}
	defer store.Close()
	if _, err := store.UserByEmail(ctx, benchEmail); err == nil {
		return nil
	}
	hash, err := password.NewHasher(password.Default, 1).Hash(ctx, benchPassword)
	if err != nil {
		return err
	}
	_, err = store.CreateUser(ctx, benchEmail, hash, false)
	return err
}

// login signs the applicant's client in as the bench recruiter.
func (a *applicant) login() error {
	doc, err := a.page("/login")
	if err != nil {
		return err
	}
	csrf := doc.Find(`input[name="_csrf"]`).Last().AttrOr("value", "")
	_, err = a.post("/login", url.Values{"_csrf": {csrf}, "email": {benchEmail}, "password": {benchPassword}})
	return err
}
