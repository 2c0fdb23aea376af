package web

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// mixedAnswers answers like an applicant strong in some things and weak
// in others: the ratings cycle through 4, 3, 3, 1, 2, 3, the years are 1
// and yes/no items alternate.
func mixedAnswers() answerer {
	ratings := []string{"4", "3", "3", "1", "2", "3"}
	n := 0
	return func(kind string) string {
		n++
		switch kind {
		case "experience":
			return "1"
		case "fact":
			if n%2 == 0 {
				return "no"
			}
			return "yes"
		}
		return ratings[n%len(ratings)]
	}
}

// TestBrowserResultScreenshots shows a full assessment's result and the
// quick check's first questions at desktop and phone sizes. The screenshots go to $ROLEFIT_SHOTS when set,
// else to a temporary directory.
func TestBrowserResultScreenshots(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "full"), mixedAnswers())
	b := browsertest.New(t)
	dir := os.Getenv("ROLEFIT_SHOTS")
	if dir == "" {
		dir = t.TempDir()
	}
	for _, size := range []struct {
		name   string
		width  int64
		height int64
	}{{"1280x800", 1280, 800}, {"390x844", 390, 844}} {
		b.Viewport(size.width, size.height)
		b.Open(ts.URL + res.Header.Get("Location"))
		b.Screenshot(filepath.Join(dir, "result-"+size.name+".png"))
		b.Open(ts.URL + "/roles/" + refSlug)
		b.ClickNav(browsertest.TestID("start-quick"))
		b.Screenshot(filepath.Join(dir, "quick-step-"+size.name+".png"))
	}
	// The widget's result, at a job page's column width.
	w := ts.client(t)
	page := w.embedGet("/embed/"+embedSlug, "https://jobs.example.com/careers")
	form := url.Values{"_state": {page.stateField()}}
	answer := mixedAnswers()
	page.testID("item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		kind, _ := s.Attr("data-kind")
		form.Set(id, answer(kind))
	})
	b.Viewport(390, 844)
	b.Open(ts.URL + w.embedPost("/embed/"+embedSlug, form).Header.Get("Location"))
	b.Screenshot(filepath.Join(dir, "widget-result-390x844.png"))
}

// TestBrowserResultAccessibility checks the result pages with axe-core in
// both colour schemes: the site's result (a capped, closest verdict), the
// delete confirmation, the deleted result's 410 page, the widget's result
// with its gaps and apply button, and a question page with every kind of
// item. With JavaScript the result offers copy and print buttons.
func TestBrowserResultAccessibility(t *testing.T) {
	ts := newTestServer(t)
	e, _ := ts.cat.Get(refSlug)
	e.Role.ApplyURL = "https://jobs.example/apply/pm"
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "full"), mixedAnswers())
	result := ts.URL + res.Header.Get("Location")

	w := ts.client(t)
	page := w.embedGet("/embed/"+embedSlug, "https://jobs.example.com/careers")
	answer := mixedAnswers()
	// The widget asks a few questions per page.
	for page.StatusCode == 200 && page.testID("embed-form").Length() == 1 {
		form := url.Values{"_state": {page.stateField()}}
		page.testID("item").Each(func(_ int, s *goquery.Selection) {
			id, _ := s.Attr("data-item")
			kind, _ := s.Attr("data-kind")
			form.Set(id, answer(kind))
		})
		page = w.embedPost("/embed/"+embedSlug, form)
	}
	widget := ts.URL + page.Header.Get("Location")

	d := ts.client(t)
	gone := finishCheck(t, d, startCheck(t, d, "quick"), answerAll("3", "3", "yes")).Header.Get("Location")
	if r := d.post(gone+"/delete", url.Values{}); r.StatusCode != 303 {
		t.Fatalf("delete: %d", r.StatusCode)
	}

	b := browsertest.New(t)
	for _, scheme := range []string{"light", "dark"} {
		for _, p := range []struct{ name, url string }{
			{"result", result},
			{"confirm", result + "/delete"},
			{"deleted", ts.URL + gone},
			{"widget result", widget},
		} {
			t.Run(scheme+"/"+p.name, func(t *testing.T) {
				b.ColorScheme(scheme)
				b.Open(p.url)
				b.RequireAxe(t, browsertest.AxeOptions{})
			})
		}
	}
	b.Open(result)
	if b.Count(browsertest.TestID("print")) != 1 || b.Count(browsertest.TestID("copy")) != 1 {
		t.Error("no print or copy button with JavaScript on")
	}
	if got := b.Text(`[data-testid="recommendation"]`); !strings.Contains(got, "No level is a good fit yet") || !strings.Contains(got, "two or more steps below") {
		t.Errorf("verdict does not give its reason: %q", got)
	}
	b.Open(widget)
	if b.Count(browsertest.TestID("gap")) == 0 || b.Count(browsertest.TestID("apply")) != 1 {
		t.Error("the widget's result shows no gaps or no apply button")
	}
	// The quick check's steps ask every kind of item, each on its scale.
	b.Open(ts.URL + "/roles/" + refSlug)
	b.ClickNav(browsertest.TestID("start-quick"))
	seen := map[string]bool{}
	for b.Count(browsertest.TestID("wizard")) > 0 {
		for _, kind := range []string{"skill", "trait", "language", "experience", "fact"} {
			seen[kind] = seen[kind] || b.Count(`[data-kind="`+kind+`"]`) > 0
		}
		if b.Count(`[data-kind="language"]`) > 0 {
			if got := b.Text(`[data-kind="language"] label`); !strings.Contains(got, "A1") {
				t.Errorf("a language item's first option is %q, want CEFR levels", got)
			}
			b.RequireAxe(t, browsertest.AxeOptions{})
		}
		answerStep(b)
		b.ClickNav(browsertest.TestID("next"))
	}
	for _, kind := range []string{"skill", "trait", "language", "experience", "fact"} {
		if !seen[kind] {
			t.Errorf("the quick check asks no %s item", kind)
		}
	}
}
