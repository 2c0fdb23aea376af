package web

import (
	"context"
	"crypto/sha256"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/browsertest"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// seedChecks stores n finished checks of the reference role as the wizard
// and the widget store them: answers from applicants of varied strength
// (ratings fall off towards the higher levels), scored by the real scorer,
// every other site check a full assessment, every third from the widget,
// spread evenly over the days days up to the server's today, with the events the applicant's way
// counts (started, each step reached, some apply clicks, some checks
// abandoned).
func (ts *testServer) seedChecks(t testing.TB, n, days int, seed uint64) {
	t.Helper()
	ctx := context.Background()
	e, ok := ts.cat.Get(pmm)
	if !ok {
		t.Fatal("reference role missing")
	}
	rng := rand.New(rand.NewPCG(seed, 7))
	today := ts.srv.Now().UTC()
	event := func(ev sqlite.Event) {
		t.Helper()
		if err := ts.store.RecordEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	for i := range n {
		// The widget asks only the quick check.
		mode, channel := score.Quick, "site"
		switch {
		case i%3 == 0:
			channel = "embed"
		case i%2 == 0:
			mode = score.Full
		}
		p := check.NewPlan(e.Role, mode, -1)
		// Strength: the rating an applicant gives the lowest level's items.
		strength := 1.2 + 2.8*rng.Float64()
		a := score.Answers{}
		for _, q := range p.Questions {
			rel := float64(q.Step-1) / float64(max(1, len(p.Steps)-1))
			switch q.Kind {
			case role.KindExperience:
				a[q.ID] = math.Round(math.Max(0, strength*2+rng.NormFloat64()*1.5-rel*3))
			case role.KindFact:
				a[q.ID] = 1
				if rng.IntN(4) == 0 {
					a[q.ID] = 0
				}
			default:
				r := math.Round(strength - rel + rng.NormFloat64()*0.7)
				a[q.ID] = math.Max(score.MinRating, math.Min(score.MaxRating, r))
			}
		}
		res := score.Score(e.Role, mode, a)
		// More checks lately, as a role's page gets known.
		back := int(float64(days) * math.Pow(float64(i)/float64(n), 0.8))
		day := today.AddDate(0, 0, -back).Format(time.DateOnly)
		h := sha256.Sum256(fmt.Appendf(nil, "seed-%d-%d", seed, i))
		ev := sqlite.Event{Day: day, RoleSlug: pmm, VersionID: e.VersionID, Channel: channel, Mode: string(mode)}
		ev.Name = "started"
		event(ev)
		steps := len(p.Steps)
		if channel == "embed" {
			steps = 1
		}
		for s := 1; s <= steps; s++ {
			ev.Name, ev.Step = "step", s
			event(ev)
		}
		sub := &sqlite.Submission{TokenHash: h[:], RoleSlug: pmm, VersionID: e.VersionID, Mode: string(mode),
			Channel: channel, Day: day, Answers: a, Fits: res.Fits(), Recommended: res.Recommended}
		if err := ts.store.CreateSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		if rng.IntN(3) == 0 {
			ev.Name, ev.Step = "apply", 0
			event(ev)
		}
		// About one start in three is left after a step or two.
		if rng.IntN(3) == 0 {
			ev.Name, ev.Step = "started", 0
			event(ev)
			left := rng.IntN(3)
			for s := 1; s <= left; s++ {
				ev.Name, ev.Step = "step", s
				event(ev)
			}
		}
	}
}

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

	// Figures cover whole groups of at least k checks: of the 40 seeded
	// checks, the last 3 wait for their group to fill, so 37 are reported.
	t.Run("Dashboard", func(t *testing.T) {
		if got := b.TextByTestID("submissions"); got != "37" {
			t.Errorf("index: %q completed checks, want 37", got)
		}
		requireAxeBoth(t, b, "dashboard")
		b.ClickNav(browsertest.TestID("dashboard-role") + " a")
		if got := b.TextByTestID("role-title"); got != "Product Manager - Marketing" {
			t.Fatalf("role dashboard title %q", got)
		}
		if got := b.TextByTestID("submissions"); got != "37" {
			t.Errorf("role: %q completed checks, want 37", got)
		}
		if n := b.Count(`svg[role="img"]`); n < 5 {
			t.Errorf("%d charts, want several", n)
		}
		requireAxeBoth(t, b, "role dashboard")
	})

	t.Run("Filters", func(t *testing.T) {
		for _, f := range []struct {
			channel, mode string
			want          string
		}{
			{"embed", "", "13"},
			{"site", "full", "12"},
			{"", "quick", "25"},
		} {
			b.Do("choose filters",
				chromedp.SetValue(chromedp.CSS("#f-channel"), f.channel),
				chromedp.SetValue(chromedp.CSS("#f-mode"), f.mode))
			b.ClickNav(browsertest.TestID("filters") + ` button[type="submit"]`)
			if got := b.TextByTestID("submissions"); got != f.want {
				t.Errorf("channel %q mode %q: %q completed checks, want %s", f.channel, f.mode, got, f.want)
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
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Body, `"submissions":37`) {
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

// shownCounts returns every count the page now shown puts before a
// reader: the bare numbers in its table cells and figures, and those in
// its charts' labels and tooltips, which only a browser draws.
func shownCounts(t *testing.T, b *browsertest.Browser) []int {
	t.Helper()
	texts := browsertest.Eval[[]string](b, `[...document.querySelectorAll(
		"main td, main dd, main svg text, main svg title, main [data-testid=cell]")].map(e => e.textContent.trim())`)
	var counts []int
	for _, s := range texts {
		// A tooltip says "Label: N"; a figure may be followed by a note.
		if _, after, ok := strings.Cut(s, ": "); ok {
			s = after
		}
		var n int
		if _, err := fmt.Sscanf(s, "%d", &n); err == nil && !strings.ContainsAny(strings.Fields(s)[0], ".%–-") {
			counts = append(counts, n)
		}
	}
	return counts
}

// TestBrowserDashboardKAnonymity reads the dashboard as a recruiter sees
// it, charts included: with 3 checks it shows no figure at all, with 6 it
// shows them, and no count under k=5 is ever drawn, in a label, a bar's
// tooltip or a cell.
func TestBrowserDashboardKAnonymity(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "rita@example.com", false)
	ts.seedChecks(t, 3, 3, 3)
	b := browsertest.New(t)
	signIn(t, b, ts.URL, "rita@example.com", testPassword)

	if got := b.TextByTestID("submissions"); got != "fewer than 5" {
		t.Errorf("3 checks: the index shows %q", got)
	}
	b.Open(ts.URL + "/dashboard/roles/" + pmm)
	if b.Count(browsertest.TestID("refused")) != 1 || b.Count("main svg") != 0 {
		t.Errorf("3 checks: the role's dashboard is not refused (%d charts)", b.Count("main svg"))
	}
	if c := shownCounts(t, b); len(c) > 0 {
		t.Errorf("3 checks: counts shown %v", c)
	}

	ts.seedChecks(t, 3, 3, 4)
	b.Open(ts.URL + "/dashboard/roles/" + pmm)
	if got := b.TextByTestID("submissions"); got != "6" {
		t.Fatalf("6 checks: the role's dashboard shows %q completed checks", got)
	}
	if b.Count("main svg") == 0 {
		t.Error("6 checks: no chart")
	}
	counts := shownCounts(t, b)
	if len(counts) < 10 {
		t.Errorf("6 checks: only %d counts read from the page: %v", len(counts), counts)
	}
	for _, n := range counts {
		if n < 5 {
			t.Errorf("6 checks: a count of %d is shown (all: %v)", n, counts)
			break
		}
	}
	requireAxeBoth(t, b, "role dashboard with few checks")
}

// TestBrowserDashboardScreenshot shows a role's dashboard with a season
// of checks, as the README pictures it, and checks that on a phone only
// the tables scroll sideways, never the page. With ROLEFIT_SCREENSHOTS=1
// the screenshot replaces docs/screenshots/dashboard.png; otherwise it
// goes to a temporary directory.
func TestBrowserDashboardScreenshot(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 150, 84, 2)
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
	b.Viewport(1100, 1750)
	b.ColorScheme("light")
	b.Open(ts.URL + "/dashboard/roles/" + pmm)
	b.ScreenshotViewport(shot)
}
