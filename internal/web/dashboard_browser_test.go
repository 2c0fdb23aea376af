package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/browsertest"
)

// signIn signs in through the login form as a person would.
func signIn(t *testing.T, b *browsertest.Browser, base, email, pw string) {
	t.Helper()
	b.Open(base + "/login")
	b.Type("#email", email)
	b.Type("#password", pw)
	b.ClickNav(browsertest.TestID("login-submit"))
}

// requireAxeBoth checks the page now shown in the light and the dark scheme.
func requireAxeBoth(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	for _, scheme := range []string{"light", "dark"} {
		b.ColorScheme(scheme)
		if vs := b.Axe(t, browsertest.AxeOptions{}); len(vs) > 0 {
			t.Errorf("axe-core, %s page, %s scheme, %s: %d rules broken:\n%s", name, scheme, b.Location(), len(vs), vs)
		}
	}
	b.ColorScheme("")
}

// TestBrowserDashboard signs a recruiter-admin in through the form and
// walks the recruiter side: the dashboard, a role's figures filtered by
// channel and check, and every admin page, each clean under axe-core in
// both colour schemes.
func TestBrowserDashboard(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t)
	ts.seedChecks(t, 40, 40, 1)
	ts.addUser(t, "ada@example.com", true)
	b := browsertest.New(t)
	host := strings.TrimPrefix(ts.URL, "http://")

	t.Run("Login", func(t *testing.T) {
		b.Open(ts.URL + "/dashboard")
		if loc := b.Location(); !strings.Contains(loc, "/login") {
			t.Fatalf("signed out, /dashboard led to %s, want the sign-in page", loc)
		}
		requireAxeBoth(t, b, "login")
		signIn(t, b, ts.URL, "ada@example.com", "not the password at all")
		if got := b.TextByTestID("login-error"); got == "" {
			t.Fatal("a wrong password shows no error")
		}
		if got := browsertest.Eval[string](b, `document.querySelector("#email").value`); got != "ada@example.com" {
			t.Errorf("after a failed sign-in the e-mail field holds %q", got)
		}
		requireAxeBoth(t, b, "login with an error")
		signIn(t, b, ts.URL, "ada@example.com", testPassword)
		if loc := b.Location(); loc != ts.URL+"/dashboard" {
			t.Fatalf("after signing in at %s, want /dashboard", loc)
		}
	})

	// Every figure is a released estimate with its margin, the same on
	// the index and the role's page.
	var completed string
	t.Run("Dashboard", func(t *testing.T) {
		completed = b.TextByTestID("submissions")
		if !strings.HasPrefix(completed, "about ") {
			t.Errorf("index: %q completed checks, want an estimate with its margin", completed)
		}
		requireAxeBoth(t, b, "dashboard")
		b.ClickNav(browsertest.TestID("dashboard-role") + " a")
		if got := b.TextByTestID("role-title"); got != "Product Manager - Marketing" {
			t.Fatalf("role dashboard title %q", got)
		}
		if got := b.TextByTestID("submissions"); got != completed {
			t.Errorf("role: %q completed checks, index %q", got, completed)
		}
		if n := b.Count(`svg[role="img"]`); n < 5 {
			t.Errorf("%d charts, want several", n)
		}
		requireAxeBoth(t, b, "role dashboard")
	})

	t.Run("Filters", func(t *testing.T) {
		for _, f := range []struct{ channel, mode string }{{"embed", ""}, {"site", "full"}, {"", "quick"}} {
			b.Do("choose filters",
				chromedp.SetValue(chromedp.CSS("#f-channel"), f.channel),
				chromedp.SetValue(chromedp.CSS("#f-mode"), f.mode))
			b.ClickNav(browsertest.TestID("filters") + ` button[type="submit"]`)
			if got := b.TextByTestID("submissions"); !strings.HasPrefix(got, "about ") {
				t.Errorf("channel %q mode %q: %q completed checks, want an estimate", f.channel, f.mode, got)
			}
		}
		requireAxeBoth(t, b, "filtered role dashboard")
	})

	t.Run("Admin", func(t *testing.T) {
		b.Open(ts.URL + "/admin/")
		requireAxeBoth(t, b, "admin roles")

		b.Open(ts.URL + "/admin/import")
		requireAxeBoth(t, b, "import")
		b.Do("paste a page", chromedp.SetValue(chromedp.CSS("#markdown"), string(db.ReferenceRole)))
		b.ClickNav(browsertest.TestID("preview"))
		if got := b.TextByTestID("preview-title"); got != "Product Manager - Marketing" {
			t.Fatalf("preview of the pasted page: title %q", got)
		}
		if n := b.Count(browsertest.TestID("edit-item")); n < 10 {
			t.Errorf("preview lists %d items", n)
		}
		requireAxeBoth(t, b, "import preview")

		b.Open(ts.URL + "/admin/roles/" + pmm)
		if n := b.Count(browsertest.TestID("edit-item")); n < 10 {
			t.Errorf("the editor lists %d items", n)
		}
		if got := browsertest.Eval[string](b, `document.querySelector("[data-testid=snippet-script]").value`); !strings.Contains(got, ts.URL+"/embed.js") || !strings.Contains(got, `data-role="`+pmm+`"`) {
			t.Errorf("script snippet %q", got)
		}
		requireAxeBoth(t, b, "admin role")

		b.Open(ts.URL + "/admin/users")
		requireAxeBoth(t, b, "accounts")

		b.Open(ts.URL + "/admin/tokens")
		b.Type("#name", "Looker")
		b.ClickNav(browsertest.TestID("add-token") + ` button[type="submit"]`)
		token := b.TextByTestID("token")
		requireAxeBoth(t, b, "API tokens")
		res := ts.client(t).bearer("/api/v1/roles/"+pmm+"/stats", token)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"submissions":{"value":`) {
			t.Errorf("the token made in the page: API status %d, body %.200s", res.StatusCode, res.Body)
		}
	})

	t.Run("SignOut", func(t *testing.T) {
		cookies := browsertest.Run(b, "read cookies", chromedp.Action[[]*network.Cookie](func(ctx context.Context, tg *chromedp.Target) ([]*network.Cookie, error) {
			res, err := cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{ts.URL}})
			return res.Cookies, err
		}))
		if len(cookies) == 0 {
			t.Fatal("no session cookie while signed in")
		}
		// The same cookie in another client: it works until the sign-out,
		// and after it is worth nothing, wherever it went.
		replay := ts.client(t)
		u, _ := url.Parse(ts.URL)
		for _, c := range cookies {
			replay.hc.Jar.SetCookies(u, []*http.Cookie{{Name: c.Name, Value: c.Value, Path: "/"}})
		}
		if res := replay.get("/dashboard"); res.StatusCode != http.StatusOK {
			t.Fatalf("the browser's cookie in another client: status %d", res.StatusCode)
		}
		b.Open(ts.URL + "/dashboard")
		b.ClickNav(`form[action="/logout"] button`)
		b.Open(ts.URL + "/dashboard")
		if loc := b.Location(); !strings.Contains(loc, "/login") {
			t.Errorf("after signing out /dashboard shows %s, want the sign-in page", loc)
		}
		if res := replay.get("/dashboard"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the cookie from before signing out still opens the dashboard: status %d", res.StatusCode)
		}
	})
	b.RequireOnlyHosts(host)
}

// TestBrowserDashboardEmptyAndNoisy reads the dashboard as a recruiter
// sees it, with 20 checks over the last two weeks: a month with no checks
// says so in words and draws no chart; the last 90 days show every figure
// as an estimate with its margin; both pages pass axe.
func TestBrowserDashboardEmptyAndNoisy(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t)
	ts.seedChecks(t, 20, 14, 4)
	ts.addUser(t, "rita@example.com", false)
	b := browsertest.New(t)
	signIn(t, b, ts.URL, "rita@example.com", testPassword)
	b.Open(ts.URL + "/dashboard/roles/" + pmm + "?from=2026-09-01&to=2026-09-30")
	if got := b.TextByTestID("empty"); got != "No completed checks yet in this period." {
		t.Errorf("no checks: the empty state reads %q", got)
	}
	if n := b.Count("main svg"); n != 0 {
		t.Errorf("no checks: %d charts", n)
	}
	requireAxeBoth(t, b, "role dashboard with no checks")

	b.Open(ts.URL + "/dashboard/roles/" + pmm)
	if got := b.TextByTestID("submissions"); !strings.HasPrefix(got, "about ") || !strings.Contains(got, "±") {
		t.Fatalf("20 checks: completed checks %q", got)
	}
	if n := b.Count(browsertest.TestID("funnel")); n != 3 {
		t.Errorf("20 checks: %d funnels, want one per kind of check", n)
	}
	requireAxeBoth(t, b, "role dashboard with 20 checks")
}

// TestBrowserDashboardFirstScreen opens a role's dashboard on a 1280×800
// screen, as a recruiter would, and finds the completed count, the level
// split and the top gaps without scrolling; then the presets, and the
// comparison of two versions of the role side by side, each clean under
// axe-core in both colour schemes. With ROLEFIT_SHOTS=DIR the first screen
// and the comparison are saved there as PNG files.
func TestBrowserDashboardFirstScreen(t *testing.T) {
	browsertest.NeedAxe(t)
	// A role's figures count each check under the version it served, from
	// that version's import on; so the first version's checks come before
	// the second is imported, and the second's after, on a clock that
	// moves on from the real one.
	var clock atomic.Int64
	clock.Store(time.Now().Unix())
	ts := newClockedServer(t, &clock)
	ts.seedChecks(t, 60, 50, 11)
	// The second version: one requirement reworded (a new item id), the
	// rest unchanged.
	v2 := strings.Replace(string(db.ReferenceRole), "- Passion for design and usability", "- Passion for design, usability and accessibility", 1)
	if _, err := ts.cat.Import(context.Background(), ts.store, []byte(v2), "product-manager-marketing.md"); err != nil {
		t.Fatal(err)
	}
	clock.Add(51 * 24 * 3600)
	ts.seedChecks(t, 60, 50, 12)
	// Release the season's aggregates before the first page asks, as the
	// running server does each night.
	if err := ts.srv.releases.Release(context.Background(), pmm); err != nil {
		t.Fatal(err)
	}
	ts.addUser(t, "ada@example.com", false)
	b := browsertest.New(t)
	signIn(t, b, ts.URL, "ada@example.com", testPassword)
	shots := os.Getenv("ROLEFIT_SHOTS")
	b.Viewport(1280, 800)
	b.ColorScheme("light")

	t.Run("FirstScreen", func(t *testing.T) {
		b.Open(ts.URL + "/dashboard/roles/" + pmm)
		for _, id := range []string{"submissions", "level-split", "top-gaps", "check-types"} {
			box := browsertest.Eval[[]float64](b, `(() => { const r = document.querySelector(`+"`"+`[data-testid="first-screen"] [data-testid="`+id+`"]`+"`"+`).getBoundingClientRect(); return [r.top, r.bottom, r.width]; })()`)
			if box[0] < 0 || box[1] > 800 || box[2] == 0 {
				t.Errorf("%s spans %v–%v px down a 800 px screen (width %v), want it within the first screen", id, box[0], box[1], box[2])
			}
		}
		var n, margin int
		if _, err := fmt.Sscanf(b.TextByTestID("submissions"), "about %d ± %d", &n, &margin); err != nil || n < 50 {
			t.Errorf("completed checks %q in the last quarter, want about 50 or more", b.TextByTestID("submissions"))
		}
		split := browsertest.Eval[[]string](b, `[...document.querySelectorAll("[data-testid=split-count]")].map(e => e.textContent)`)
		if len(split) < 2 || split[0] == "" {
			t.Errorf("the level split shows %v", split)
		}
		gaps := browsertest.Eval[[]string](b, `[...document.querySelectorAll("[data-testid=gap-share]")].map(e => e.textContent)`)
		if len(gaps) != 5 {
			t.Fatalf("%d top gaps, want 5: %v", len(gaps), gaps)
		}
		for _, g := range gaps {
			var pct, margin int
			if _, err := fmt.Sscanf(g, "about %d%% ± %d%%", &pct, &margin); err != nil || pct <= 0 {
				t.Errorf("top gaps %v: not shares below expectation", gaps)
				break
			}
		}
		if shots != "" {
			b.ScreenshotViewport(filepath.Join(shots, "first-screen.png"))
		}
		requireAxeBoth(t, b, "role dashboard")
	})

	t.Run("Presets", func(t *testing.T) {
		b.ClickNav(browsertest.TestID("preset") + `:not([aria-current])`)
		if got := b.Text(`[data-testid=preset][aria-current]`); got != "Last 4 weeks" {
			t.Errorf("after the first preset, %q is the current one", got)
		}
		if got := b.TextByTestID("change"); !strings.Contains(got, " days before (about ") {
			t.Errorf("the last 4 weeks say no change against the 4 before: %q", got)
		}
		requireAxeBoth(t, b, "role dashboard, last 4 weeks")
		b.Open(ts.URL + "/dashboard/roles/" + pmm + "?sort=level&dir=desc")
		requireAxeBoth(t, b, "role dashboard sorted by level")
	})

	t.Run("CompareVersions", func(t *testing.T) {
		b.Open(ts.URL + "/dashboard/roles/" + pmm)
		b.ClickNav(browsertest.TestID("compare-link"))
		b.ClickNav(browsertest.TestID("compare-form") + ` button[type="submit"]`)
		rows := b.Count(browsertest.TestID("compare-row"))
		if rows < 20 {
			t.Errorf("%d requirements side by side, want every one asked in both", rows)
		}
		if got := b.TextByTestID("compare-only"); !strings.Contains(got, "1 only in the first and 1 only in the second") {
			t.Errorf("the reworded requirement is not told apart: %q", got)
		}
		diffs := browsertest.Eval[[]string](b, `[...document.querySelectorAll("[data-testid=difference]")].map(e => e.textContent)`)
		numbers := 0
		for _, d := range diffs {
			if strings.HasSuffix(d, " points") {
				numbers++
			}
		}
		if numbers < rows/2 {
			t.Errorf("only %d of %d rows show a difference: %v", numbers, rows, diffs)
		}
		if shots != "" {
			b.ScreenshotViewport(filepath.Join(shots, "compare.png"))
		}
		requireAxeBoth(t, b, "comparison")
		b.Viewport(390, 800)
		if wide := browsertest.Eval[[]string](b, `[...document.querySelectorAll("main *")]
			.filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > document.documentElement.clientWidth)
			.map(e => e.tagName.toLowerCase())`); len(wide) > 0 {
			t.Errorf("at 390 px the comparison scrolls sideways; too wide: %v", wide)
		}
		b.Viewport(1280, 800)
		b.Open(ts.URL + "/dashboard/compare?a=" + pmm + "&b=no-such-role")
		if got := b.TextByTestID("field-error"); got != "Choose a role from the list." {
			t.Errorf("an unknown role to compare says %q", got)
		}
		requireAxeBoth(t, b, "comparison with a mistake")
	})
}

// TestBrowserDashboardScreenshot shows a role's dashboard with a season
// of checks, as the README pictures it, and checks that on a phone only
// the tables scroll sideways, never the page. With ROLEFIT_SCREENSHOTS=1
// the screenshot replaces docs/screenshots/dashboard.png; otherwise it
// goes to a temporary directory.
func TestBrowserDashboardScreenshot(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 150, 84, 2)
	if err := ts.srv.releases.Release(context.Background(), pmm); err != nil {
		t.Fatal(err)
	}
	ts.addUser(t, "ada@example.com", false)
	b := browsertest.New(t)
	signIn(t, b, ts.URL, "ada@example.com", testPassword)

	for _, width := range []int64{320, 390} {
		b.Viewport(width, 800)
		b.Open(ts.URL + "/dashboard/roles/" + pmm)
		if wide := browsertest.Eval[[]string](b, `[...document.querySelectorAll("main *")]
			.filter(e => !e.closest(".table-scroll") && e.getBoundingClientRect().right > document.documentElement.clientWidth)
			.map(e => e.tagName.toLowerCase() + (e.dataset.testid ? "[" + e.dataset.testid + "]" : ""))`); len(wide) > 0 {
			t.Errorf("at %d px the page scrolls sideways; too wide: %v", width, wide)
		}
	}

	shot := filepath.Join(t.TempDir(), "dashboard.png")
	if os.Getenv("ROLEFIT_SCREENSHOTS") != "" {
		shot = filepath.Join("..", "..", "docs", "screenshots", "dashboard.png")
	}
	b.Viewport(1280, 800)
	b.ColorScheme("light")
	b.Open(ts.URL + "/dashboard/roles/" + pmm)
	b.ScreenshotViewport(shot)
}
