package web

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/role"
)

// editorValues returns what a browser would send from the page's editor
// form as it stands: every field's value, ticked boxes only, and the
// selected option of each list.
func editorValues(page *response) url.Values {
	form := url.Values{}
	f := page.testID("editor-form")
	f.Find("input").Each(func(_ int, in *goquery.Selection) {
		name, _ := in.Attr("name")
		val, _ := in.Attr("value")
		if typ, _ := in.Attr("type"); typ == "checkbox" {
			if _, on := in.Attr("checked"); !on {
				return
			}
		}
		form.Set(name, val)
	})
	f.Find("select").Each(func(_ int, sel *goquery.Selection) {
		name, _ := sel.Attr("name")
		opt := sel.Find("option[selected]")
		if opt.Length() == 0 {
			opt = sel.Find("option").First()
		}
		val, _ := opt.Attr("value")
		form.Set(name, val)
	})
	f.Find("textarea").Each(func(_ int, ta *goquery.Selection) {
		name, _ := ta.Attr("name")
		form.Set(name, ta.Text())
	})
	return form
}

// itemRow finds the editor's row of the item whose text starts with text.
func itemRow(t *testing.T, page *response, text string) string {
	t.Helper()
	var id string
	page.testID("edit-item").EachWithBreak(func(_ int, s *goquery.Selection) bool {
		if strings.HasPrefix(strings.TrimSpace(s.Find("th").Text()), text) {
			id, _ = s.Attr("data-item")
			return false
		}
		return true
	})
	if id == "" {
		t.Fatalf("no item %q in the editor", text)
	}
	return id
}

func TestEditor_DraftPublishEditCompareArchive(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	admin := ts.client(t)
	admin.login("ada@example.com")
	src, err := os.ReadFile("../jobfamily/testdata/engineering__database-engineer.md")
	if err != nil {
		t.Fatal(err)
	}
	csrf := admin.get("/admin/import").csrf()
	const slug = "database-engineer"

	// The draft: the title is cleaned, the summary is the page's own
	// introduction, not its SEO description.
	draft := admin.post("/admin/import", url.Values{"_csrf": {csrf}, "markdown": {string(src)}, "filename": {"engineering__database-engineer.md"}})
	if draft.StatusCode != http.StatusOK {
		t.Fatalf("preview: status %d", draft.StatusCode)
	}
	form := editorValues(draft)
	if form.Get("title") != "Database Engineer" || form.Get("slug") != slug {
		t.Errorf("draft title %q slug %q, want the cleaned title", form.Get("title"), form.Get("slug"))
	}
	if sum := form.Get("summary"); strings.Contains(sum, "Learn more") {
		t.Errorf("draft summary is the page's SEO description: %q", sum)
	}

	// Corrections, one bulk action, and a bad value: the draft comes back
	// with the message and nothing is stored.
	leaveOut := itemRow(t, draft, "Improve tooling to detect performance bottlenecks")
	fact := itemRow(t, draft, "Review, optimize and refactor")
	firstGroup, _ := draft.testID("edit-group").First().Attr("data-key")
	form.Set("omit."+leaveOut, "1")
	form.Set("kind."+fact, "fact")
	form.Set("weight."+fact, "NaN")
	form.Set("source_url", "https://handbook.example.com/job-families/engineering/database-engineer/")
	form.Set("action", "publish")
	bad := admin.post("/admin/import/publish", form)
	if bad.StatusCode != http.StatusUnprocessableEntity || bad.testID("editor-errors").Length() != 1 {
		t.Fatalf("bad weight: status %d", bad.StatusCode)
	}
	if _, ok := ts.cat.Get(slug); ok {
		t.Fatal("an invalid draft was published")
	}
	form = editorValues(bad)
	if form.Get("omit."+leaveOut) != "1" || form.Get("kind."+fact) != "fact" {
		t.Error("the draft lost the corrections made with the bad value")
	}
	form.Set("weight."+fact, "2")
	form.Set("bulk-bonus."+firstGroup, "1")
	form.Set("action", "update")
	updated := admin.post("/admin/import/publish", form)
	if updated.StatusCode != http.StatusOK {
		t.Fatalf("update: status %d", updated.StatusCode)
	}
	group := updated.Doc.Find(`[data-testid="edit-group"][data-key="` + firstGroup + `"]`)
	if n, on := group.Find(`[data-testid="bonus"]`).Length(), group.Find(`[data-testid="bonus"][checked]`).Length(); n == 0 || n != on {
		t.Errorf("bulk bonus: %d of %d items are bonus", on, n)
	}
	form = editorValues(updated)
	form.Set("action", "publish")
	if res := admin.post("/admin/import/publish", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish: status %d %.300s", res.StatusCode, res.Body)
	}

	// Publishing made version 1 of the new role, as corrected.
	e, ok := ts.cat.Get(slug)
	if !ok {
		t.Fatal("not published")
	}
	if e.Number != 1 || e.Role.Title != "Database Engineer" || e.Role.SourceURL == "" {
		t.Errorf("published: version %d title %q source %q", e.Number, e.Role.Title, e.Role.SourceURL)
	}
	if it := findRoleItem(e.Role, fact); it.Kind != "fact" || it.Weight != 2 {
		t.Errorf("corrected item %+v", it)
	}
	if it := findRoleItem(e.Role, leaveOut); it.ID != "" {
		t.Error("the item left out is still asked")
	}
	page := admin.get("/admin/roles/" + slug)
	if got := strings.TrimSpace(page.testID("version").Text()); got != "1" {
		t.Errorf("admin page shows version %q", got)
	}
	if admin.get("/roles/"+slug).StatusCode != http.StatusOK {
		t.Fatal("role page of the new role")
	}

	// An applicant's full check against version 1.
	app := ts.client(t)
	rolePage := app.get("/roles/" + slug)
	start := app.post("/roles/"+slug+"/check", url.Values{"_csrf": {rolePage.csrf()}, "mode": {"full"}})
	if start.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", start.StatusCode)
	}
	// Ratings of 2 fall short of skills and meet facts, so re-scoring with
	// version 2's kinds or its extra item would move the fits.
	done := finishCheck(t, app, app.get(start.Header.Get("Location")), answerAll("2", "9", "yes"))
	resultURL := done.Header.Get("Location")
	before := app.get(resultURL)
	fitsBefore := fits(before)
	if before.StatusCode != http.StatusOK || len(fitsBefore) == 0 {
		t.Fatalf("result: %d %v", before.StatusCode, fitsBefore)
	}

	// The same editor for the published role: one Save makes version 2,
	// taking back the item left out and turning a requirement into a fact.
	form = editorValues(page)
	if form.Get("omit."+leaveOut) != "1" {
		t.Error("the editor does not show the item left out")
	}
	form.Del("omit." + leaveOut)
	skill := itemRow(t, page, "Expert-level understanding of relational")
	form.Set("kind."+skill, "fact")
	if res := admin.post("/admin/roles/"+slug, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d %.300s", res.StatusCode, res.Body)
	}
	e, _ = ts.cat.Get(slug)
	if e.Number != 2 || findRoleItem(e.Role, leaveOut).ID == "" || findRoleItem(e.Role, skill).Kind != "fact" {
		t.Errorf("after the save: version %d, item back %v, kind %q", e.Number, findRoleItem(e.Role, leaveOut).ID != "", findRoleItem(e.Role, skill).Kind)
	}
	// A Save with nothing changed makes no version; a stale form is refused.
	page = admin.get("/admin/roles/" + slug)
	if res := admin.post("/admin/roles/"+slug, editorValues(page)); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "unchanged") {
		t.Errorf("unchanged save: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if e, _ := ts.cat.Get(slug); e.Number != 2 {
		t.Errorf("an unchanged save made version %d", e.Number)
	}
	if res := admin.post("/admin/roles/"+slug, form); res.StatusCode != http.StatusConflict {
		t.Errorf("save over a newer version: status %d", res.StatusCode)
	}

	// The old result shows the same fits and its own items.
	after := app.get(resultURL)
	if diff := diffMaps(fitsBefore, fits(after)); diff != "" {
		t.Errorf("the result moved after the edit: %s", diff)
	}

	// Compare: version 1 to 2 lists the item taken back as added and the
	// changed kind.
	cmp := admin.get("/admin/roles/" + slug + "/versions?a=1&b=2")
	if cmp.StatusCode != http.StatusOK || cmp.testID("version-line").Length() != 2 {
		t.Fatalf("versions: status %d, %d lines", cmp.StatusCode, cmp.testID("version-line").Length())
	}
	if added := cmp.testID("diff-added").Text(); !strings.Contains(added, "Improve tooling") {
		t.Errorf("added: %q", added)
	}
	if changed := cmp.testID("diff-changed").Text(); !strings.Contains(changed, "Expert-level understanding of relational") || !strings.Contains(changed, "skill → fact") {
		t.Errorf("changed: %q", changed)
	}
	if res := admin.get("/admin/roles/" + slug + "/versions?a=1&b=7"); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("compare with an unknown version: %d", res.StatusCode)
	}

	// Archive asks first; then the role is closed (410) and the result
	// still opens, unchanged.
	confirm := admin.get("/admin/roles/" + slug + "/archive")
	if confirm.StatusCode != http.StatusOK || confirm.testID("confirm-archive").Length() != 1 {
		t.Fatalf("archive confirmation: %d", confirm.StatusCode)
	}
	if _, ok := ts.cat.Get(slug); !ok || ts.mustEntry(t, slug).Archived {
		t.Fatal("opening the confirmation archived the role")
	}
	if res := admin.post("/admin/roles/"+slug+"/archive", url.Values{"_csrf": {confirm.csrf()}, "archived": {"1"}, "confirm": {"1"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("archive: %d", res.StatusCode)
	}
	closed := app.get("/roles/" + slug)
	if closed.StatusCode != http.StatusGone || !strings.Contains(closed.Body, "This role is closed") {
		t.Errorf("archived role page: %d", closed.StatusCode)
	}
	final := app.get(resultURL)
	if final.StatusCode != http.StatusOK {
		t.Fatalf("result of an archived role: %d", final.StatusCode)
	}
	if diff := diffMaps(fitsBefore, fits(final)); diff != "" {
		t.Errorf("the result moved after archiving: %s", diff)
	}
}

func (ts *testServer) mustEntry(t *testing.T, slug string) *catalog.Entry {
	t.Helper()
	e, ok := ts.cat.Get(slug)
	if !ok {
		t.Fatalf("no role %q", slug)
	}
	return e
}

func diffMaps(a, b map[string]string) string {
	var out []string
	for k, v := range a {
		if b[k] != v {
			out = append(out, k+": "+v+" → "+b[k])
		}
	}
	for k, v := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k+": new "+v)
		}
	}
	return strings.Join(out, ", ")
}

// findRoleItem returns the item with the given id wherever it sits, or a
// zero item.
func findRoleItem(r *role.Role, id string) role.Item {
	for _, it := range allItems(r) {
		if it.ID == id {
			return it
		}
	}
	return role.Item{}
}
