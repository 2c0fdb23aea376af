package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// setPassword opens a password link and sets pw through its form, as the
// person the link was given to would; it fails the test if that does not
// lead to the sign-in page.
func (c *client) setPassword(path, pw string) {
	c.t.Helper()
	page := c.get(path)
	if page.StatusCode != http.StatusOK {
		c.t.Fatalf("open %s: status %d", path, page.StatusCode)
	}
	res := c.post(path, url.Values{"_csrf": {page.csrf()}, "password": {pw}, "repeat": {pw}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/login?notice=password-set" {
		c.t.Fatalf("set the password at %s: status %d location %q", path, res.StatusCode, res.Header.Get("Location"))
	}
}

// signInWith signs in through the form and returns the status.
func (c *client) signInWith(email, pw string) int {
	c.t.Helper()
	res := c.post("/login", url.Values{"_csrf": {c.get("/login").csrf()}, "email": {email}, "password": {pw}})
	return res.StatusCode
}

// invite makes an invitation as the admin page does and returns the
// link's path.
func (ts *testServer) invite(t *testing.T, email string, expires time.Time) string {
	t.Helper()
	link, hash := NewPasswordLink(ts.URL)
	locked, err := ts.srv.rec.hasher.Locked(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ts.store.InviteUser(context.Background(), email, false, locked, hash, expires); err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(link, ts.URL)
}

func TestPasswordLink(t *testing.T) {
	ts := newTestServer(t)
	now := ts.srv.Now()
	path := ts.invite(t, "rita@example.com", now.Add(PasswordLinkLifetime))
	c := ts.client(t)

	t.Run("Open", func(t *testing.T) {
		page := c.get(path)
		if page.StatusCode != http.StatusOK || page.Header.Get("Cache-Control") != "no-store" {
			t.Fatalf("status %d, Cache-Control %q", page.StatusCode, page.Header.Get("Cache-Control"))
		}
		if v := page.testID("account-email").Text(); v != "rita@example.com" {
			t.Errorf("the page names %q", v)
		}
		if !strings.Contains(page.Body, "2026-12-02 15:04 UTC") {
			t.Error("the page does not say until when the link works")
		}
	})
	t.Run("ErrNotYetSignedIn", func(t *testing.T) {
		// The invited account has a password nobody knows.
		if st := ts.client(t).signInWith("rita@example.com", ""); st != http.StatusUnprocessableEntity {
			t.Errorf("status %d", st)
		}
	})
	for _, tc := range []struct {
		name, pw, repeat, field string
	}{
		{"ErrShort", "short", "short", "password"},
		{"ErrCommon", "password1234", "password1234", "password"},
		{"ErrContainsEmail", "rita@example.com is me", "rita@example.com is me", "password"},
		{"ErrRepeatDiffers", testPassword, testPassword + "!", "repeat"},
		{"ErrEmpty", "", "", "password"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := c.get(path)
			res := c.post(path, url.Values{"_csrf": {page.csrf()}, "password": {tc.pw}, "repeat": {tc.repeat}})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			if got := res.Doc.Find("#e-" + tc.field).Text(); got == "" {
				t.Errorf("no message at the field %s", tc.field)
			}
			if v, _ := res.Doc.Find("#" + tc.field).Attr("aria-invalid"); v != "true" {
				t.Errorf("the field %s is not marked invalid", tc.field)
			}
		})
	}
	t.Run("SetOnceThenSignIn", func(t *testing.T) {
		c.setPassword(path, testPassword)
		if login := c.get("/login?notice=password-set"); login.testID("notice").Length() != 1 {
			t.Error("the sign-in page does not say the password is set")
		}
		if st := c.signInWith("rita@example.com", testPassword); st != http.StatusSeeOther {
			t.Fatalf("sign in with the new password: status %d", st)
		}
		if res := c.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Errorf("dashboard: status %d", res.StatusCode)
		}
		other := ts.client(t)
		if res := other.get(path); res.StatusCode != http.StatusGone || res.testID("error").Length() != 1 {
			t.Errorf("the used link opened again: status %d", res.StatusCode)
		}
		res := other.post(path, url.Values{"_csrf": {other.get("/login").csrf()}, "password": {"another good passphrase"}, "repeat": {"another good passphrase"}})
		if res.StatusCode != http.StatusGone {
			t.Errorf("the used link set a password again: status %d", res.StatusCode)
		}
		if st := ts.client(t).signInWith("rita@example.com", testPassword); st != http.StatusSeeOther {
			t.Errorf("the password changed through a used link: status %d", st)
		}
	})
	t.Run("ErrExpired", func(t *testing.T) {
		old := ts.invite(t, "late@example.com", now.Add(-time.Minute))
		if res := ts.client(t).get(old); res.StatusCode != http.StatusGone {
			t.Errorf("an expired link: status %d", res.StatusCode)
		}
	})
	t.Run("ErrGuessing", func(t *testing.T) {
		// Every client here has one address, so the failures above count
		// too: guesses are refused with 410 until the client's limit.
		g := ts.client(t)
		for i := 0; ; i++ {
			res := g.get("/password/" + strings.Repeat(strconv.Itoa(i%10), 43))
			if res.StatusCode == http.StatusTooManyRequests {
				break
			}
			if res.StatusCode != http.StatusGone || i >= throttleClient {
				t.Fatalf("guess %d: status %d, want 410 and then 429 within %d", i, res.StatusCode, throttleClient)
			}
		}
		// Even a good link waits until the window ends.
		good := ts.invite(t, "kim@example.com", now.Add(time.Hour))
		res := g.get(good)
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
			t.Errorf("after %d wrong links: status %d, Retry-After %q", throttleClient, res.StatusCode, res.Header.Get("Retry-After"))
		}
	})
}

// TestAdminReset: an admin's reset ends the account's sessions and its
// old password at once; the link sets a new one.
func TestAdminReset(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	ts.addUser(t, "rita@example.com", false)
	rita := ts.client(t)
	rita.login("rita@example.com")
	ada := ts.client(t)
	ada.login("ada@example.com")

	page := ada.get("/admin/users")
	href, _ := page.Doc.Find(`[data-email="rita@example.com"] [data-testid="reset-user"]`).Attr("href")
	confirm := ada.get(href)
	action, _ := confirm.testID("user-confirm-form").Attr("action")
	// Without the box ticked nothing changes: rita stays signed in.
	if res := ada.post(action, url.Values{"_csrf": {confirm.csrf()}}); res.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Body, "Tick the box to confirm") {
		t.Fatalf("unconfirmed reset: status %d", res.StatusCode)
	}
	if res := rita.get("/dashboard"); res.StatusCode != http.StatusOK {
		t.Fatalf("an unconfirmed reset signed rita out: status %d", res.StatusCode)
	}
	res := ada.post(action, url.Values{"_csrf": {confirm.csrf()}, "confirm": {"1"}})
	link, _ := res.testID("link").Attr("value")
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(link, ts.URL+"/password/") {
		t.Fatalf("reset: status %d link %q", res.StatusCode, link)
	}
	if st := res.Doc.Find(`[data-email="rita@example.com"] [data-testid="user-status"]`).Text(); !strings.HasPrefix(st, "password reset") {
		t.Errorf("status after reset: %q", st)
	}
	if res := rita.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the reset account is still signed in: status %d", res.StatusCode)
	}
	if st := ts.client(t).signInWith("rita@example.com", testPassword); st != http.StatusUnprocessableEntity {
		t.Errorf("the old password still signs in: status %d", st)
	}
	path := strings.TrimPrefix(link, ts.URL)
	if h := ts.client(t).get(path); !strings.Contains(h.Body, "Choose a new password") {
		t.Error("the reset link's page does not ask for a new password")
	}
	rita.setPassword(path, "a brand new passphrase here")
	if st := rita.signInWith("rita@example.com", "a brand new passphrase here"); st != http.StatusSeeOther {
		t.Errorf("sign in with the new password: status %d", st)
	}
}

func TestChangePassword(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", false)
	c := ts.client(t)
	c.login("rita@example.com")
	elsewhere := ts.client(t)
	elsewhere.login("rita@example.com")
	const newPW = "seven owls ride the violet tram"

	page := c.get("/dashboard/password")
	if page.StatusCode != http.StatusOK || page.testID("change-password-form").Length() != 1 {
		t.Fatalf("status %d", page.StatusCode)
	}
	if ts.client(t).get("/dashboard/password").StatusCode != http.StatusSeeOther {
		t.Error("the page opens without signing in")
	}
	for _, tc := range []struct {
		name, current, pw, repeat, field string
	}{
		{"ErrWrongCurrent", "not my password", newPW, newPW, "current"},
		{"ErrNoCurrent", "", newPW, newPW, "current"},
		{"ErrWeak", testPassword, "password1234", "password1234", "password"},
		{"ErrSame", testPassword, testPassword, testPassword, "password"},
		{"ErrRepeatDiffers", testPassword, newPW, newPW + ".", "repeat"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := c.post("/dashboard/password", url.Values{"_csrf": {page.csrf()}, "current": {tc.current}, "password": {tc.pw}, "repeat": {tc.repeat}})
			if res.StatusCode != http.StatusUnprocessableEntity || res.Doc.Find("#e-"+tc.field).Length() != 1 {
				t.Errorf("status %d; message at %s: %q", res.StatusCode, tc.field, res.Doc.Find("#e-"+tc.field).Text())
			}
		})
	}
	t.Run("OK", func(t *testing.T) {
		res := c.post("/dashboard/password", url.Values{"_csrf": {page.csrf()}, "current": {testPassword}, "password": {newPW}, "repeat": {newPW}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/dashboard/password?notice=changed" {
			t.Fatalf("status %d location %q", res.StatusCode, res.Header.Get("Location"))
		}
		if res := c.get("/dashboard/password?notice=changed"); res.StatusCode != http.StatusOK || res.testID("notice").Length() != 1 {
			t.Errorf("after the change this browser is signed out or not told: status %d", res.StatusCode)
		}
		if res := elsewhere.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("another session survived the change: status %d", res.StatusCode)
		}
		if st := ts.client(t).signInWith("rita@example.com", testPassword); st != http.StatusUnprocessableEntity {
			t.Errorf("the old password still signs in: status %d", st)
		}
		if st := ts.client(t).signInWith("rita@example.com", newPW); st != http.StatusSeeOther {
			t.Errorf("the new password does not sign in: status %d", st)
		}
	})
	t.Run("ErrThrottled", func(t *testing.T) {
		csrf := c.get("/dashboard/password").csrf()
		var res *response
		for range throttleAccount + 1 {
			res = c.post("/dashboard/password", url.Values{"_csrf": {csrf}, "current": {"guess"}, "password": {newPW + "!"}, "repeat": {newPW + "!"}})
		}
		if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || res.testID("password-error").Length() != 1 {
			t.Errorf("after %d wrong passwords: status %d", throttleAccount+1, res.StatusCode)
		}
	})
}
