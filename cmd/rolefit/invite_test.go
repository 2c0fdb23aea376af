package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// serveForTest runs `rolefit serve` on a free port with the database file
// until the test ends, and returns its base URL.
func serveForTest(t *testing.T, dbPath string) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-addr", addr, "-db", dbPath}, func(string) string { return "" },
			strings.NewReader(""), io.Discard, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
	})
	base := "http://" + addr
	for i := 0; i < 200; i++ {
		if res, err := http.Get(base + "/healthz"); err == nil {
			res.Body.Close()
			return base
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatal("the server did not start")
	return ""
}

// browser is a cookie-keeping client that does not follow redirects.
type browser struct {
	t  *testing.T
	hc *http.Client
}

func newBrowser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, hc: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// get returns the status and the CSRF token of the page's first form.
func (b *browser) get(u string) (int, string) {
	b.t.Helper()
	res, err := b.hc.Get(u)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	csrf := ""
	if m := csrfField.FindSubmatch(body); m != nil {
		csrf = string(m[1])
	}
	return res.StatusCode, csrf
}

// post sends a form as a browser would from one of rolefit's pages and
// returns the status and where it redirects.
func (b *browser) post(u string, form url.Values) (int, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := b.hc.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

// TestInvite_EndToEnd: `rolefit user invite` prints a link to the running
// server; opening it, setting a password and signing in works, and then
// the link no longer does.
func TestInvite_EndToEnd(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "r.db")
	base := serveForTest(t, dbPath)
	out, stderr, err := runReturns(t, "", "-base-url", base, "user", "invite", "rita@example.com", "-db", dbPath)
	if err != nil {
		t.Fatalf("invite: %v %s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	link := lines[len(lines)-1]
	if !strings.HasPrefix(link, base+"/password/") {
		t.Fatalf("the last line is not a link to the server: %q", link)
	}

	b := newBrowser(t)
	status, csrf := b.get(link)
	if status != http.StatusOK || csrf == "" {
		t.Fatalf("open the link: status %d", status)
	}
	const pw = "seven owls ride the violet tram"
	if status, _ := b.post(link, url.Values{"_csrf": {csrf}, "password": {"password1234"}, "repeat": {"password1234"}}); status != http.StatusUnprocessableEntity {
		t.Errorf("a weak password: status %d, want 422", status)
	}
	if status, loc := b.post(link, url.Values{"_csrf": {csrf}, "password": {pw}, "repeat": {pw}}); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("set the password: status %d location %q", status, loc)
	}
	_, csrf = b.get(base + "/login")
	if status, loc := b.post(base+"/login", url.Values{"_csrf": {csrf}, "email": {"rita@example.com"}, "password": {pw}}); status != http.StatusSeeOther || loc != "/dashboard" {
		t.Fatalf("sign in: status %d location %q", status, loc)
	}
	if status, _ := b.get(base + "/dashboard"); status != http.StatusOK {
		t.Errorf("dashboard after signing in: status %d", status)
	}
	if status, _ := newBrowser(t).get(link); status != http.StatusGone {
		t.Errorf("the link opened again: status %d, want 410", status)
	}

	out, _, err = runReturns(t, "", "user", "list", "-db", dbPath)
	if err != nil || !strings.Contains(out, "rita@example.com") || !strings.Contains(out, "active") {
		t.Errorf("user list after the password is set: %v\n%s", err, out)
	}
	// Removing the account ends its session in the running server at once.
	if _, _, err := runReturns(t, "", "user", "remove", "rita@example.com", "-db", dbPath); err != nil {
		t.Fatal(err)
	}
	if status, _ := b.get(base + "/dashboard"); status != http.StatusSeeOther {
		t.Errorf("dashboard after the account is removed: status %d, want a redirect to sign in", status)
	}
}
