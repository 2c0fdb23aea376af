package web

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// TestBrowserEditor walks the role editor in Chromium as an admin would,
// without a line of script: a pasted page's draft, corrected with a bulk
// action and a mistake, published as version 1; the same editor on the
// published role saved as version 2; the comparison of the two; archiving
// with its confirmation; the closed role's page. Every page passes
// axe-core in both colour schemes. The draft's first screen at 1280×800
// and its first items, and the comparison of two versions, are saved as
// import-editor.png, import-editor-items.png and versions-compare.png in
// ROLEFIT_SHOT_DIR when it is set.
func TestBrowserEditor(t *testing.T) {
	browsertest.NeedAxe(t)
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	src, err := os.ReadFile("../jobfamily/testdata/engineering__database-engineer.md")
	if err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	b.Viewport(1280, 800)
	signIn(t, b, ts.URL, "ada@example.com", testPassword)
	const slug = "database-engineer"

	b.Open(ts.URL + "/admin/import")
	b.Do("paste a page", chromedp.SetValue(chromedp.CSS("#markdown"), string(src)))
	b.ClickNav(browsertest.TestID("preview"))
	if got := b.TextByTestID("preview-title"); got != "Database Engineer" {
		t.Fatalf("draft title %q", got)
	}
	shot := filepath.Join(t.TempDir(), "import-editor.png")
	if dir := os.Getenv("ROLEFIT_SHOT_DIR"); dir != "" {
		shot = filepath.Join(dir, "import-editor.png")
	}
	b.ScreenshotViewport(shot)
	b.Do("scroll to the items", chromedp.ScrollIntoView(chromedp.CSS(browsertest.TestID("edit-group"))))
	b.ScreenshotViewport(strings.TrimSuffix(shot, ".png") + "-items.png")
	requireAxeBoth(t, b, "import draft")

	// A bulk action and a weight out of range: the draft comes back with
	// the message beside the item, and the bulk action applied.
	group := `[data-testid="edit-group"]:first-of-type`
	b.Do("mark a section's items as facts", chromedp.SetValue(chromedp.CSS(group+` [data-testid="bulk-kind"]`), "fact"))
	b.Do("type a bad weight", chromedp.SetValue(chromedp.CSS(group+` input[name^="weight."]`), "50"))
	b.ClickNav(browsertest.TestID("update"))
	if n := b.Count(browsertest.TestID("field-error")); n != 1 {
		t.Errorf("%d item errors after a weight of 50, want 1", n)
	}
	kinds := browsertest.Eval[[]string](b, `[...document.querySelectorAll('[data-testid="edit-group"]:first-of-type [data-testid="kind"]')].map(s => s.value)`)
	for _, k := range kinds {
		if k != "fact" {
			t.Errorf("after the bulk action an item of the section is a %s", k)
		}
	}
	requireAxeBoth(t, b, "import draft with an error")
	b.Do("fix the weight", chromedp.SetValue(chromedp.CSS(group+` input[name^="weight."]`), "2"))
	b.ClickNav(browsertest.TestID("publish"))
	if loc := b.Location(); !strings.HasSuffix(loc, "/admin/roles/"+slug+"?notice=imported") {
		t.Fatalf("after publishing at %s", loc)
	}
	if got := b.TextByTestID("version"); got != "1" {
		t.Errorf("a new role's version is %q, want 1", got)
	}
	requireAxeBoth(t, b, "role editor")

	// One Save of the published role makes version 2.
	b.Do("leave an item out", chromedp.Click(chromedp.CSS(`[data-testid="edit-item"]:last-of-type [data-testid="omit"]`)))
	b.ClickNav(browsertest.TestID("save"))
	if got := b.TextByTestID("version"); got != "2" {
		t.Errorf("after a Save the version is %q, want 2", got)
	}

	b.Open(ts.URL + "/admin/roles/" + slug + "/versions")
	b.ClickNav(browsertest.TestID("compare-form") + ` button[type="submit"]`)
	if n := b.Count(browsertest.TestID("diff-removed")); n != 1 {
		t.Errorf("comparison lists %d removed items, want 1", n)
	}
	b.ScreenshotViewport(filepath.Join(filepath.Dir(shot), "versions-compare.png"))
	requireAxeBoth(t, b, "versions compared")

	b.Open(ts.URL + "/admin/roles/" + slug)
	b.ClickNav(browsertest.TestID("archive"))
	requireAxeBoth(t, b, "archive confirmation")
	b.ClickNav(browsertest.TestID("confirm-archive"))
	if n := b.Count(browsertest.TestID("field-error")); n != 1 {
		t.Error("archiving without ticking the box shows no error")
	}
	requireAxeBoth(t, b, "archive confirmation with an error")
	b.Click("#confirm")
	b.ClickNav(browsertest.TestID("confirm-archive"))
	b.Open(ts.URL + "/roles/" + slug)
	if got := b.Text("main"); !strings.Contains(got, "This role is closed") {
		t.Errorf("archived role page: %q", got)
	}
	requireAxeBoth(t, b, "closed role")
}
