package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// TestBrowserAccounts walks an account's life in Chromium, each page clean
// under axe-core in both colour schemes: an admin invites someone and
// copies the link; the link's page refuses a common password with a
// message at the field, then sets a good one; the person signs in,
// changes their password from the header's link (a wrong current password
// is refused); and the used link then says it no longer works.
func TestBrowserAccounts(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	b := browsertest.New(t)
	host := strings.TrimPrefix(ts.URL, "http://")
	// ROLEFIT_SHOTS_DIR keeps the screenshots for a review.
	shots := t.TempDir()
	if dir := os.Getenv("ROLEFIT_SHOTS_DIR"); dir != "" {
		shots = dir
	}
	const first, second = "seven owls ride the violet tram", "a quiet heron counts the reeds"

	var link string
	t.Run("Invite", func(t *testing.T) {
		signIn(t, b, ts.URL, "ada@example.com", testPassword)
		b.Open(ts.URL + "/admin/users")
		b.Type("#email", "rita@example.com")
		b.ClickNav(browsertest.TestID("add-user") + ` button[type="submit"]`)
		link = browsertest.Eval[string](b, `document.querySelector("[data-testid=link]").value`)
		if !strings.HasPrefix(link, ts.URL+"/password/") {
			t.Fatalf("the accounts page shows the link %q", link)
		}
		if got := b.Text(`[data-email="rita@example.com"] [data-testid=user-status]`); !strings.HasPrefix(got, "invited") {
			t.Errorf("the new account's status: %q", got)
		}
		requireAxeBoth(t, b, "accounts with a new link")
		b.ScreenshotViewport(filepath.Join(shots, "accounts-invite.png"))
		b.ClickNav(`form[action="/logout"] button`)
	})

	t.Run("SetPassword", func(t *testing.T) {
		b.Open(link)
		if got := b.Text("h1"); got != "Set your password" {
			t.Fatalf("the link opens %q", got)
		}
		requireAxeBoth(t, b, "set password")
		b.Type("#password", "password1234")
		b.Type("#repeat", "password1234")
		b.ClickNav(browsertest.TestID("set-password-submit"))
		if got := b.Text("#e-password"); !strings.Contains(got, "common") {
			t.Errorf("a common password: the field says %q", got)
		}
		if got := browsertest.Eval[string](b, `document.querySelector("#password").getAttribute("aria-describedby")`); got != "pw-hint e-password" {
			t.Errorf("the password field is described by %q", got)
		}
		requireAxeBoth(t, b, "set password with an error")
		b.ScreenshotViewport(filepath.Join(shots, "set-password-error.png"))
		b.Type("#password", first)
		b.Type("#repeat", first)
		b.ClickNav(browsertest.TestID("set-password-submit"))
		if got := b.TextByTestID("notice"); !strings.Contains(got, "password is set") {
			t.Fatalf("after setting the password, at %s: notice %q", b.Location(), got)
		}
		requireAxeBoth(t, b, "sign in after the password is set")
		signIn(t, b, ts.URL, "rita@example.com", first)
		if loc := b.Location(); loc != ts.URL+"/dashboard" {
			t.Fatalf("signing in with the new password led to %s", loc)
		}
	})

	t.Run("ChangePassword", func(t *testing.T) {
		b.ClickNav(`header a[href="/dashboard/password"]`)
		requireAxeBoth(t, b, "change password")
		b.Type("#current", "not my password at all")
		b.Type("#password", second)
		b.Type("#repeat", second)
		b.ClickNav(browsertest.TestID("change-password-submit"))
		if got := b.Text("#e-current"); got == "" {
			t.Error("a wrong current password shows no message")
		}
		requireAxeBoth(t, b, "change password with an error")
		b.Type("#current", first)
		b.Type("#password", second)
		b.Type("#repeat", second)
		b.ClickNav(browsertest.TestID("change-password-submit"))
		if got := b.TextByTestID("notice"); !strings.Contains(got, "changed") {
			t.Errorf("after the change: notice %q at %s", got, b.Location())
		}
		requireAxeBoth(t, b, "password changed")
		b.ScreenshotViewport(filepath.Join(shots, "change-password.png"))
	})

	t.Run("UsedLink", func(t *testing.T) {
		b.Open(link)
		if n := b.Count(`[data-testid=error][data-status="410"]`); n != 1 {
			t.Errorf("the used link opens %q", b.Text("h1"))
		}
		requireAxeBoth(t, b, "used link")
	})

	t.Run("RemoveAsksFirst", func(t *testing.T) {
		b.ClickNav(`form[action="/logout"] button`)
		signIn(t, b, ts.URL, "ada@example.com", testPassword)
		b.Open(ts.URL + "/admin/users")
		b.ClickNav(`[data-email="rita@example.com"] ` + browsertest.TestID("remove-user"))
		if got := b.Text("h1"); got != "Remove rita@example.com?" {
			t.Fatalf("Remove opens %q", got)
		}
		b.ClickNav(browsertest.TestID("confirm-user"))
		if got := b.Text("#e-confirm"); !strings.Contains(got, "Tick the box") {
			t.Errorf("removing without ticking the box says %q", got)
		}
		requireAxeBoth(t, b, "remove an account, unconfirmed")
		b.ScreenshotViewport(filepath.Join(shots, "remove-account-confirm.png"))
		b.Click("#confirm")
		b.ClickNav(browsertest.TestID("confirm-user"))
		if n := b.Count(`[data-email="rita@example.com"]`); n != 0 {
			t.Errorf("rita's account is still listed after a confirmed removal")
		}
	})
	b.RequireOnlyHosts(host)
}
