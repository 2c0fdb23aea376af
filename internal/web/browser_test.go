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

// TestBrowserQuickCheckByKeyboard walks the quick check from the role page
// to the result with the keyboard alone: Tab to reach each control, Space
// and the arrow keys to rate, Enter to go on. Every page on the way must
// pass axe-core, and a step sent half answered must put the focus on the
// list of what is missing.
func TestBrowserQuickCheckByKeyboard(t *testing.T) {
	ts := newTestServer(t)
	b := browsertest.New(t)
	b.Open(ts.URL + "/roles/product-manager-marketing")
	b.TabTo(browsertest.TestID("start-quick"), 8)
	b.PressNav("Enter")

	if got := b.TextByTestID("progress"); !strings.HasPrefix(got, "Step 1 of ") {
		t.Fatalf("after Quick check: progress %q at %s", got, b.Location())
	}
	b.RequireAxe(t, browsertest.AxeOptions{})

	// Sending the first step unanswered shows the errors and moves the
	// focus to their summary, so a screen reader announces them.
	b.TabTo(browsertest.TestID("next"), 80)
	b.PressNav("Enter")
	if n := b.Count(browsertest.TestID("field-error")); n == 0 {
		t.Fatalf("an unanswered step shows no field errors at %s", b.Location())
	}
	if got := b.Focused(); !strings.Contains(got, "error-summary") {
		t.Errorf("after a failed step the focus is on %s, want the error summary", got)
	}
	b.RequireAxe(t, browsertest.AxeOptions{})

	for step := 1; ; step++ {
		if step > 20 {
			t.Fatalf("no result after %d steps", step)
		}
		answerStepByKeyboard(t, b)
		if b.Count(browsertest.TestID("wizard")) == 0 {
			break
		}
		if n := b.Count(browsertest.TestID("field-error")); n > 0 {
			t.Fatalf("step %d answered by keyboard still has %d errors: %s", step, n, b.Text(browsertest.TestID("error-summary")))
		}
		b.RequireAxe(t, browsertest.AxeOptions{})
	}

	if b.Count(browsertest.TestID("result")) == 0 {
		t.Fatalf("the check ended at %s without a result", b.Location())
	}
	if got := b.TextByTestID("recommendation"); got == "" {
		t.Error("the result has no recommendation")
	}
	for _, scheme := range []string{"light", "dark"} {
		b.ColorScheme(scheme)
		b.RequireAxe(t, browsertest.AxeOptions{})
	}
	b.RequireOnlyHosts(strings.TrimPrefix(ts.URL, "http://"))
}

// answerStepByKeyboard answers every item of the wizard step shown as a
// keyboard user would, then presses Enter on Next. A rating gets the
// middle-high point of the scale (Space on the first option, then
// ArrowRight), a yes/no item "yes", a number of years 5.
func answerStepByKeyboard(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	for range 200 {
		b.Press("Tab")
		el := browsertest.Eval[struct {
			Kind, Type, TestID string
			Checked            bool
		}](b, `(() => {
			const e = document.activeElement, q = e.closest("fieldset.q");
			return {Kind: q ? q.dataset.kind : "", Type: e.type || e.tagName,
				TestID: e.dataset.testid || "",
				Checked: q ? !!q.querySelector("input:checked") : false};
		})()`)
		switch {
		case el.TestID == "next":
			// The keys must have given exactly the intended answers.
			if bad := browsertest.Eval[[]string](b, `[...document.querySelectorAll("fieldset.q")].filter(q => {
				const c = q.querySelector("input:checked"), n = q.querySelector("input[type=number]");
				if (n) return n.value !== "5";
				if (q.querySelector("input[value='3']")) return !c || c.value !== "3";
				return !c || c.value !== "yes";
			}).map(q => q.dataset.item)`); len(bad) > 0 {
				t.Fatalf("items not answered as typed on %s: %v", b.Location(), bad)
			}
			b.PressNav("Enter")
			return
		case el.Type == "number":
			b.Press("5")
		case el.Type == "radio" && !el.Checked && el.Kind == "fact":
			b.Press("Space")
		case el.Type == "radio" && !el.Checked:
			b.Press("Space", "ArrowRight", "ArrowRight", "ArrowRight")
		}
	}
	t.Fatalf("Next not reached by Tab on %s", b.Location())
}
