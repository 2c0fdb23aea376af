package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

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
	// Someone signed in already is sent on from /login; the dashboard's
	// sign-out form carries the token then.
	csrf := c.get("/login").csrf()
	if csrf == "" {
		csrf = c.get("/dashboard").csrf()
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
	if _, err := ts.store.CreateAPIToken(context.Background(), "bi", hash); err != nil {
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
		id, _ := page.Doc.Find(`[data-email="rita@example.com"] form[action$="/delete"]`).Attr("action")
		res := ada.post(id, url.Values{"_csrf": {page.csrf()}})
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
		if page.Doc.Find(`[data-email="ada@example.com"] form`).Length() != 0 {
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
