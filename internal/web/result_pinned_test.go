package web

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/role"
)

// resultView is what an applicant reads on a result: every level's fit
// and band, the verdict, and the items listed.
type resultView struct {
	levels  map[string]string
	verdict string
	items   []string
}

func viewOf(page *response) resultView {
	v := resultView{levels: map[string]string{}}
	page.testID("level-fit").Each(func(_ int, s *goquery.Selection) {
		slug, _ := s.Attr("data-level")
		fit, _ := s.Attr("data-fit")
		band, _ := s.Attr("data-band")
		v.levels[slug] = fit + " " + band
	})
	rec := page.testID("recommendation")
	level, _ := rec.Attr("data-level")
	verdict, _ := rec.Attr("data-verdict")
	v.verdict = level + " " + verdict
	page.Doc.Find(".line-text").Each(func(_ int, s *goquery.Selection) {
		v.items = append(v.items, strings.TrimSpace(s.Text()))
	})
	return v
}

// TestResult_PinnedToItsCheck: a full check, then a new version of the
// role with two requirements dropped, one reworded and one added, then
// ten admin changes of an item's kind, each saved as a version. The old result shows the same fits,
// bands and verdict and still lists its own items; the role page shows the
// new version.
func TestResult_PinnedToItsCheck(t *testing.T) {
	ts := newTestServer(t)
	applicant := ts.client(t)
	res := finishCheck(t, applicant, startCheck(t, applicant, "full"), mixedAnswers())
	loc := res.Header.Get("Location")
	before := viewOf(applicant.get(loc))
	stored := ts.findResult(t, loc)

	src := db.ReferenceRole
	for _, edit := range []struct{ old, new string }{
		{"- Knowledge of the developer tool space\n", ""},
		{"- Ability to use GitLab\n", ""},
		{"- Passion for design and usability", "- Passion for accessible design"},
		{"- Thorough understanding of Git and Git workflows", "- Thorough understanding of Git and Git workflows\n- Experience with static site generators such as Hugo"},
	} {
		if !bytes.Contains(src, []byte(edit.old)) {
			t.Fatalf("reference role changed; update the test: %q", edit.old)
		}
		src = bytes.Replace(src, []byte(edit.old), []byte(edit.new), 1)
	}
	ts.addUser(t, "ada@example.com", true)
	admin := ts.client(t)
	admin.login("ada@example.com")
	csrf := admin.get("/admin/import").csrf()
	draft := editorValues(admin.post("/admin/import", url.Values{"_csrf": {csrf}, "markdown": {string(src)}}))
	draft.Set("action", "publish")
	if r := admin.post("/admin/import/publish", draft); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish the new version: %d %s", r.StatusCode, r.testID("editor-errors").Text())
	}
	e, _ := ts.cat.Get(refSlug)
	if e.VersionID == stored.VersionID {
		t.Fatal("no new version")
	}
	// Ten rated items of the new version become yes/no facts of weight 2,
	// one Save of the role editor each.
	changed := 0
	for _, l := range e.Role.Levels {
		for _, sec := range role.Sections {
			for _, it := range l.Items(sec) {
				if changed == 10 || !it.Kind.Rated() {
					continue
				}
				form := editorValues(admin.get("/admin/roles/" + refSlug))
				form.Set("kind."+it.ID, "fact")
				form.Set("weight."+it.ID, "2")
				if r := admin.post("/admin/roles/"+refSlug, form); r.StatusCode != http.StatusSeeOther {
					t.Fatalf("change %q: %d", it.Text, r.StatusCode)
				}
				changed++
			}
		}
	}
	if e, _ = ts.cat.Get(refSlug); len(e.Edits.Items) != 10 {
		t.Fatalf("%d items changed in the current version, want 10", len(e.Edits.Items))
	}

	after := viewOf(applicant.get(loc))
	if after.verdict != before.verdict {
		t.Errorf("verdict %q, was %q", after.verdict, before.verdict)
	}
	for slug, was := range before.levels {
		if after.levels[slug] != was {
			t.Errorf("%s: %q, was %q", slug, after.levels[slug], was)
		}
	}
	if strings.Join(after.items, "\n") != strings.Join(before.items, "\n") {
		t.Errorf("the result lists other items now:\n%v\nwas\n%v", after.items, before.items)
	}
	for _, text := range []string{"Knowledge of the developer tool space", "Passion for design and usability"} {
		if !strings.Contains(strings.Join(after.items, "\n"), text) {
			t.Errorf("the result no longer lists %q", text)
		}
	}
	if got := ts.findResult(t, loc); got.Recommended != stored.Recommended || len(got.Fits) != len(stored.Fits) {
		t.Errorf("stored result moved: %v %v, was %v %v", got.Recommended, got.Fits, stored.Recommended, stored.Fits)
	}
	page := applicant.get("/roles/" + refSlug)
	if !strings.Contains(page.Body, "Passion for accessible design") || strings.Contains(page.Body, "Knowledge of the developer tool space") {
		t.Error("the role page does not show the new version")
	}
	// A check made now is scored with the new version and its overrides.
	fresh := finishCheck(t, applicant, startCheck(t, applicant, "full"), mixedAnswers())
	if sub := ts.findResult(t, fresh.Header.Get("Location")); sub.VersionID != e.VersionID {
		t.Errorf("new check: version %d, want %d", sub.VersionID, e.VersionID)
	}
	// Its result shows the weights in force for it; the old one, none.
	if applicant.get(fresh.Header.Get("Location")).testID("weight").Length() == 0 {
		t.Error("the new result does not show the changed weights")
	}
	if n := applicant.get(loc).testID("weight").Length(); n != 0 {
		t.Errorf("the old result shows %d weights changed after it", n)
	}
}

// TestResult_ChangeAnswers: "change my answers" starts a new check with
// the result's answers filled in; finishing it makes a second result and
// leaves the first as it was.
func TestResult_ChangeAnswers(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "quick"), answerAll("2", "1", "yes"))
	loc := res.Header.Get("Location")
	page := c.get(loc)
	action, _ := page.testID("change-form").Attr("action")
	req, _ := http.NewRequest(http.MethodPost, c.base+action, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("change from another site: %d", r.StatusCode)
	}
	r := c.post(action, url.Values{})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Fatalf("change: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	step := c.get("/roles/" + refSlug + "/check/1")
	items := step.testID("item").Length()
	filled := step.Doc.Find(`input[checked]`).Length() + step.Doc.Find(`input[type=number]:not([value=""])`).Length()
	if items == 0 || filled != items {
		t.Errorf("%d of %d items filled in from the result", filled, items)
	}
	if v, _ := step.Doc.Find(`[data-kind="skill"] input[checked]`).First().Attr("value"); v != "2" {
		t.Errorf("a skill rated 2 is filled in as %q", v)
	}
	// Every answer is there, so the applicant may go straight through.
	again := finishCheck(t, c, step, answerAll("4", "9", "yes"))
	if again.Header.Get("Location") == loc || ts.countSubmissions(t) != 2 {
		t.Fatalf("changed check: %q, %d stored", again.Header.Get("Location"), ts.countSubmissions(t))
	}
	if got := fits(c.get(again.Header.Get("Location"))); got["intermediate"] != "100 %" {
		t.Errorf("new result fits %v", got)
	}
	if got := fits(c.get(loc)); got["intermediate"] == "100 %" {
		t.Errorf("the first result moved: %v", got)
	}
}
