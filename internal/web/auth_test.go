package web

import (
	"context"
	"fmt"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/password"
)

const testPassword = "violet tram carries seven owls"

// addUser makes an account directly in storage.
func (ts *testServer) addUser(t testing.TB, email string, isAdmin bool) {
	t.Helper()
	h, err := password.NewHasher(password.Params{Time: 1, Memory: 1024, Threads: 1}, 1).Hash(context.Background(), testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.CreateUser(context.Background(), email, h, isAdmin); err != nil {
		t.Fatal(err)
	}
}

// login signs c in and fails the test if that does not work.
func (c *client) login(email string) {
	c.t.Helper()
	// Someone signed in already is sent on from /login; their browser
	// still holds the token's cookie then (a form on another page would
	// carry the same value).
	csrf := c.get("/login").csrf()
	if csrf == "" {
		u, _ := url.Parse(c.base)
		for _, ck := range c.hc.Jar.Cookies(u) {
			if ck.Name == "rolefit_csrf" {
				csrf = ck.Value
			}
		}
	}
	res := c.post("/login", url.Values{"_csrf": {csrf}, "email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard" {
		c.t.Fatalf("login %s: status %d location %q body %s", email, res.StatusCode, res.Header.Get("Location"), res.Body)
	}
}

func (c *client) bearer(path, token string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return c.do(req)
}

// TestAuthMatrix checks every recruiter, admin and API route as an
// anonymous visitor, with a wrong token, as a recruiter and as an admin.
func TestAuthMatrix(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", false)
	ts.addUser(t, "ada@example.com", true)
	token, hash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash, ""); err != nil {
		t.Fatal(err)
	}
	slug := "product-manager-marketing"
	pages := []struct {
		path  string
		admin bool
	}{
		{"/dashboard", false},
		{"/dashboard/roles/" + slug, false},
		{"/dashboard/roles/" + slug + ".csv?table=requirements", false},
		{"/dashboard/password", false},
		{"/admin/", true},
		{"/admin/import", true},
		{"/admin/roles/" + slug, true},
		{"/admin/roles/" + slug + "/versions", true},
		{"/admin/roles/" + slug + "/archive", true},
		{"/admin/users", true},
		{"/admin/tokens", true},
	}
	posts := []string{"/admin/import", "/admin/import/publish", "/admin/roles/" + slug + "/apply-url",
		"/admin/roles/" + slug + "/archive", "/admin/roles/" + slug, "/admin/users",
		"/admin/users/1/delete", "/admin/users/1/admin", "/admin/users/1/reset", "/admin/tokens", "/admin/tokens/1/delete"}
	apis := []string{"/api/v1/roles", "/api/v1/roles/" + slug + "/stats"}

	anon := ts.client(t)
	rita := ts.client(t)
	rita.login("rita@example.com")
	ada := ts.client(t)
	ada.login("ada@example.com")

	for _, p := range pages {
		t.Run("Anonymous"+p.path, func(t *testing.T) {
			res := anon.get(p.path)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=") {
				t.Errorf("status %d location %q", res.StatusCode, res.Header.Get("Location"))
			}
		})
		t.Run("Recruiter"+p.path, func(t *testing.T) {
			want := http.StatusOK
			if p.admin {
				want = http.StatusForbidden
			}
			if res := rita.get(p.path); res.StatusCode != want {
				t.Errorf("status %d, want %d", res.StatusCode, want)
			}
		})
		t.Run("Admin"+p.path, func(t *testing.T) {
			res := ada.get(p.path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("status %d", res.StatusCode)
			}
			if cc := res.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
	csrf := ada.get("/admin/").csrf()
	for _, p := range posts {
		t.Run("AnonymousPOST"+p, func(t *testing.T) {
			res := anon.post(p, url.Values{"_csrf": {csrf}})
			if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login" {
				t.Errorf("status %d location %q", res.StatusCode, res.Header.Get("Location"))
			}
		})
		t.Run("RecruiterPOST"+p, func(t *testing.T) {
			if res := rita.post(p, url.Values{"_csrf": {rita.get("/dashboard").csrf()}}); res.StatusCode != http.StatusForbidden {
				t.Errorf("status %d", res.StatusCode)
			}
		})
		t.Run("AdminWithoutCSRF"+p, func(t *testing.T) {
			if res := ada.post(p, url.Values{}); res.StatusCode != http.StatusForbidden {
				t.Errorf("status %d", res.StatusCode)
			}
		})
	}
	for _, p := range apis {
		t.Run("API"+p, func(t *testing.T) {
			for name, tc := range map[string]struct {
				c     *client
				token string
				want  int
			}{
				"Anonymous":        {anon, "", http.StatusUnauthorized},
				"WrongToken":       {anon, token + "x", http.StatusUnauthorized},
				"RecruiterCookie":  {rita, "", http.StatusUnauthorized},
				"AdminCookie":      {ada, "", http.StatusUnauthorized},
				"Token":            {anon, token, http.StatusOK},
				"TokenAsRecruiter": {rita, token, http.StatusOK},
			} {
				res := tc.c.bearer(p, tc.token)
				if res.StatusCode != tc.want {
					t.Errorf("%s: status %d, want %d", name, res.StatusCode, tc.want)
				}
				if !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
					t.Errorf("%s: content type %q", name, res.Header.Get("Content-Type"))
				}
				if tc.want == http.StatusUnauthorized && !strings.Contains(res.Body, `"error"`) {
					t.Errorf("%s: body %s", name, res.Body)
				}
			}
		})
	}
}

func TestLogin(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	t.Run("ErrWrongPassword", func(t *testing.T) {
		c := ts.client(t)
		res := c.post("/login", url.Values{"_csrf": {c.get("/login").csrf()}, "email": {"ada@example.com"}, "password": {"nope"}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("login-error").Length() != 1 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("NewSessionIDAtLogin", func(t *testing.T) {
		c := ts.client(t)
		c.login("ada@example.com")
		u, _ := url.Parse(ts.URL)
		first := c.hc.Jar.Cookies(u)
		c.login("ada@example.com")
		second := c.hc.Jar.Cookies(u)
		if sessionCookie(first) == "" || sessionCookie(first) == sessionCookie(second) {
			t.Errorf("session id not renewed: %q → %q", sessionCookie(first), sessionCookie(second))
		}
	})
	t.Run("CookieFlags", func(t *testing.T) {
		c := ts.client(t)
		page := c.get("/login")
		res := c.post("/login", url.Values{"_csrf": {page.csrf()}, "email": {"ada@example.com"}, "password": {testPassword}})
		sc := strings.Join(res.Header.Values("Set-Cookie"), "\n")
		if !strings.Contains(sc, "rolefit_recruiter=") || !strings.Contains(sc, "HttpOnly") || !strings.Contains(sc, "SameSite=Lax") {
			t.Errorf("Set-Cookie %q", sc)
		}
	})
	t.Run("NextStaysOnSite", func(t *testing.T) {
		c := ts.client(t)
		page := c.get("/login?next=//evil.example/")
		res := c.post("/login", url.Values{"_csrf": {page.csrf()}, "email": {"ada@example.com"}, "password": {testPassword},
			"next": {"//evil.example/"}})
		if loc := res.Header.Get("Location"); loc != "/dashboard" {
			t.Errorf("redirect to %q", loc)
		}
	})
}

func TestSecureCookieOverTLS(t *testing.T) {
	ts := newTestServer(t)
	st := ts.srv.rec.sessions
	if st.name != "rolefit_recruiter" {
		t.Fatalf("name %q without TLS", st.name)
	}
	ts.srv.Config.TLSCert, ts.srv.Config.TLSKey = "c", "k"
	rec := ts.srv.newRecruiting()
	if rec.sessions.name != "__Host-rolefit_recruiter" || !rec.sessions.opts.Secure || rec.sessions.opts.Path != "/" {
		t.Errorf("over TLS: %q %+v", rec.sessions.name, rec.sessions.opts)
	}
}

func sessionCookie(cs []*http.Cookie) string {
	for _, c := range cs {
		if c.Name == "rolefit_recruiter" {
			return c.Value
		}
	}
	return ""
}

func TestLoginThrottle(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	csrf := c.get("/login").csrf()
	for i := range throttleAccount {
		res := c.post("/login", url.Values{"_csrf": {csrf}, "email": {"ada@example.com"}, "password": {"wrong password " + string(rune('a'+i))}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d", i+1, res.StatusCode)
		}
	}
	// Even the right password is refused until the window ends.
	res := c.post("/login", url.Values{"_csrf": {csrf}, "email": {"ada@example.com"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("status %d, want 429", res.StatusCode)
	}
	if res.Header.Get("Retry-After") != "900" {
		t.Errorf("Retry-After %q", res.Header.Get("Retry-After"))
	}
	if !strings.Contains(res.testID("login-error").Text(), "15 minutes") {
		t.Errorf("message %q", res.testID("login-error").Text())
	}
	// Per client: other accounts from the same address are throttled
	// after the client's limit.
	ts.addUser(t, "bob@example.com", false)
	for i := range throttleClient {
		c.post("/login", url.Values{"_csrf": {csrf}, "email": {"nobody" + string(rune('a'+i)) + "@example.com"}, "password": {"x"}})
	}
	res = c.post("/login", url.Values{"_csrf": {csrf}, "email": {"bob@example.com"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Errorf("client limit: status %d, want 429", res.StatusCode)
	}
}

// TestSessionsEnd: signing out and removing an account end the session at
// once; the old cookie no longer works.
func TestSessionsEnd(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	ts.addUser(t, "rita@example.com", false)
	u, _ := url.Parse(ts.URL)

	t.Run("Logout", func(t *testing.T) {
		c := ts.client(t)
		c.login("rita@example.com")
		stolen := c.hc.Jar.Cookies(u)
		res := c.post("/logout", url.Values{"_csrf": {c.get("/dashboard").csrf()}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("logout status %d", res.StatusCode)
		}
		replay := ts.client(t)
		replay.hc.Jar.SetCookies(u, stolen)
		if res := replay.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("old cookie still works after logout: %d", res.StatusCode)
		}
	})
	t.Run("AccountRemoved", func(t *testing.T) {
		rita := ts.client(t)
		rita.login("rita@example.com")
		if res := rita.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Fatalf("status %d", res.StatusCode)
		}
		ada := ts.client(t)
		ada.login("ada@example.com")
		page := ada.get("/admin/users")
		href, ok := page.Doc.Find(`[data-email="rita@example.com"] [data-testid="remove-user"]`).Attr("href")
		if !ok {
			t.Fatal("no Remove link beside rita's account")
		}
		confirm := ada.get(href)
		action, _ := confirm.testID("user-confirm-form").Attr("action")
		if res := ada.post(action, url.Values{"_csrf": {confirm.csrf()}}); res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("remove without ticking the box: status %d", res.StatusCode)
		}
		if res := rita.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Fatalf("an unconfirmed removal signed rita out: status %d", res.StatusCode)
		}
		res := ada.post(action, url.Values{"_csrf": {confirm.csrf()}, "confirm": {"1"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("remove: status %d %s", res.StatusCode, res.Body)
		}
		if res := rita.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("removed account still signed in: %d", res.StatusCode)
		}
	})
}

func TestAdminUsers(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	ada := ts.client(t)
	ada.login("ada@example.com")
	page := ada.get("/admin/users")
	t.Run("ErrBadEmail", func(t *testing.T) {
		res := ada.post("/admin/users", url.Values{"_csrf": {page.csrf()}, "email": {"new at example"}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("field-error").Length() != 1 {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("InviteAndPromote", func(t *testing.T) {
		res := ada.post("/admin/users", url.Values{"_csrf": {page.csrf()}, "email": {"new@example.com"}})
		link, _ := res.testID("link").Attr("value")
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(link, ts.URL+"/password/") {
			t.Fatalf("status %d, link %q", res.StatusCode, link)
		}
		if st := res.Doc.Find(`[data-email="new@example.com"] [data-testid="user-status"]`).Text(); !strings.HasPrefix(st, "invited") {
			t.Errorf("status of the invited account: %q", st)
		}
		nu := ts.client(t)
		nu.setPassword(strings.TrimPrefix(link, ts.URL), testPassword)
		nu.login("new@example.com")
		if res := nu.get("/admin/"); res.StatusCode != http.StatusForbidden {
			t.Fatalf("recruiter reached admin: %d", res.StatusCode)
		}
		page := ada.get("/admin/users")
		if st := page.Doc.Find(`[data-email="new@example.com"] [data-testid="user-status"]`).Text(); st != "active" {
			t.Errorf("status after the password is set: %q", st)
		}
		action, _ := page.Doc.Find(`[data-email="new@example.com"] form[action$="/admin"]`).Attr("action")
		if res := ada.post(action, url.Values{"_csrf": {page.csrf()}, "admin": {"1"}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("promote: %d", res.StatusCode)
		}
		if res := nu.get("/admin/"); res.StatusCode != http.StatusOK {
			t.Errorf("promotion did not take effect at once: %d", res.StatusCode)
		}
	})
	t.Run("ErrInviteTwice", func(t *testing.T) {
		res := ada.post("/admin/users", url.Values{"_csrf": {page.csrf()}, "email": {"NEW@example.com"}})
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.testID("field-error").Text(), "has an account") {
			t.Errorf("status %d", res.StatusCode)
		}
	})
	t.Run("ErrSelf", func(t *testing.T) {
		if page.Doc.Find(`[data-email="ada@example.com"] form, [data-email="ada@example.com"] [data-testid="remove-user"]`).Length() != 0 {
			t.Error("an admin is offered to remove themselves")
		}
		me, err := ts.store.UserByEmail(context.Background(), "ada@example.com")
		if err != nil {
			t.Fatal(err)
		}
		res := ada.post("/admin/users/"+strconv.FormatInt(me.ID, 10)+"/reset", url.Values{"_csrf": {page.csrf()}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("an admin reset their own password: status %d", res.StatusCode)
		}
	})
}

// TestAPIToken_ExpiryAndLastUsed checks that an expired token gets 401,
// that a used token shows the day of its last use (a day, no time) on the
// admin page, and that the page's form refuses an expiry it cannot read.
func TestAPIToken_ExpiryAndLastUsed(t *testing.T) {
	ts := newTestServer(t) // today is 2026-11-29
	ctx := context.Background()
	live, liveHash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(ctx, "live", liveHash, "2026-11-30"); err != nil {
		t.Fatal(err)
	}
	old, oldHash := NewAPIToken()
	if _, err := ts.store.CreateAPIToken(ctx, "old", oldHash, "2026-11-29"); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	if res := c.bearer("/api/v1/roles", live); res.StatusCode != http.StatusOK {
		t.Errorf("token expiring tomorrow: %d, want 200", res.StatusCode)
	}
	res := c.bearer("/api/v1/roles", old)
	if res.StatusCode != http.StatusUnauthorized || !strings.Contains(res.Body, "expired on 2026-11-29") {
		t.Errorf("token expired today: %d %s, want 401 saying it expired", res.StatusCode, res.Body)
	}

	ts.addUser(t, "ada@example.com", true)
	c.login("ada@example.com")
	page := c.get("/admin/tokens")
	rows := map[string][2]string{}
	page.testID("token-row").Each(func(_ int, s *goquery.Selection) {
		rows[strings.TrimSpace(s.Find("th").Text())] = [2]string{
			strings.Join(strings.Fields(s.Find(`[data-testid="token-expires"]`).Text()), " "),
			strings.TrimSpace(s.Find(`[data-testid="token-last-used"]`).Text())}
	})
	if want := [2]string{"2026-11-30", "2026-11-29"}; rows["live"] != want {
		t.Errorf("live token shows %q, want %q", rows["live"], want)
	}
	if want := [2]string{"Expired on 2026-11-29", "Never"}; rows["old"] != want {
		t.Errorf("expired token shows %q, want %q", rows["old"], want)
	}

	csrf := page.csrf()
	for _, tc := range []struct{ expires, want string }{
		{"90d", "2027-02-27"},
		{"2027-01-15", "2027-01-15"},
		{"", "Never"},
	} {
		res := c.post("/admin/tokens", url.Values{"_csrf": {csrf}, "name": {"made" + tc.expires}, "expires": {tc.expires}})
		if res.StatusCode != http.StatusOK || res.testID("token").Text() == "" {
			t.Fatalf("expires %q: %d, no token shown", tc.expires, res.StatusCode)
		}
		got := ""
		res.testID("token-row").Each(func(_ int, s *goquery.Selection) {
			if strings.TrimSpace(s.Find("th").Text()) == "made"+tc.expires {
				got = strings.TrimSpace(s.Find(`[data-testid="token-expires"]`).Text())
			}
		})
		if got != tc.want {
			t.Errorf("expires %q: shown as %q, want %q", tc.expires, got, tc.want)
		}
	}
	for _, bad := range []string{"soon", "0d", "2026-11-29", "2026-02-30"} {
		res := c.post("/admin/tokens", url.Values{"_csrf": {csrf}, "name": {"bad"}, "expires": {bad}})
		if res.StatusCode != http.StatusUnprocessableEntity || res.testID("token").Text() != "" ||
			res.Doc.Find("#expires[aria-invalid=true]").Length() != 1 {
			t.Errorf("expires %q: %d, want 422 with the field marked and no token", bad, res.StatusCode)
		}
	}
}

// TestLoginThrottle_ConcurrentBurst sends bursts of concurrent sign-ins:
// each attempt is counted before its password is hashed, so no more than
// 5 reach the hasher for one account from one client, and no more than
// 20 for one client across accounts.
func TestLoginThrottle_ConcurrentBurst(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	csrf := c.get("/login").csrf()
	burst := func(n int, email func(i int) string) map[int]int {
		var mu sync.Mutex
		codes := map[int]int{}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				res := c.post("/login", url.Values{"_csrf": {csrf}, "email": {email(i)}, "password": {"wrong password"}})
				mu.Lock()
				codes[res.StatusCode]++
				mu.Unlock()
			}()
		}
		wg.Wait()
		return codes
	}
	got := burst(30, func(int) string { return "ada@example.com" })
	if got[http.StatusUnprocessableEntity] != throttleAccount || got[http.StatusTooManyRequests] != 30-throttleAccount {
		t.Errorf("30 concurrent attempts on one account: %v, want %d checked and the rest 429", got, throttleAccount)
	}
	got = burst(40, func(i int) string { return fmt.Sprintf("nobody%d@example.com", i) })
	if checked := got[http.StatusUnprocessableEntity]; checked != throttleClient-throttleAccount {
		t.Errorf("40 concurrent attempts on other accounts: %v, want %d more checked (20 per client)", got, throttleClient-throttleAccount)
	}
}

// TestLoginThrottle_StrangerCannotLockOut: a stranger's wrong passwords
// lock the stranger out, not the account's owner on another address.
func TestLoginThrottle_StrangerCannotLockOut(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) {
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}
	})
	ts.addUser(t, "ada@example.com", true)
	attempt := func(c *client, from, pw string) int {
		csrf := c.get("/login").csrf()
		req, _ := http.NewRequest(http.MethodPost, c.base+"/login",
			strings.NewReader(url.Values{"_csrf": {csrf}, "email": {"ada@example.com"}, "password": {pw}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.Header.Set("X-Forwarded-For", from)
		return c.do(req).StatusCode
	}
	stranger, owner := ts.client(t), ts.client(t)
	for i := range throttleAccount {
		if code := attempt(stranger, "203.0.113.66", "guess "+strconv.Itoa(i)); code != http.StatusUnprocessableEntity {
			t.Fatalf("guess %d: %d", i+1, code)
		}
	}
	if code := attempt(stranger, "203.0.113.66", testPassword); code != http.StatusTooManyRequests {
		t.Errorf("the stranger's sixth try: %d, want 429", code)
	}
	if code := attempt(owner, "198.51.100.7", testPassword); code != http.StatusSeeOther {
		t.Errorf("the owner from another address: %d, want 303 (signed in)", code)
	}
}

// TestDummyHashMadeAtStart: the hash an unknown e-mail is checked against
// is made from the start, without any request, and is a real hash: a
// first request whose context is already cancelled cannot leave it empty.
func TestDummyHashMadeAtStart(t *testing.T) {
	ts := newTestServer(t)
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	_, _ = ts.srv.rec.dummyHash(cancelled)
	dummy, err := ts.srv.rec.dummyHash(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ok, err := ts.srv.rec.hasher.Verify(context.Background(), "no account has this password", dummy)
	if err != nil || !ok {
		t.Fatalf("dummy hash %q: %v %v", dummy, ok, err)
	}
}

// TestLoadUser_OnlyWhereNeeded: a signed-in recruiter's assets, widget
// script and health check do not look the session up. With the database
// gone they are still served, while a page that shows the recruiter fails.
func TestLoadUser_OnlyWhereNeeded(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	c.login("ada@example.com")
	if err := ts.store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{ts.srv.assets.url("css/app.css"), "/embed.js", "/metrics"} {
		if res := c.get(path); res.StatusCode != http.StatusOK {
			t.Errorf("GET %s as a signed-in recruiter with the database closed: %d, want 200", path, res.StatusCode)
		}
	}
	if res := c.get("/dashboard"); res.StatusCode < 500 {
		t.Errorf("GET /dashboard with the database closed: %d; the test cannot tell whether the session is read", res.StatusCode)
	}
}
