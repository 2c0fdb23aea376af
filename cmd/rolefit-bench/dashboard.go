package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"time"

	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/internal/sqlite"
)

const (
	benchEmail    = "bench@rolefit.invalid"
	benchPassword = "a long synthetic benchmark passphrase"
)

// dashPoint is the dashboard's latency over one seeded database.
type dashPoint struct {
	Submissions int
	SeedTook    time.Duration
	P50, P99    time.Duration
	// First is the first view after the server started, with nothing
	// kept in memory yet.
	First time.Duration
	Bytes int
}

// dashStats compares the dashboard at two sizes.
type dashStats struct {
	// How says what was timed: the page over HTTP, or the stats read
	// alone when the page is not there.
	How          string
	Small, Large dashPoint
}

func (d dashStats) Ratio() float64 { return float64(d.Large.P50) / float64(d.Small.P50) }

// dashboardLatency seeds a database with n synthetic submissions, then
// times the role's dashboard page (signed in, default filters) reqs times
// in a row, one at a time.
func dashboardLatency(ctx context.Context, b *bench, n, reqs int) (dashPoint, string, error) {
	pt := dashPoint{Submissions: n}
	path := filepath.Join(b.dir, fmt.Sprintf("dash-%d.db", n))
	start := time.Now()
	if err := seed(ctx, path, n, 365, time.Now()); err != nil {
		return pt, "", fmt.Errorf("seed %d: %w", n, err)
	}
	pt.SeedTook = time.Since(start)
	if err := addBenchUser(ctx, path); err != nil {
		return pt, "", err
	}

	srv, err := b.startRolefit(ctx, path)
	if err != nil {
		return pt, "", err
	}
	defer srv.stop()
	a := newApplicant("http://"+srv.addr, http.DefaultTransport, 1)
	page := "/dashboard/roles/" + b.slug
	var lat []time.Duration
	if err := a.login(); err == nil {
		for i := 0; i < reqs+3; i++ {
			a.latencies = a.latencies[:0]
			resp, body, err := a.do(http.MethodGet, page, nil)
			if err != nil {
				return pt, "", err
			}
			if resp.StatusCode != http.StatusOK {
				return pt, "", fmt.Errorf("GET %s: status %d", page, resp.StatusCode)
			}
			if i == 0 {
				pt.First = a.latencies[0]
			}
			if i >= 3 { // the first few warm the page cache
				lat = append(lat, a.latencies[0])
				pt.Bytes = len(body)
			}
		}
		pt.P50, pt.P99 = percentile(lat, 50), percentile(lat, 99)
		return pt, "GET " + page + " signed in, default filters (last 90 days)", nil
	}
	// No dashboard to sign in to: time the stats read it would make.
	srv.stop()
	store, err := sqlite.Open(path)
	if err != nil {
		return pt, "", err
	}
	defer store.Close()
	to := time.Now().UTC()
	from := to.AddDate(0, 0, -89).Format(time.DateOnly)
	for i := 0; i < reqs+3; i++ {
		t := time.Now()
		if _, err := store.CounterSums(ctx, b.slug, from, to.Format(time.DateOnly)); err != nil {
			return pt, "", err
		}
		if i == 0 {
			pt.First = time.Since(t)
		}
		if i >= 3 {
			lat = append(lat, time.Since(t))
		}
	}
	pt.P50, pt.P99 = percentile(lat, 50), percentile(lat, 99)
	return pt, "sqlite CounterSums over the last 90 days (the dashboard page was not available)", nil
}

// addBenchUser makes the recruiter account the benchmark signs in with.
func addBenchUser(ctx context.Context, path string) error {
	store, err := sqlite.Open(path)
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
