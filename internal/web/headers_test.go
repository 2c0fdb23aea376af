package web

import (
	"context"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/submission"
)

const embedOrigin = "https://jobs.example.com"

// routeFixture is a server with one of everything a route can name: a
// signed-in admin, a started check, a stored result, an API token.
type routeFixture struct {
	ts     *testServer
	c      *client
	token  string // a result token
	api    string // an API bearer token
	params map[string]string
}

func newRouteFixture(t *testing.T, ts *testServer, c *client) *routeFixture {
	t.Helper()
	ctx := context.Background()
	f := &routeFixture{ts: ts, c: c}
	e, _ := ts.cat.Get(embedSlug)
	e.Role.ApplyURL = "https://jobs.example.com/apply"
	tok, hash, err := ts.srv.newToken()
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.store.CreateSubmission(ctx, &submission.Submission{TokenHash: hash, RoleSlug: e.Role.Slug,
		VersionID: e.VersionID, Mode: "quick", Channel: "site", Day: "2026-11-29",
		Answers: map[string]float64{}, Fits: map[string]float64{}}); err != nil {
		t.Fatal(err)
	}
	f.token = tok
	ts.addUser(t, "ada@example.com", true)
	c.login("ada@example.com")
	api, apiHash := NewAPIToken()
	at, err := ts.store.CreateAPIToken(ctx, "bi", apiHash, "")
	if err != nil {
		t.Fatal(err)
	}
	f.api = api
	// Another account than the admin's own, which the admin may not change.
	ts.addUser(t, "rita@example.com", false)
	user, err := ts.store.UserByEmail(ctx, "rita@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// Start a quick check so that its steps answer 200.
	page := c.get("/roles/" + embedSlug)
	if r := c.post("/roles/"+embedSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("start the check: %d", r.StatusCode)
	}
	saved := c.get("/roles/" + embedSlug + "/check/saved").testID("resume-link").Text()
	_, resumeQuery, _ := strings.Cut(saved, "?")
	f.params = map[string]string{
		"?resume": resumeQuery,
		"slug":    embedSlug,
		"token":   tok,
		"step":    "1",
		"item":    e.Role.Levels[0].Requirements[0].ID,
		"user":    strconv.FormatInt(user.ID, 10),
		"tok":     strconv.FormatInt(at.ID, 10),
		"link":    strings.TrimPrefix(ts.invite(t, "kim@example.com", ts.srv.Now().Add(time.Hour)), passwordLinkPath),
		"*":       strings.TrimPrefix(ts.srv.assets.url("css/app.css"), "/assets/"),
	}
	return f
}

// path fills in a route's parameters with the fixture's samples.
func (f *routeFixture) path(route string) string {
	parts := strings.Split(route, "/")
	for i, p := range parts {
		switch {
		case p == "*":
			parts[i] = f.params["*"]
		case p == ":id" && strings.HasPrefix(route, "/admin/users/"):
			parts[i] = f.params["user"]
		case p == ":id" && strings.HasPrefix(route, "/admin/tokens/"):
			parts[i] = f.params["tok"]
		case strings.HasPrefix(p, ":"):
			v, ok := f.params[p[1:]]
			if !ok {
				panic("headers_test: no sample value for route parameter " + p + " of " + route + "; add one to newRouteFixture")
			}
			parts[i] = v
		}
	}
	out := strings.Join(parts, "/")
	if strings.HasSuffix(route, "/resume") {
		out += "?" + f.params["?resume"]
	}
	return out
}

// routes are the routes registered on the Echo instance, without the
// catch-alls that groups add: every test over them grows with the app.
func (ts *testServer) routes() []*echo.Route {
	var out []*echo.Route
	for _, r := range ts.srv.echo.Routes() {
		if r.Method != echo.RouteNotFound {
			out = append(out, r)
		}
	}
	return out
}

// noStorePrefixes are the personal pages: the check, its result, the
// recruiters' and admins' pages, the widget's frame.
var noStorePrefixes = []string{"/roles/:slug/check", "/results/", "/dashboard", "/admin", "/embed/", "/login", "/api/", "/password/"}

func needsNoStore(route string) bool {
	for _, p := range noStorePrefixes {
		if strings.HasPrefix(route, p) {
			return true
		}
	}
	return false
}

// checkHeaders checks SPEC §9's header contract on one response.
func checkHeaders(t *testing.T, what, route string, r *response, frameAncestors string) {
	t.Helper()
	h := r.Header
	if r.StatusCode >= 500 {
		t.Errorf("%s: status %d", what, r.StatusCode)
	}
	if got := h.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("%s: X-Content-Type-Options = %q", what, got)
	}
	if strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		csp := h.Get("Content-Security-Policy")
		for _, want := range []string{"object-src 'none'", "base-uri 'none'", "frame-ancestors " + frameAncestors} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", what, csp, want)
			}
		}
		if strings.Count(csp, "frame-ancestors") != 1 {
			t.Errorf("%s: CSP %q names frame-ancestors more than once", what, csp)
		}
		if h.Get("Referrer-Policy") == "" {
			t.Errorf("%s: no Referrer-Policy", what)
		}
	}
	if needsNoStore(route) && !strings.Contains(h.Get("Cache-Control"), "no-store") {
		t.Errorf("%s: Cache-Control = %q, want no-store", what, h.Get("Cache-Control"))
	}
	for _, ck := range r.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("%s: cookie %s HttpOnly=%v SameSite=%v, want HttpOnly and Lax", what, ck.Name, ck.HttpOnly, ck.SameSite)
		}
	}
}

// TestHeaders_EveryRoute requests every registered route, GET as a signed-
// in admin with a check under way; POST as a cross-site form, as a form
// from another origin, and, where the form carries a token (the
// recruiters' and the widget's), as a same-origin form without it; and
// checks the header contract on each answer, error pages included.
func TestHeaders_EveryRoute(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.EmbedOrigins = []string{embedOrigin} })
	c := ts.client(t)
	f := newRouteFixture(t, ts, c)
	csrf := c.get("/admin/tokens").csrf()
	seen := 0
	for _, rt := range ts.routes() {
		path := f.path(rt.Path)
		ancestors := "'none'"
		if strings.HasPrefix(rt.Path, "/embed/") {
			ancestors = "'self' " + embedOrigin
		}
		switch rt.Method {
		case http.MethodGet:
			req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
			if strings.HasPrefix(rt.Path, "/api/") {
				req.Header.Set("Authorization", "Bearer "+f.api)
			}
			r := c.do(req)
			checkHeaders(t, "GET "+path, rt.Path, r, ancestors)
			if r.StatusCode >= 400 {
				t.Errorf("GET %s (%s): status %d, want a page for the fixture's sample", path, rt.Path, r.StatusCode)
			}
		case http.MethodPost:
			embed := strings.HasPrefix(rt.Path, "/embed/")
			tokened := embed || strings.HasPrefix(rt.Path, "/admin") || strings.HasPrefix(rt.Path, "/dashboard") || rt.Path == "/login"
			if tokened {
				r := c.post(path, url.Values{"action": {"next"}})
				checkHeaders(t, "POST "+path+" without token", rt.Path, r, ancestors)
				if r.StatusCode < 400 || r.StatusCode >= 500 {
					t.Errorf("POST %s without its token: status %d, want 4xx", path, r.StatusCode)
				}
				if !embed && r.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s without its CSRF token: status %d, want 403", path, r.StatusCode)
				}
			}
			for _, from := range []map[string]string{{"Sec-Fetch-Site": "cross-site"}, {"Origin": "https://evil.example"}} {
				req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(url.Values{"_csrf": {csrf}}.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				for k, v := range from {
					req.Header.Set(k, v)
				}
				r := c.do(req)
				checkHeaders(t, "cross-origin POST "+path, rt.Path, r, ancestors)
				if !embed && r.StatusCode != http.StatusForbidden {
					t.Errorf("POST %s with %v: status %d, want 403", path, from, r.StatusCode)
				}
			}
		default:
			t.Errorf("route %s %s: add its method to this test", rt.Method, rt.Path)
		}
		seen++
	}
	if seen < 30 {
		t.Errorf("only %d routes tested", seen)
	}
	// An unknown address gets the same contract on its error page.
	checkHeaders(t, "GET unknown", "", c.get("/no/such/page"), "'none'")
}

// TestHeaders_CookiesUnderTLS serves over TLS: every cookie must then be
// Secure, HttpOnly, SameSite=Lax and __Host- prefixed (so Path=/ and no
// Domain), the applicant's, the CSRF and the recruiter's session alike.
func TestHeaders_CookiesUnderTLS(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.TLSCert, c.TLSKey = "cert.pem", "key.pem" })
	tlsSrv := httptest.NewTLSServer(ts.srv.Handler())
	defer tlsSrv.Close()
	jar, _ := cookiejar.New(nil)
	c := &client{t: t, base: tlsSrv.URL, hc: &http.Client{Transport: tlsSrv.Client().Transport, Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	ts.addUser(t, "ada@example.com", true)

	var cookies []*http.Cookie
	keep := func(r *response) *response {
		cookies = append(cookies, r.Cookies()...)
		return r
	}
	page := keep(c.get("/roles/" + embedSlug))
	keep(c.post("/roles/"+embedSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}}))
	keep(c.get("/roles/" + embedSlug + "/check/1"))
	login := keep(c.get("/login"))
	r := keep(c.post("/login", url.Values{"_csrf": {login.csrf()}, "email": {"ada@example.com"}, "password": {testPassword}}))
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("login over TLS: %d", r.StatusCode)
	}
	names := map[string]bool{}
	for _, ck := range cookies {
		if ck.MaxAge < 0 {
			continue // a deletion
		}
		names[ck.Name] = true
		if !strings.HasPrefix(ck.Name, "__Host-") || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode ||
			ck.Path != "/" || ck.Domain != "" {
			t.Errorf("cookie %s: Secure=%v HttpOnly=%v SameSite=%v Path=%q Domain=%q; want __Host-, Secure, HttpOnly, Lax, /, no domain",
				ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite, ck.Path, ck.Domain)
		}
	}
	if len(names) < 3 {
		t.Errorf("cookies seen: %v; want the CSRF, check and recruiter session cookies", names)
	}

	// Over plain HTTP the same cookies are neither Secure nor __Host-
	// (browsers would refuse them), but still HttpOnly and Lax.
	plain := newTestServer(t)
	for _, ck := range plain.client(t).get("/roles/" + embedSlug).Cookies() {
		if ck.Secure || strings.HasPrefix(ck.Name, "__Host-") || !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode {
			t.Errorf("plain HTTP cookie %s: Secure=%v HttpOnly=%v SameSite=%v", ck.Name, ck.Secure, ck.HttpOnly, ck.SameSite)
		}
	}
}

// TestIPExtractor checks that X-Forwarded-For and X-Real-IP are believed
// only from the configured proxies.
func TestIPExtractor(t *testing.T) {
	proxy := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	tests := []struct {
		name    string
		trusted []netip.Prefix
		peer    string
		xff     string
		realIP  string
		want    string
	}{
		{name: "NoProxiesSpoofedXFF", peer: "203.0.113.9:5000", xff: "198.51.100.1", want: "203.0.113.9"},
		{name: "NoProxiesSpoofedRealIP", peer: "203.0.113.9:5000", realIP: "198.51.100.1", want: "203.0.113.9"},
		{name: "NoProxiesLoopbackPeer", peer: "127.0.0.1:5000", xff: "198.51.100.1", want: "127.0.0.1"},
		{name: "UntrustedPeerSpoofedXFF", trusted: proxy, peer: "203.0.113.9:5000", xff: "198.51.100.1", want: "203.0.113.9"},
		{name: "UntrustedPeerSpoofedRealIP", trusted: proxy, peer: "203.0.113.9:5000", realIP: "198.51.100.1", want: "203.0.113.9"},
		{name: "TrustedProxy", trusted: proxy, peer: "10.0.0.2:5000", xff: "198.51.100.1", want: "198.51.100.1"},
		{name: "TrustedProxyChain", trusted: proxy, peer: "10.0.0.2:5000", xff: "198.51.100.1, 10.0.0.3", want: "198.51.100.1"},
		{name: "TrustedProxyClientSpoofsLeftmost", trusted: proxy, peer: "10.0.0.2:5000", xff: "1.1.1.1, 198.51.100.1", want: "198.51.100.1"},
		{name: "TrustedProxyNoHeader", trusted: proxy, peer: "10.0.0.2:5000", want: "10.0.0.2"},
		{name: "LoopbackNotTrustedImplicitly", trusted: proxy, peer: "127.0.0.1:5000", xff: "198.51.100.1", want: "127.0.0.1"},
		{name: "IPv6Peer", peer: "[2001:db8::1]:5000", xff: "198.51.100.1", want: "2001:db8::1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.RemoteAddr = tt.peer
			if tt.xff != "" {
				req.Header.Set("X-Forwarded-For", tt.xff)
			}
			if tt.realIP != "" {
				req.Header.Set("X-Real-IP", tt.realIP)
			}
			if got := ipExtractor(tt.trusted)(req); got != tt.want {
				t.Errorf("client address %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHTTPServerTimeouts checks that slow or idle clients cannot hold
// connections: every timeout of the http.Server is set and bounded.
func TestHTTPServerTimeouts(t *testing.T) {
	ts := newTestServer(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	hs := ts.srv.HTTPServer(ln)
	for name, d := range map[string]time.Duration{
		"ReadHeaderTimeout": hs.ReadHeaderTimeout, "ReadTimeout": hs.ReadTimeout,
		"WriteTimeout": hs.WriteTimeout, "IdleTimeout": hs.IdleTimeout,
	} {
		if d <= 0 || d > 2*time.Minute {
			t.Errorf("%s = %v, want set and at most 2m", name, d)
		}
	}
	if hs.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("ReadHeaderTimeout = %v: a slowloris client could hold a connection that long", hs.ReadHeaderTimeout)
	}
	if hs.MaxHeaderBytes <= 0 || hs.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes = %d", hs.MaxHeaderBytes)
	}
}
