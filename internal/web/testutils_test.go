package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// testServer is the real server on a real SQLite file, over real HTTP.
type testServer struct {
	*httptest.Server
	srv   *Server
	store *sqlite.DB
	cat   *catalog.Catalog
}

// newTestServer starts rolefit with the reference role imported. Options
// may change the configuration before the server is built.
func newTestServer(t testing.TB, opts ...func(*config.Config)) *testServer {
	t.Helper()
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "rolefit.db")
	for _, o := range opts {
		o(&cfg)
	}
	store := mustOpenDB(t, cfg.DB)
	ctx := context.Background()
	cat := catalog.New()
	if _, err := cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md"); err != nil {
		t.Fatalf("import reference role: %v", err)
	}
	srv, err := New(Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Submissions: store, Recruiters: store,
		Now: func() time.Time { return time.Date(2026, 11, 29, 15, 4, 5, 0, time.UTC) }})
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	ts := &testServer{Server: httptest.NewServer(srv.Handler()), srv: srv, store: store, cat: cat}
	t.Cleanup(ts.Close)
	return ts
}

func mustOpenDB(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("open db: %v", err)
	}
	t.Cleanup(func() { store.Close() })
	return store
}

// client is a browser-like client: it keeps cookies, does not follow
// redirects (tests check them), and sends Sec-Fetch-Site like a browser
// on the same origin.
type client struct {
	t    testing.TB
	base string
	hc   *http.Client
}

func (ts *testServer) client(t testing.TB) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: ts.URL, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a fetched page.
type response struct {
	*http.Response
	Body string
	Doc  *goquery.Document
}

func (c *client) do(req *http.Request) *response {
	c.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	r := &response{Response: res, Body: string(b)}
	r.Doc, _ = goquery.NewDocumentFromReader(strings.NewReader(r.Body))
	return r
}

func (c *client) get(path string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form as a browser would from one of rolefit's pages.
func (c *client) post(path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// csrf returns the CSRF token of the first form on a page.
func (r *response) csrf() string {
	v, _ := r.Doc.Find(`input[name="_csrf"]`).First().Attr("value")
	return v
}

func (r *response) testID(id string) *goquery.Selection {
	return r.Doc.Find(`[data-testid="` + id + `"]`)
}
