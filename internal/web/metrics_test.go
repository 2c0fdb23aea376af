package web

import (
	"bufio"
	"context"
	"crypto/sha256"
	"net/http"
	"net/netip"
	"regexp"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/loadtest"
	"github.com/rolefit/rolefit/internal/submission"
)

func TestMetrics(t *testing.T) {
	ts := newTestServer(t)
	ts.store.ObserveBatches(ts.srv.ObserveBatch)
	c := ts.client(t)
	if r := c.get("/roles/product-manager-marketing"); r.StatusCode != http.StatusOK {
		t.Fatalf("role page: %d", r.StatusCode)
	}
	c.get("/roles/no-such-role-secret")
	c.get("/wp-login.php?user=someone@example.com")
	e, _ := ts.cat.Get("product-manager-marketing")
	sum := sha256.Sum256([]byte("token"))
	if err := ts.store.CreateSubmission(context.Background(), &submission.Submission{TokenHash: sum[:],
		RoleSlug: e.Role.Slug, VersionID: e.VersionID, Mode: "quick", Channel: "site", Day: "2026-11-29",
		Answers: map[string]float64{}, Fits: map[string]float64{}}); err != nil {
		t.Fatalf("create submission: %v", err)
	}

	// Two checks completed through the site (three steps each): two
	// acknowledgements.
	if rep := loadtest.Run(t.Context(), loadtest.Options{BaseURL: ts.URL, Applicants: 2, Concurrency: 1}); len(rep.Tokens) != 2 {
		t.Fatalf("two checks: %s %v", rep.Summary(), rep.Errors)
	}

	r := c.get("/metrics")
	if r.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics from loopback: %d %s", r.StatusCode, r.Body)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type = %q, want the Prometheus text format", ct)
	}
	for _, want := range []string{
		`rolefit_http_requests_total{method="GET",route="/roles/:slug",status="200"} 3`,
		`rolefit_http_requests_total{method="POST",route="/roles/:slug/check/:step",status="303"} 6`,
		`rolefit_http_requests_total{method="GET",route="/roles/:slug",status="404"} 1`,
		`rolefit_http_request_duration_seconds_bucket{method="GET",route="/roles/:slug",le="+Inf"} 4`,
		`rolefit_db_commit_batch_size_count `,
		`rolefit_db_commit_duration_seconds_count `,
		`rolefit_submissions_created_total 2`,
		`go_goroutines `,
		`go_memstats_heap_alloc_bytes `,
		`process_resident_memory_bytes `,
	} {
		if !strings.Contains(r.Body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
	// The probe of a PHP page is counted under a route template, never
	// its URL, and nothing a client sent appears in any label.
	for _, leak := range []string{"wp-login", "example.com", "secret", "product-manager-marketing", "127.0.0.1", "::1"} {
		if strings.Contains(r.Body, leak) {
			t.Errorf("metrics contain %q", leak)
		}
	}
	label := regexp.MustCompile(`route="([^"]*)"`)
	routes := map[string]bool{"unmatched": true}
	for _, rt := range ts.srv.echo.Routes() {
		routes[rt.Path] = true
	}
	sc := bufio.NewScanner(strings.NewReader(r.Body))
	for sc.Scan() {
		if m := label.FindStringSubmatch(sc.Text()); m != nil && !routes[m[1]] {
			t.Errorf("route label %q is not a registered route: %s", m[1], sc.Text())
		}
	}
}

func TestMetrics_Access(t *testing.T) {
	tests := []struct {
		name   string
		allow  string
		header string
		want   int
	}{
		{name: "LoopbackByDefault", allow: "loopback", want: http.StatusOK},
		{name: "ProxiedRequestRefused", allow: "loopback", header: "X-Forwarded-For", want: http.StatusForbidden},
		{name: "RealIPRefused", allow: "loopback", header: "X-Real-IP", want: http.StatusForbidden},
		{name: "ForwardedRefused", allow: "loopback", header: "Forwarded", want: http.StatusForbidden},
		{name: "None", allow: "none", want: http.StatusForbidden},
		{name: "OtherNetworkOnly", allow: "10.0.0.0/8", want: http.StatusForbidden},
		{name: "AnyEvenProxied", allow: "any", header: "X-Forwarded-For", want: http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			allow, err := config.ParseMetricsAllow(tt.allow)
			if err != nil {
				t.Fatal(err)
			}
			ts := newTestServer(t, func(c *config.Config) { c.MetricsAllow = allow })
			req, _ := http.NewRequest(http.MethodGet, ts.URL+"/metrics", nil)
			if tt.header != "" {
				req.Header.Set(tt.header, "198.51.100.7")
			}
			r := ts.client(t).do(req)
			if r.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", r.StatusCode, tt.want)
			}
			if r.StatusCode == http.StatusOK && !strings.Contains(r.Body, "rolefit_db_commit_duration_seconds") {
				t.Error("no metrics in the answer")
			}
		})
	}
}

func TestParseMetricsAllow(t *testing.T) {
	got, err := config.ParseMetricsAllow("loopback, 10.1.2.3, 192.168.0.0/16")
	if err != nil {
		t.Fatal(err)
	}
	want := []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"),
		netip.MustParsePrefix("10.1.2.3/32"), netip.MustParsePrefix("192.168.0.0/16")}
	if len(got) != len(want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("prefix %d = %v, want %v", i, got[i], want[i])
		}
	}
	if _, err := config.ParseMetricsAllow("everyone"); err == nil {
		t.Error(`"everyone" was accepted`)
	}
}
