package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// requireNoDeadLinks follows every link on page that stays on rolefit and
// fails when one of them answers 404, and returns the page's links.
func requireNoDeadLinks(t *testing.T, c *client, page *response) []*goquery.Selection {
	t.Helper()
	var out []*goquery.Selection
	page.Doc.Find("a[href]").Each(func(_ int, a *goquery.Selection) {
		out = append(out, a)
		href, _ := a.Attr("href")
		u, err := url.Parse(href)
		if err != nil {
			t.Errorf("%s: link %q does not parse", page.Request.URL.Path, href)
			return
		}
		if u.IsAbs() || strings.HasPrefix(href, "#") {
			return
		}
		if r := c.get(u.RequestURI()); r.StatusCode == http.StatusNotFound {
			t.Errorf("%s: link %q (%q) answers 404", page.Request.URL.Path, href, a.Text())
		}
	})
	return out
}

// TestLinks_NoneDead walks the role page, every step of the quick check,
// the result and the widget, following every link that stays on rolefit:
// none may answer 404. Links in questions open in a new tab and say so.
func TestLinks_NoneDead(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	requireNoDeadLinks(t, c, c.get("/roles/"+refSlug))
	page := startCheck(t, c, "quick")
	inQuestions := 0
	for page.testID("step-form").Length() > 0 {
		requireNoDeadLinks(t, c, page)
		page.testID("item").Find("a").Each(func(_ int, a *goquery.Selection) {
			inQuestions++
			if a.AttrOr("target", "") != "_blank" || a.AttrOr("rel", "") != "noopener" || !strings.Contains(a.Text(), "(opens in a new tab)") {
				t.Errorf("link %q in a question does not open, or say it opens, in a new tab", a.Text())
			}
		})
		action, _ := page.testID("step-form").Attr("action")
		r := c.post(action, stepForm(page, answerAll("3", "3", "yes")))
		page = c.get(r.Header.Get("Location"))
	}
	if inQuestions == 0 {
		t.Error("the quick check of the reference role shows no link at all; the test checks nothing")
	}
	if page.testID("result").Length() != 1 {
		t.Fatalf("the check ended at %s", page.Request.URL.Path)
	}
	requireNoDeadLinks(t, c, page)
	frame := c.embedGet("/embed/"+embedSlug, "")
	for frame.testID("embed-form").Length() > 0 {
		requireNoDeadLinks(t, c, frame)
		frame = c.embedPost("/embed/"+embedSlug, embedAnswers(t, frame, "3", "4"))
	}
}

// TestLinks_SourceURL sets the page's address in the admin: relative links
// then lead to the page's own site, on every page and in later versions.
func TestLinks_SourceURL(t *testing.T) {
	ts := newTestServer(t)
	ts.addUser(t, "ada@example.com", true)
	c := ts.client(t)
	c.login("ada@example.com")
	csrf := c.get("/admin/roles/" + refSlug).csrf()
	valuesLink := func() string {
		t.Helper()
		href := ""
		c.get("/roles/" + refSlug).testID("item").Find("a").Each(func(_ int, a *goquery.Selection) {
			if a.Text() == "values" {
				href = a.AttrOr("href", "")
			}
		})
		return href
	}
	// Without the page's address the link is its text only.
	if href := valuesLink(); href != "" {
		t.Errorf("with no source page, values links to %q", href)
	}
	if res := c.post("/admin/roles/"+refSlug+"/source-url", url.Values{"_csrf": {csrf}, "source_url": {"/job-families/pm/"}}); res.StatusCode != http.StatusUnprocessableEntity || res.Doc.Find("#e-source_url").Length() != 1 {
		t.Errorf("a relative source page: status %d, want 422 with a message", res.StatusCode)
	}
	const src = "https://about.gitlab.com/job-families/marketing/product-manager-marketing/"
	if res := c.post("/admin/roles/"+refSlug+"/source-url", url.Values{"_csrf": {csrf}, "source_url": {src}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("source page: status %d", res.StatusCode)
	}
	if href := valuesLink(); href != "https://about.gitlab.com/handbook/values/" {
		t.Errorf("values links to %q, want the handbook's page", href)
	}
	if got := c.get("/admin/roles/"+refSlug).Doc.Find("#source_url").AttrOr("value", ""); got != src {
		t.Errorf("the admin page shows the source page %q", got)
	}
	// A new version of the page is taken to be published where the last was.
	if _, err := ts.cat.Import(context.Background(), ts.store, editedReference(t), refSlug+".md"); err != nil {
		t.Fatal(err)
	}
	if href := valuesLink(); href != "https://about.gitlab.com/handbook/values/" {
		t.Errorf("after a new version, values links to %q", href)
	}
}
