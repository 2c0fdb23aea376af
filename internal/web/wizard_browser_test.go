package web

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// pageSizes are the screens every question page must fit: a laptop and a
// phone, each with the tallest page an applicant should have to scroll.
var pageSizes = []struct {
	name          string
	width, height int64
	maxHeight     int
}{
	{"desktop", 1280, 800, 2000},
	{"phone", 390, 844, 3600},
}

// requireShortPage measures the page shown at every size, fails the test
// when it is taller than that size allows or axe-core finds a violation,
// and saves a screenshot of it
// to $ROLEFIT_SHOTS/<name>-<size>.png when that variable is set.
func requireShortPage(t *testing.T, b *browsertest.Browser, name string) {
	t.Helper()
	for _, sz := range pageSizes {
		b.Viewport(sz.width, sz.height)
		h := browsertest.Eval[int](b, `document.documentElement.scrollHeight`)
		t.Logf("%s at %s (%d px wide): %d px", name, sz.name, sz.width, h)
		if h > sz.maxHeight {
			t.Errorf("%s is %d px tall at %s, more than %d", name, h, sz.name, sz.maxHeight)
		}
		// The layout differs by width: each one must pass axe.
		b.RequireAxe(t, browsertest.AxeOptions{})
		if dir := os.Getenv("ROLEFIT_SHOTS"); dir != "" {
			b.Screenshot(filepath.Join(dir, name+"-"+sz.name+".png"))
		}
	}
	b.Viewport(pageSizes[0].width, pageSizes[0].height)
}

// answerStep answers every item on the page shown as a pointer user
// would: a rating of 3, yes, or 5 years.
func answerStep(b *browsertest.Browser) {
	browsertest.Eval[int](b, `(() => {
		const items = document.querySelectorAll('[data-testid="item"]');
		for (const it of items) {
			const n = it.querySelector("input[type=number]");
			if (n) { n.value = "5"; continue; }
			(it.querySelector('input[value="3"]') || it.querySelector('input[value="yes"]') || it.querySelector("input[type=radio]")).click();
		}
		return items.length;
	})()`)
}

// TestBrowserShortPages walks every step of the quick check and the full
// assessment, and opens the widget's check, at a laptop's and a phone's
// size: no question page may be taller than the goal for its screen.
func TestBrowserShortPages(t *testing.T) {
	ts := newTestServer(t)
	b := browsertest.New(t)
	for _, mode := range []string{"quick", "full"} {
		t.Run(mode, func(t *testing.T) {
			b.Viewport(pageSizes[0].width, pageSizes[0].height)
			b.Open(ts.URL + "/roles/product-manager-marketing")
			b.ClickNav(browsertest.TestID("start-" + mode))
			for step := 1; b.Count(browsertest.TestID("wizard")) > 0; step++ {
				if step > 40 {
					t.Fatalf("no result after %d steps", step)
				}
				requireShortPage(t, b, mode+"-step-"+strconv.Itoa(step))
				answerStep(b)
				b.ClickNav(browsertest.TestID("next"))
			}
			if b.Count(browsertest.TestID("result")) == 0 {
				t.Fatalf("the %s check ended at %s without a result", mode, b.Location())
			}
		})
	}
	t.Run("widget", func(t *testing.T) {
		b.Open(ts.URL + "/embed/" + embedSlug)
		for page := 1; b.Count(browsertest.TestID("embed-form")) > 0; page++ {
			if page > 20 {
				t.Fatalf("no result after %d pages", page)
			}
			requireShortPage(t, b, "widget-page-"+strconv.Itoa(page))
			answerStep(b)
			b.ClickNav(browsertest.TestID("embed-submit"))
		}
		if b.Count(browsertest.TestID("embed-fits")) == 0 {
			t.Fatalf("the widget's check ended at %s without a result", b.Location())
		}
	})
}

// TestBrowserCheckActions visits the pages around the check that protect
// an applicant's answers: saved with a link for another device, the
// confirmation before starting over, the resume link's page, and the
// message for a step that does not exist. Each must pass axe-core.
func TestBrowserCheckActions(t *testing.T) {
	ts := newTestServer(t)
	b := browsertest.New(t)
	b.Open(ts.URL + "/roles/product-manager-marketing")
	b.ClickNav(browsertest.TestID("start-quick"))
	answerStep(b)
	b.ClickNav(browsertest.TestID("save"))
	link := browsertest.Eval[string](b, `document.querySelector('[data-testid="resume-link"]').value`)
	if b.Count(browsertest.TestID("copy")) != 1 {
		t.Error("the saved page has no copy button for the link")
	}
	b.RequireAxe(t, browsertest.AxeOptions{})

	b.Open(ts.URL + "/roles/product-manager-marketing")
	b.ClickNav(browsertest.TestID("start-quick"))
	if b.Count(browsertest.TestID("confirm-start")) != 1 {
		t.Fatalf("Quick check on saved answers went to %s without asking", b.Location())
	}
	if got := b.Focused(); !strings.Contains(got, "confirm-title") {
		t.Errorf("the confirmation's focus is on %s, want its heading", got)
	}
	b.RequireAxe(t, browsertest.AxeOptions{})
	b.ClickNav(browsertest.TestID("continue"))
	if got := b.TextByTestID("progress"); !strings.HasPrefix(got, "Step 2 of 3 · 5 of 14") {
		t.Errorf("keeping the answers leads to %q, want step 2 with 6 answered", got)
	}

	b.Open(link)
	if b.Count(browsertest.TestID("resume-replaces")) != 1 {
		t.Error("the resume link does not say it replaces this browser's check")
	}
	b.RequireAxe(t, browsertest.AxeOptions{})

	b.Open(ts.URL + "/roles/product-manager-marketing/check/9")
	if b.Count(browsertest.TestID("error")) != 1 {
		t.Errorf("step 9 shows no message at %s", b.Location())
	}
	b.RequireAxe(t, browsertest.AxeOptions{})
}
