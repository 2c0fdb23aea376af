package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

const refSlug = "product-manager-marketing"

// answerer returns the form value for one item of a step, by kind.
type answerer func(kind string) string

func answerAll(skill, years, fact string) answerer {
	return func(kind string) string {
		switch kind {
		case "experience":
			return years
		case "fact":
			return fact
		}
		return skill
	}
}

// startCheck posts the role page's start form and returns the first step.
func startCheck(t *testing.T, c *client, mode string) *response {
	t.Helper()
	page := c.get("/roles/" + refSlug)
	res := c.post("/roles/"+refSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {mode}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Fatalf("start %s: status %d location %q", mode, res.StatusCode, res.Header.Get("Location"))
	}
	return c.get(res.Header.Get("Location"))
}

// stepForm fills every item of a step page with answer.
func stepForm(page *response, answer answerer) url.Values {
	form := url.Values{"_csrf": {page.csrf()}, "action": {"next"}}
	page.testID("item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		kind, _ := s.Attr("data-kind")
		form.Set(id, answer(kind))
	})
	return form
}

// finishCheck answers every step and returns the final POST's response
// (a redirect to the result on success).
func finishCheck(t *testing.T, c *client, page *response, answer answerer) *response {
	t.Helper()
	for i := 0; i < 20; i++ {
		if page.StatusCode != http.StatusOK {
			t.Fatalf("step page: status %d: %s", page.StatusCode, page.Body)
		}
		action, _ := page.testID("step-form").Attr("action")
		res := c.post(action, stepForm(page, answer))
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("post %s: status %d: %s", action, res.StatusCode, res.testID("error-summary").Text())
		}
		loc := res.Header.Get("Location")
		if strings.HasPrefix(loc, "/results/") {
			return res
		}
		page = c.get(loc)
	}
	t.Fatal("the check did not end")
	return nil
}

func (ts *testServer) countSubmissions(t *testing.T) int {
	t.Helper()
	n, err := ts.store.CountSubmissions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func fits(res *response) map[string]string {
	out := map[string]string{}
	res.testID("level-fit").Each(func(_ int, s *goquery.Selection) {
		slug, _ := s.Attr("data-level")
		out[slug] = strings.TrimSpace(s.Find(`[data-testid="fit"]`).Text())
	})
	return out
}

func TestWizard_Paths(t *testing.T) {
	ts := newTestServer(t)
	tests := []struct {
		name, mode string
		answer     answerer
		wantSteps  int
		wantAsked  int
		wantFit    string
		wantGaps   bool
	}{
		{"QuickExpert", "quick", answerAll("4", "10", "yes"), 3, 14, "100 %", false},
		{"FullExpert", "full", answerAll("4", "10", "yes"), 9, 45, "100 %", false},
		{"QuickZero", "quick", answerAll("0", "0", "no"), 3, 14, "0 %", true},
		{"FullZero", "full", answerAll("0", "0", "no"), 9, 45, "0 %", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ts.client(t)
			before := ts.countSubmissions(t)
			first := startCheck(t, c, tt.mode)
			// Progress counts answers, not pages: nothing is done yet.
			if got, want := first.testID("progress").Text(), "Step 1 of "+strconv.Itoa(tt.wantSteps)+" · 0 of "+strconv.Itoa(tt.wantAsked)+" answered"; got != want {
				t.Errorf("progress %q, want %q", got, want)
			}
			if v, _ := first.testID("progress-bar").Attr("value"); v != "0" {
				t.Errorf("progress bar at %q before any answer, want 0", v)
			}
			if cc := first.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("step Cache-Control %q", cc)
			}
			// Each skill item is a radio group of the five scale points,
			// each with its label and anchor words.
			skill := first.Doc.Find(`fieldset[data-kind="skill"]`).First()
			if n := skill.Find(`input[type=radio]`).Length(); n != 5 {
				t.Errorf("%d radios in a skill item, want 5", n)
			}
			if !strings.Contains(skill.Text(), "Proficient") || !strings.Contains(skill.Text(), "I do it on my own, repeatedly") {
				t.Errorf("scale words missing: %q", skill.Text())
			}
			if skill.Find("legend").Length() != 1 {
				t.Error("item has no legend")
			}
			res := finishCheck(t, c, first, tt.answer)
			if got := ts.countSubmissions(t); got != before+1 {
				t.Fatalf("%d submissions, want %d", got, before+1)
			}
			token := strings.TrimPrefix(res.Header.Get("Location"), "/results/")
			if len(token) < 22 {
				t.Errorf("token %q is too short for 128 bits", token)
			}
			page := c.get("/results/" + token)
			if page.StatusCode != http.StatusOK {
				t.Fatalf("result: status %d", page.StatusCode)
			}
			if cc := page.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("result Cache-Control %q", cc)
			}
			got := fits(page)
			if len(got) != 2 || got["intermediate"] != tt.wantFit || got["senior"] != tt.wantFit {
				t.Errorf("fits %v, want %s for both levels", got, tt.wantFit)
			}
			if has := page.testID("gap").Length() > 0; has != tt.wantGaps {
				t.Errorf("gaps shown: %v, want %v", has, tt.wantGaps)
			}
			if page.testID("how-scored").Length() != 1 || page.testID("calibration").Length() != 1 {
				t.Error("no scoring explanation or calibration note")
			}
			if q := strings.Contains(page.testID("how-scored").Text(), "must-have requirements"); q != (tt.mode == "quick") {
				t.Errorf("quick-check note shown: %v", q)
			}
			if page.testID("hiring-process").Find("li").Length() != 5 {
				t.Error("hiring process missing")
			}
			if page.testID("apply").Length() != 0 {
				t.Error("apply link shown for a role without one")
			}
			// After submitting, the wizard state is gone: a step says so and
			// leads to the role page, and the role page offers no "continue".
			requireNoCheck(t, c.get("/roles/"+refSlug+"/check/1"))
			if c.get("/roles/"+refSlug).testID("resume").Length() != 0 {
				t.Error("role page offers to continue a submitted check")
			}
		})
	}
}

func TestWizard_ResultWords(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "full"), answerAll("1", "1", "yes"))
	page := c.get(res.Header.Get("Location"))
	gaps := page.Doc.Find(`[data-level="intermediate"] [data-testid="gap"]`)
	if !strings.Contains(gaps.First().Text(), "You: Aware (1) · Expected: Proficient (3)") {
		t.Errorf("first gap %q", gaps.First().Text())
	}
	// Largest first: the half-met experience item comes after the skills
	// two steps short.
	if !strings.Contains(gaps.Last().Text(), "years") {
		t.Errorf("last gap %q", gaps.Last().Text())
	}
	if !strings.Contains(page.Body, "You: 1 year · Expected: at least 2 years") {
		t.Error("experience gap not put in years")
	}
	own := page.Doc.Find(`[data-level="senior"] [data-testid="own"]`).Text()
	if !strings.HasPrefix(own, "Senior Product Manager adds 12 items; you meet 0.") {
		t.Errorf("senior split %q", own)
	}
	if page.testID("recommended").Length() != 1 || !strings.Contains(page.Body, "Closest level") {
		t.Error("no closest level for a weak fit")
	}
}

func TestWizard_StepOrder(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	first := startCheck(t, c, "full")
	for _, path := range []string{"/roles/" + refSlug + "/check/3", "/roles/" + refSlug + "/check/2"} {
		if r := c.get(path); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
			t.Errorf("GET %s: %d %q, want a redirect to step 1", path, r.StatusCode, r.Header.Get("Location"))
		}
	}
	form := stepForm(first, answerAll("3", "3", "yes"))
	if r := c.post("/roles/"+refSlug+"/check/4", form); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Errorf("POST step 4 first: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/roles/" + refSlug + "/check/10"); r.StatusCode != http.StatusNotFound {
		t.Errorf("step 10: %d", r.StatusCode)
	}
	if r := c.post("/roles/"+refSlug+"/check/1", form); r.Header.Get("Location") != "/roles/"+refSlug+"/check/2" {
		t.Fatalf("step 1: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if r := c.get("/roles/" + refSlug + "/check/2"); r.StatusCode != http.StatusOK {
		t.Errorf("step 2 after step 1: %d", r.StatusCode)
	}
	if r := c.get("/roles/" + refSlug + "/check/3"); r.Header.Get("Location") != "/roles/"+refSlug+"/check/2" {
		t.Errorf("step 3 before step 2: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if ts.countSubmissions(t) != 0 {
		t.Error("something was stored before the final submit")
	}
	// A fresh browser has no check: the steps say so.
	fresh := ts.client(t)
	for _, path := range []string{"/check/1", "/check/2", "/check", "/check/saved"} {
		requireNoCheck(t, fresh.get("/roles/"+refSlug+path))
	}
	// A step out of range says how many there are and leads back.
	r := c.get("/roles/" + refSlug + "/check/10")
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.testID("error").Text(), "has 9 steps") || r.testID("continue").Length() != 1 {
		t.Errorf("step 10 of 9: %d %q", r.StatusCode, r.testID("error").Text())
	}
}

// requireNoCheck checks that a page of the check answers, when there is
// no check in the browser, with a message and links on, not a redirect.
func requireNoCheck(t *testing.T, r *response) {
	t.Helper()
	if r.StatusCode != http.StatusNotFound || !strings.Contains(r.testID("error").Text(), "No check under way") {
		t.Errorf("%s without a check: %d %q", r.Request.URL.Path, r.StatusCode, r.testID("error").Text())
	}
	if href, _ := r.testID("role-link").Attr("href"); href != "/roles/"+refSlug || r.testID("continue").Length() != 0 {
		t.Errorf("%s without a check links to %q", r.Request.URL.Path, href)
	}
}

func TestWizard_BackAndContinueLater(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	first := startCheck(t, c, "quick")
	form := stepForm(first, answerAll("3", "2.5", "yes"))
	if r := c.post("/roles/"+refSlug+"/check/1", form); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("step 1: %d", r.StatusCode)
	}
	second := c.get("/roles/" + refSlug + "/check/2")
	partial := url.Values{"_csrf": {second.csrf()}, "action": {"save"}}
	var firstID string
	second.testID("item").Each(func(i int, s *goquery.Selection) {
		if i == 0 {
			firstID, _ = s.Attr("data-item")
			partial.Set(firstID, "1")
		}
	})
	r := c.post("/roles/"+refSlug+"/check/2", partial)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/roles/"+refSlug+"/check/saved" {
		t.Fatalf("save: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if saved := c.get(r.Header.Get("Location")); saved.testID("saved").Length() != 1 {
		t.Errorf("no saved page: %d", saved.StatusCode)
	}
	rp := c.get("/roles/" + refSlug)
	if rp.testID("resume").Length() != 1 {
		t.Fatal("the role page does not offer to continue")
	}
	href, _ := rp.testID("resume").Find("a").Attr("href")
	r = c.get(href)
	if r.Header.Get("Location") != "/roles/"+refSlug+"/check/2" {
		t.Fatalf("continue goes to %q, want step 2", r.Header.Get("Location"))
	}
	again := c.get("/roles/" + refSlug + "/check/2")
	if v, _ := again.Doc.Find(`input[name="` + firstID + `"][checked]`).Attr("value"); v != "1" {
		t.Errorf("saved answer shows as %q, want 1", v)
	}
	// Back keeps what step 1 had.
	r = c.post("/roles/"+refSlug+"/check/2", url.Values{"_csrf": {again.csrf()}, "action": {"back"}, firstID: {"2"}})
	if r.Header.Get("Location") != "/roles/"+refSlug+"/check/1" {
		t.Fatalf("back: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	back := c.get("/roles/" + refSlug + "/check/1")
	if n := back.Doc.Find(`input[checked]`).Length() + back.Doc.Find(`input[type=number][value="2.5"]`).Length(); n != back.testID("item").Length() {
		t.Errorf("%d of %d answers kept after going back", n, back.testID("item").Length())
	}
	if ts.countSubmissions(t) != 0 {
		t.Error("saving stored a submission")
	}
}

// finalStep walks a quick check to its last step and returns that page.
func finalStep(t *testing.T, c *client) *response {
	t.Helper()
	page := startCheck(t, c, "quick")
	for page.testID("next").Text() != "See my result" {
		action, _ := page.testID("step-form").Attr("action")
		r := c.post(action, stepForm(page, answerAll("3", "3", "yes")))
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", action, r.StatusCode)
		}
		page = c.get(r.Header.Get("Location"))
	}
	return page
}

func TestWizard_BadInput(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	last := finalStep(t, c)
	good := stepForm(last, answerAll("3", "3", "yes"))
	var ids []string
	last.testID("item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		ids = append(ids, id)
	})
	path, _ := last.testID("step-form").Attr("action")
	with := func(f func(url.Values)) url.Values {
		v := url.Values{}
		for k, vs := range good {
			v[k] = append([]string(nil), vs...)
		}
		f(v)
		return v
	}
	tests := []struct {
		name       string
		form       url.Values
		wantStatus int
		wantField  bool
	}{
		{"ErrOutOfRange", with(func(v url.Values) { v.Set(ids[0], "5") }), 422, true},
		{"ErrNotANumber", with(func(v url.Values) { v.Set(ids[0], "lots") }), 422, true},
		{"ErrMissing", with(func(v url.Values) { v.Del(ids[1]) }), 422, true},
		{"ErrUnknownItem", with(func(v url.Values) { v.Set("ffffffffff", "3") }), 400, false},
		{"ErrItemOfOtherStep", with(func(v url.Values) { v.Set(stepOneID(t, ts), "3") }), 400, false},
		{"ErrDuplicated", with(func(v url.Values) { v.Add(ids[0], "2") }), 400, false},
		{"ErrUnknownAction", with(func(v url.Values) { v.Set("action", "finish") }), 400, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := c.post(path, tt.form)
			if r.StatusCode != tt.wantStatus {
				t.Fatalf("status %d, want %d", r.StatusCode, tt.wantStatus)
			}
			if tt.wantField {
				if r.testID("field-error").Length() == 0 || r.testID("error-summary").Find("a").Length() == 0 {
					t.Error("no message beside the item or no error summary")
				}
				href, _ := r.testID("error-summary").Find("a").First().Attr("href")
				if r.Doc.Find(href).Length() != 1 {
					t.Errorf("summary link %q points nowhere", href)
				}
			} else if r.testID("error").Length() != 1 {
				t.Error("no friendly error page")
			}
			if n := ts.countSubmissions(t); n != 0 {
				t.Fatalf("%d submissions stored", n)
			}
		})
	}
	t.Run("ErrValuesKept", func(t *testing.T) {
		r := c.post(path, with(func(v url.Values) { v.Set(ids[0], "9") }))
		if v, _ := r.Doc.Find(`input[name="` + ids[1] + `"][checked]`).Attr("value"); v != good.Get(ids[1]) {
			t.Errorf("valid answer not kept on 422: %q", v)
		}
	})
	t.Run("ErrCrossSite", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(good.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if r := c.do(req); r.StatusCode != http.StatusForbidden {
			t.Errorf("status %d", r.StatusCode)
		}
	})
	t.Run("ErrTooLarge", func(t *testing.T) {
		body := good.Encode() + "&pad=" + strings.Repeat("x", 4<<20)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if r := c.do(req); r.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("status %d", r.StatusCode)
		}
	})
	t.Run("ErrContentType", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, ts.URL+path, bytes.NewReader([]byte(`{"a":1}`)))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		if r := c.do(req); r.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("status %d", r.StatusCode)
		}
	})
	if n := ts.countSubmissions(t); n != 0 {
		t.Fatalf("%d submissions stored after bad input", n)
	}
	// The same check still goes through with good answers.
	if r := c.post(path, good); r.StatusCode != http.StatusSeeOther || !strings.HasPrefix(r.Header.Get("Location"), "/results/") {
		t.Fatalf("good answers: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if n := ts.countSubmissions(t); n != 1 {
		t.Fatalf("%d submissions, want 1", n)
	}
}

// stepOneID returns the id of an item asked at step 1 of the quick check.
func stepOneID(t *testing.T, ts *testServer) string {
	e, _ := ts.cat.Get(refSlug)
	return e.Role.Levels[0].Requirements[0].ID
}

func TestWizard_StartErrors(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.get("/roles/" + refSlug)
	for _, form := range []url.Values{
		{"mode": {"slow"}},
		{"mode": {"quick"}, "specialty": {"Astronaut"}},
		{"mode": {"quick"}, "extra": {"1"}},
		{"mode": {"quick", "full"}},
	} {
		form.Set("_csrf", page.csrf())
		if r := c.post("/roles/"+refSlug+"/check", form); r.StatusCode != http.StatusBadRequest {
			t.Errorf("%v: status %d", form, r.StatusCode)
		}
	}
	if r := c.post("/roles/no-such-role/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}}); r.StatusCode != http.StatusNotFound {
		t.Errorf("unknown role: %d", r.StatusCode)
	}
}

func TestResult_Delete(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	res := finishCheck(t, c, startCheck(t, c, "quick"), answerAll("3", "3", "yes"))
	loc := res.Header.Get("Location")
	page := c.get(loc)
	if page.testID("published-note").Length() != 1 {
		t.Error("the result does not say what happens to published figures")
	}
	// The result page only links to a confirmation; nothing is deleted
	// in one click.
	href, _ := page.testID("delete").Attr("href")
	confirm := c.get(href)
	if confirm.StatusCode != http.StatusOK || confirm.testID("confirm-delete").Length() != 1 || confirm.testID("published-note").Length() != 1 {
		t.Fatalf("confirmation page: %d", confirm.StatusCode)
	}
	if ts.countSubmissions(t) != 1 {
		t.Fatal("deleted before confirming")
	}
	if keep, _ := confirm.testID("keep").Attr("href"); keep != loc {
		t.Errorf("keep link %q, want %q", keep, loc)
	}
	action, _ := confirm.testID("delete-form").Attr("action")
	req, _ := http.NewRequest(http.MethodPost, c.base+action, nil)
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if r := c.do(req); r.StatusCode != http.StatusForbidden {
		t.Errorf("delete from another site: %d", r.StatusCode)
	}
	if ts.countSubmissions(t) != 1 {
		t.Fatal("deleted from another site")
	}
	r := c.post(action, nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("delete: %d", r.StatusCode)
	}
	if done := c.get(r.Header.Get("Location")); done.testID("deleted").Length() != 1 || done.testID("published-note").Length() != 1 {
		t.Errorf("no confirmation: %d", done.StatusCode)
	}
	if ts.countSubmissions(t) != 0 {
		t.Error("row still stored")
	}
	for _, p := range []string{loc, href} {
		gone := c.get(p)
		if gone.StatusCode != http.StatusGone || gone.testID("deleted").Length() != 1 || gone.testID("published-note").Length() != 1 {
			t.Errorf("%s after deletion: %d, want 410 with the deleted page", p, gone.StatusCode)
		}
	}
	// The form sent again (a double click, or from the history) leads to
	// the same "deleted" page: what was asked is done.
	if r := c.post(action, url.Values{"_csrf": {page.csrf()}}); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/results/deleted" {
		t.Errorf("second delete: %d to %q, want 303 to /results/deleted", r.StatusCode, r.Header.Get("Location"))
	}
	for _, p := range []string{"/results/nonsense", "/results/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"} {
		if r := c.get(p); r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", p, r.StatusCode)
		}
	}
}

func TestSession_CookieSize(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := startCheck(t, c, "full")
	largest := 0
	// Expert ratings and the longest year values: the fullest cookie.
	for page.testID("next").Text() != "See my result" {
		action, _ := page.testID("step-form").Attr("action")
		r := c.post(action, stepForm(page, answerAll("4", "59.75", "yes")))
		for _, ck := range r.Cookies() {
			if ck.Name == "rolefit_check" {
				largest = max(largest, len(ck.String()))
			}
		}
		page = c.get(r.Header.Get("Location"))
	}
	// Save the last step too, so that every answer is in the cookie.
	form := stepForm(page, answerAll("4", "59.75", "yes"))
	form.Set("action", "save")
	action, _ := page.testID("step-form").Attr("action")
	r := c.post(action, form)
	for _, ck := range r.Cookies() {
		if ck.Name == "rolefit_check" {
			largest = max(largest, len(ck.String()))
		}
	}
	if largest == 0 {
		t.Fatal("no check cookie seen")
	}
	t.Logf("full reference role, every answer given: Set-Cookie is %d bytes", largest)
	if largest >= 4096 {
		t.Errorf("cookie is %d bytes, want < 4096", largest)
	}
	if rp := c.get("/roles/" + refSlug); !strings.Contains(rp.testID("resume").Text(), "45 of 45") {
		t.Errorf("resume says %q", rp.testID("resume").Text())
	}
}

const specialtyRole = "---\ntitle: Test Engineer\n---\n\n## Levels\n\n### Junior Test Engineer\n\n#### Responsibilities\n\n- Writes tests\n\n#### Requirements\n\n- Knows a test framework\n\n### Senior Test Engineer\n\n#### Requirements\n\n- Extends the Junior Test Engineer requirements\n- Leads test strategy\n\n## Specialties\n\n### Performance\n\n#### Requirements\n\n- Runs load tests\n- Knows profilers\n"

func TestWizard_Specialty(t *testing.T) {
	ts := newTestServer(t)
	if _, err := ts.cat.Import(context.Background(), ts.store, []byte(specialtyRole), "test-engineer.md"); err != nil {
		t.Fatal(err)
	}
	c := ts.client(t)
	page := c.get("/roles/test-engineer")
	res := c.post("/roles/test-engineer/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}, "specialty": {"Performance"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("start: %d", res.StatusCode)
	}
	step := c.get(res.Header.Get("Location"))
	if got := step.testID("progress").Text(); got != "Step 1 of 3 · 0 of 4 answered" {
		t.Errorf("progress %q: want junior, senior and the specialty", got)
	}
	// Expert in the levels, nothing in the specialty: the level fits do
	// not move, the specialty is shown apart.
	var last *response
	for i := 0; i < 3; i++ {
		a := answerAll("4", "9", "yes")
		if strings.Contains(step.testID("step-heading").Text(), "Performance") {
			a = answerAll("0", "0", "no")
		}
		action, _ := step.testID("step-form").Attr("action")
		last = c.post(action, stepForm(step, a))
		if i < 2 {
			step = c.get(last.Header.Get("Location"))
		}
	}
	result := c.get(last.Header.Get("Location"))
	if got := fits(result); got["junior"] != "100 %" || got["senior"] != "100 %" {
		t.Errorf("fits %v", got)
	}
	sp := result.testID("specialty")
	if sp.Length() != 1 || !strings.Contains(sp.Text(), "You meet 0 of 2 items") {
		t.Errorf("specialty section %q", sp.Text())
	}
}
