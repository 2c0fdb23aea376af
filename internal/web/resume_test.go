package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// answerFirstStep starts a quick check and answers its first step.
func answerFirstStep(t *testing.T, c *client) {
	t.Helper()
	first := startCheck(t, c, "quick")
	if r := c.post("/roles/"+refSlug+"/check/1", stepForm(first, answerAll("3", "3", "yes"))); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("step 1: %d", r.StatusCode)
	}
}

func TestWizard_ConfirmStartOver(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	answerFirstStep(t, c)
	page := c.get("/roles/" + refSlug)
	start := url.Values{"_csrf": {page.csrf()}, "mode": {"full"}}
	r := c.post("/roles/"+refSlug+"/check", start)
	if r.StatusCode != http.StatusOK || r.testID("confirm-start").Length() != 1 {
		t.Fatalf("starting over on saved answers: %d, want the confirmation page\n%.600s", r.StatusCode, r.Body)
	}
	if !strings.Contains(r.testID("confirm-start").Text(), "5 of 14 items answered") {
		t.Errorf("the confirmation does not say what would be lost: %q", r.testID("confirm-start").Text())
	}
	// Nothing is cleared until confirmed: the check carries on at step 2.
	if got := c.get("/roles/" + refSlug + "/check").Header.Get("Location"); got != "/roles/"+refSlug+"/check/2" {
		t.Errorf("after the confirmation page the check continues at %q, want step 2", got)
	}
	if href, _ := r.testID("continue").Attr("href"); href != "/roles/"+refSlug+"/check" {
		t.Errorf("keep-my-answers link %q", href)
	}
	confirm := url.Values{"_csrf": {r.csrf()}}
	r.testID("confirm-start").Find(`form input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		confirm.Set(s.AttrOr("name", ""), s.AttrOr("value", ""))
	})
	r = c.post("/roles/"+refSlug+"/check", confirm)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Fatalf("confirmed start: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if got := c.get("/roles/" + refSlug + "/check/1").testID("progress").Text(); got != "Step 1 of 9 · 0 of 45 answered" {
		t.Errorf("after starting over: %q, want a new full assessment", got)
	}
}

func TestResumeLink(t *testing.T) {
	ts := newTestServer(t)
	a := ts.client(t)
	answerFirstStep(t, a)
	saved := a.get("/roles/" + refSlug + "/check/saved")
	link := saved.testID("resume-link").Text()
	if !strings.HasPrefix(link, ts.URL+"/roles/"+refSlug+"/resume?k=") {
		t.Fatalf("resume link %q", link)
	}
	if w := saved.testID("resume-warning").Text(); !strings.Contains(w, "Whoever has this link can see and change your answers until 6 December 2026") {
		t.Errorf("the link's warning says %q", w)
	}
	path := strings.TrimPrefix(link, ts.URL)

	t.Run("OK", func(t *testing.T) {
		b := ts.client(t)
		page := b.get(path)
		if page.StatusCode != http.StatusOK || !strings.Contains(page.testID("resume-page").Text(), "5 of 14 items answered") {
			t.Fatalf("the link shows %d %q", page.StatusCode, page.testID("resume-page").Text())
		}
		for _, ck := range page.Cookies() {
			if ck.Name == ts.srv.checkCookieName() {
				t.Error("opening the link took its check before the applicant chose to continue")
			}
		}
		k, _ := page.Doc.Find(`input[name="k"]`).Attr("value")
		r := b.post("/roles/"+refSlug+"/resume", url.Values{"_csrf": {page.csrf()}, "k": {k}})
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("continue: %d", r.StatusCode)
		}
		if got := b.get("/roles/" + refSlug + "/check").Header.Get("Location"); got != "/roles/"+refSlug+"/check/2" {
			t.Errorf("the other browser continues at %q, want step 2", got)
		}
		// This browser's check, if any, is named before it is replaced.
		if again := b.get(path); again.testID("resume-replaces").Length() != 1 {
			t.Error("the link does not warn that it replaces this browser's check")
		}
	})

	for _, tc := range []struct {
		name, path string
		later      time.Duration
	}{
		{"ErrExpired", path, 8 * 24 * time.Hour},
		{"ErrTampered", strings.Replace(path, "k=", "k=A", 1), 0},
		{"ErrMissing", "/roles/" + refSlug + "/resume", 0},
		{"ErrOtherRole", strings.Replace(path, refSlug, "no-such-role", 1), 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := ts.srv.Now
			ts.srv.Now = func() time.Time { return now().Add(tc.later) }
			defer func() { ts.srv.Now = now }()
			r := ts.client(t).get(tc.path)
			if r.StatusCode != http.StatusNotFound || r.testID("error").Length() != 1 {
				t.Errorf("%s: %d, want 404 with a message", tc.path, r.StatusCode)
			}
		})
	}
}
