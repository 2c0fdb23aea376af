package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// TestBrowserAccessibility checks rolefit's pages with axe-core (WCAG 2.2
// A and AA) in the light and the dark colour scheme, and that no page asks
// anything of a host other than rolefit's own.
func TestBrowserAccessibility(t *testing.T) {
	ts := newTestServer(t)
	b := browsertest.New(t)
	pages := []struct{ name, path string }{
		{"home", "/"},
		{"role", "/roles/product-manager-marketing"},
		{"not found", "/roles/no-such-role"},
	}
	for _, scheme := range []string{"light", "dark"} {
		for _, p := range pages {
			t.Run(scheme+"/"+p.name, func(t *testing.T) {
				b.ColorScheme(scheme)
				b.Open(ts.URL + p.path)
				b.RequireAxe(t, browsertest.AxeOptions{})
			})
		}
	}
	b.RequireOnlyHosts(strings.TrimPrefix(ts.URL, "http://"))
}

// TestBrowserRolePage checks what a visitor sees on the role page and
// takes a screenshot of it. With ROLEFIT_SCREENSHOTS=1 the screenshot
// replaces docs/screenshots/role.png, the one the README shows; otherwise
// it goes to a temporary directory so test runs leave the tree clean.
func TestBrowserRolePage(t *testing.T) {
	ts := newTestServer(t)
	b := browsertest.New(t)
	b.Open(ts.URL + "/roles/product-manager-marketing")
	if got := b.TextByTestID("role-title"); got != "Product Manager - Marketing" {
		t.Errorf("role title = %q", got)
	}
	if n := b.Count(browsertest.TestID("level")); n < 2 {
		t.Errorf("%d levels shown, want several", n)
	}
	// Keyboard users reach the skip link first and the quick check soon.
	b.Press("Tab")
	if got := b.Focused(); !strings.Contains(got, "Skip to content") {
		t.Errorf("first Tab focuses %s, want the skip link", got)
	}
	b.TabTo(browsertest.TestID("start-quick"), 6)

	shot := filepath.Join(t.TempDir(), "role.png")
	if os.Getenv("ROLEFIT_SCREENSHOTS") != "" {
		shot = filepath.Join("..", "..", "docs", "screenshots", "role.png")
	}
	b.Viewport(1100, 820)
	b.Open(ts.URL + "/roles/product-manager-marketing")
	b.ScreenshotViewport(shot)
}
