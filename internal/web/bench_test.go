package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/score"
)

// The benchmarks below serve each page type through the whole server
// (router, middleware, handler, render) in process, as a returning browser
// asks for it, so that a regression in any layer shows in review:
//
//	go test -run '^$' -bench . -benchmem ./internal/web

// benchGet returns a request for path that carries c's cookies and the
// headers a browser sends.
func benchGet(b *testing.B, ts *testServer, c *client, path string) *http.Request {
	b.Helper()
	req := httptest.NewRequest(http.MethodGet, path, nil)
	u, _ := url.Parse(ts.URL)
	for _, ck := range c.hc.Jar.Cookies(u) {
		req.AddCookie(ck)
	}
	req.Header.Set("Accept-Encoding", "gzip, deflate, br, zstd")
	req.Header.Set("Accept", "text/html")
	return req
}

// serveBench serves req b.N times and fails unless each answer is 200.
func serveBench(b *testing.B, ts *testServer, req *http.Request) {
	b.Helper()
	h := ts.srv.Handler()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("GET %s: status %d", req.URL, rec.Code)
	}
	b.SetBytes(int64(rec.Body.Len()))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: status %d", req.URL, rec.Code)
		}
	}
}

func BenchmarkRolePage(b *testing.B) {
	ts := newTestServer(b)
	c := ts.client(b)
	c.get("/roles/" + refSlug) // the CSRF cookie of a returning visitor
	serveBench(b, ts, benchGet(b, ts, c, "/roles/"+refSlug))
}

// BenchmarkWizardStep serves the second step of a quick check whose first
// step is answered: the session cookie is decoded and the step rendered.
func BenchmarkWizardStep(b *testing.B) {
	ts := newTestServer(b)
	c := ts.client(b)
	page := c.get("/roles/" + refSlug)
	res := c.post("/roles/"+refSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}})
	step := c.get(res.Header.Get("Location"))
	res = c.post("/roles/"+refSlug+"/check/1", benchAnswers(step))
	if !strings.HasSuffix(res.Header.Get("Location"), "/check/2") {
		b.Fatalf("step 1: status %d location %q", res.StatusCode, res.Header.Get("Location"))
	}
	serveBench(b, ts, benchGet(b, ts, c, "/roles/"+refSlug+"/check/2"))
}

// BenchmarkResultPage serves the result of a full assessment.
func BenchmarkResultPage(b *testing.B) {
	ts := newTestServer(b)
	c := ts.client(b)
	page := c.get("/roles/" + refSlug)
	res := c.post("/roles/"+refSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"full"}})
	next := res.Header.Get("Location")
	for i := 0; strings.Contains(next, "/check/"); i++ {
		if i > 50 {
			b.Fatal("the check did not end")
		}
		step := c.get(next)
		next = c.post(next, benchAnswers(step)).Header.Get("Location")
	}
	if !strings.HasPrefix(next, "/results/") {
		b.Fatalf("the check ended at %q", next)
	}
	serveBench(b, ts, benchGet(b, ts, c, next))
}

// BenchmarkDashboardRole serves a role's dashboard to a signed-in
// recruiter over 20 demo checks of the last two weeks, released.
func BenchmarkDashboardRole(b *testing.B) {
	ts := newTestServer(b)
	ts.seedChecks(b, 20, 14, 1)
	ts.addUser(b, "rita@example.com", false)
	c := ts.client(b)
	c.login("rita@example.com")
	serveBench(b, ts, benchGet(b, ts, c, "/dashboard/roles/"+refSlug))
}

// BenchmarkSessionRoundTrip seals and opens the cookie of a full
// assessment with every question answered: the codec every wizard request
// pays for.
func BenchmarkSessionRoundTrip(b *testing.B) {
	ts := newTestServer(b)
	e, _ := ts.cat.Get(refSlug)
	p := check.NewPlan(e.Role, score.Full, -1)
	st := &checkState{Slug: refSlug, VersionID: e.VersionID, Mode: score.Full, Specialty: -1,
		Reached: len(p.Steps), Answers: make([]string, len(p.Questions))}
	for i := range st.Answers {
		st.Answers[i] = "3"
	}
	srv := ts.srv
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		if err := srv.saveCheck(srv.echo.NewContext(httptest.NewRequest(http.MethodGet, "/", nil), rec), st); err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		for _, ck := range rec.Result().Cookies() {
			req.AddCookie(ck)
		}
		got := srv.loadCheck(srv.echo.NewContext(req, httptest.NewRecorder()))
		if got == nil || len(got.Answers) != len(st.Answers) {
			b.Fatal("the check did not survive the round trip")
		}
	}
}

// benchAnswers answers every item of a step in the middle of its range.
func benchAnswers(step *response) url.Values {
	form := url.Values{"_csrf": {step.csrf()}, "action": {"next"}}
	step.testID("step-form").Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		switch typ, _ := in.Attr("type"); typ {
		case "radio":
			if v, _ := in.Attr("value"); v == "3" || v == "yes" {
				form.Set(name, v)
			}
		case "number":
			form.Set(name, "5")
		}
	})
	return form
}

// BenchmarkDashboardRoleSeeded serves the dashboard over a database filled
// by `rolefit-bench seed`, named by ROLEFIT_BENCH_DB (skipped without):
//
//	go run ./cmd/rolefit-bench seed -db /tmp/1m.db -n 1000000
//	ROLEFIT_BENCH_DB=/tmp/1m.db go test -run '^$' -bench Seeded ./internal/web
func BenchmarkDashboardRoleSeeded(b *testing.B) {
	path := os.Getenv("ROLEFIT_BENCH_DB")
	if path == "" {
		b.Skip("ROLEFIT_BENCH_DB names no seeded database")
	}
	ctx := context.Background()
	store := mustOpenDB(b, path)
	cat, err := catalog.Load(ctx, store)
	if err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.DB = path
	srv, err := New(Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Submissions: store, Recruiters: store})
	if err != nil {
		b.Fatal(err)
	}
	ts := &testServer{Server: httptest.NewServer(srv.Handler()), srv: srv, store: store, cat: cat}
	b.Cleanup(ts.Close)
	email := fmt.Sprintf("bench-%d@example.com", time.Now().UnixNano())
	ts.addUser(b, email, false)
	c := ts.client(b)
	c.login(email)
	serveBench(b, ts, benchGet(b, ts, c, "/dashboard/roles/"+refSlug))
}
