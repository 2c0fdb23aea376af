package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
)

// TestPrivacy completes a check with identifying headers and then looks
// for them in every byte the server kept: the database, its WAL and the
// log.
func TestPrivacy(t *testing.T) {
	cfg := config.Default()
	cfg.DB = filepath.Join(t.TempDir(), "rolefit.db")
	cfg.LogLevel = "debug"
	store := mustOpenDB(t, cfg.DB)
	cat := catalog.New()
	if _, err := cat.Import(context.Background(), store, db.ReferenceRole, "product-manager-marketing.md"); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv, err := New(Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Submissions: store, Logger: logger,
		Now: func() time.Time { return time.Date(2026, 11, 29, 15, 4, 5, 0, time.UTC) }})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	ts := &testServer{Server: hs, srv: srv, store: store, cat: cat}

	markers := []string{"Marker-Agent-7f3e", "203.0.113.77", "marker-referrer.example", "127.0.0.1", "15:04:05", "T15:04"}
	c := ts.client(t)
	c.hc.Transport = headerTransport{http.Header{
		"User-Agent":      {"Mozilla/5.0 Marker-Agent-7f3e"},
		"X-Forwarded-For": {"203.0.113.77"},
		"X-Real-Ip":       {"203.0.113.77"},
		"Referer":         {"https://marker-referrer.example/jobs?id=1"},
	}}
	res := finishCheck(t, c, startCheck(t, c, "full"), answerAll("3", "4", "yes"))
	page := c.get(res.Header.Get("Location"))
	if page.StatusCode != http.StatusOK {
		t.Fatalf("result: %d", page.StatusCode)
	}
	if logs.Len() == 0 {
		t.Fatal("nothing was logged: the test would prove nothing")
	}
	if ts.countSubmissions(t) != 1 {
		t.Fatal("no submission stored")
	}
	var kept []byte
	for _, p := range []string{cfg.DB, cfg.DB + "-wal"} {
		b, err := os.ReadFile(p)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		kept = append(kept, b...)
	}
	if !bytes.Contains(kept, []byte("2026-11-29")) {
		t.Fatal("the submission's day is not in the files read: the test would prove nothing")
	}
	for _, m := range markers {
		if bytes.Contains(kept, []byte(m)) {
			t.Errorf("the database holds %q", m)
		}
		if strings.Contains(logs.String(), m) {
			t.Errorf("the log holds %q", m)
		}
	}
}

type headerTransport struct{ h http.Header }

func (ht headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	for k, v := range ht.h {
		r.Header[k] = v
	}
	return http.DefaultTransport.RoundTrip(r)
}

// editedReference is the reference role with one intermediate requirement
// reworded, so that it has a new id and a new version.
func editedReference(t *testing.T) []byte {
	t.Helper()
	old := "- Passion for design and usability"
	if !bytes.Contains(db.ReferenceRole, []byte(old)) {
		t.Fatal("reference role changed; update the test")
	}
	return bytes.Replace(db.ReferenceRole, []byte(old), []byte("- Passion for accessible design"), 1)
}

func TestResult_OlderVersion(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "quick"), answerAll("4", "9", "yes"))
	loc := res.Header.Get("Location")
	if _, err := ts.cat.Import(context.Background(), ts.store, editedReference(t), "product-manager-marketing.md"); err != nil {
		t.Fatal(err)
	}
	page := c.get(loc)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("status %d", page.StatusCode)
	}
	if page.testID("outdated").Length() != 1 {
		t.Error("no note that the role has changed")
	}
	// Measured against the version answered: still every item met.
	if got := fits(page); got["intermediate"] != "100 %" || got["senior"] != "100 %" {
		t.Errorf("fits %v", got)
	}
	if !strings.Contains(page.Body, "Passion for design and usability") {
		t.Error("the result does not show the items as they were")
	}
}

func TestWizard_CarriesOverToNewVersion(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	first := startCheck(t, c, "quick")
	if r := c.post("/roles/"+refSlug+"/check/1", stepForm(first, answerAll("3", "3", "yes"))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("step 1: %d", r.StatusCode)
	}
	if _, err := ts.cat.Import(context.Background(), ts.store, editedReference(t), "product-manager-marketing.md"); err != nil {
		t.Fatal(err)
	}
	// The reworded item is new, so step 1 is open again with it alone
	// unanswered; the other answers are kept.
	r := c.get("/roles/" + refSlug + "/check/2")
	if r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Fatalf("step 2 after the change: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	page := c.get("/roles/" + refSlug + "/check/1")
	items := page.testID("item").Length()
	// The quick check asks years as a number, kept in its value.
	answered := page.Doc.Find(`input[checked]`).Length() + page.Doc.Find(`input[type=number]:not([value=""])`).Length()
	if answered != items-1 {
		t.Errorf("%d of %d items answered after the change, want all but one", answered, items)
	}
	res := finishCheck(t, c, page, answerAll("4", "9", "yes"))
	if !strings.HasPrefix(res.Header.Get("Location"), "/results/") {
		t.Fatalf("finish: %q", res.Header.Get("Location"))
	}
	if got := fits(c.get(res.Header.Get("Location"))); got["intermediate"] != "100 %" {
		t.Errorf("fits %v", got)
	}
}

func TestResult_Apply(t *testing.T) {
	ts := newTestServer(t)
	e, _ := ts.cat.Get(refSlug)
	e.Role.ApplyURL = "https://jobs.example/apply/pm"
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "quick"), answerAll("3", "3", "yes"))
	page := c.get(res.Header.Get("Location"))
	href, ok := page.testID("apply").Attr("href")
	if !ok || !strings.HasSuffix(href, "/apply") || strings.Contains(href, "jobs.example") {
		t.Fatalf("apply link %q: it should go through rolefit", href)
	}
	r := c.get(href)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != e.Role.ApplyURL {
		t.Errorf("apply: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	e.Role.ApplyURL = ""
	if r := c.get(href); r.StatusCode != http.StatusNotFound {
		t.Errorf("apply without a link: %d", r.StatusCode)
	}
}
