package web

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/views/wizard"
)

// TestWizardStep_Cached walks a full assessment and checks that every step
// assembled from kept parts is exactly the page rendered in full for the
// same applicant, answers included, before and after answering.
func TestWizardStep_Cached(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.get("/roles/" + refSlug)
	res := c.post("/roles/"+refSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"full"}})
	next := res.Header.Get("Location")
	u, _ := url.Parse(ts.URL)
	compare := func(path string) *response {
		t.Helper()
		got := c.get(path)
		if got.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: status %d", path, got.StatusCode)
		}
		req := httptest.NewRequest(http.MethodGet, path, nil)
		for _, ck := range c.hc.Jar.Cookies(u) {
			req.AddCookie(ck)
		}
		ctx := ts.srv.echo.NewContext(req, httptest.NewRecorder())
		ctx.SetPath("/roles/:slug/check/:step")
		ctx.SetParamNames("slug", "step")
		ctx.SetParamValues(refSlug, path[strings.LastIndex(path, "/")+1:])
		ctx.Set(csrfContext, got.csrf())
		cc, n, err := ts.srv.guardStep(ctx)
		if err != nil || n == 0 {
			t.Fatalf("guard %s: %v", path, err)
		}
		values := map[int]string{}
		for _, q := range cc.plan.Steps[n-1].Questions {
			values[q] = check.FormValue(cc.plan.Questions[q].Kind, cc.state.Answers[q])
		}
		m, vm := ts.srv.stepPage(ctx, cc, n, values, nil)
		var want bytes.Buffer
		if err := wizard.Page(m, vm).Render(req.Context(), &want); err != nil {
			t.Fatal(err)
		}
		if want.String() != got.Body {
			t.Fatalf("%s: the assembled step differs from the page rendered in full", path)
		}
		return got
	}
	for i := 0; strings.Contains(next, "/check/"); i++ {
		if i > 50 {
			t.Fatal("the check did not end")
		}
		step := compare(next)
		form := benchAnswers(step)
		// Back and forth, so that the step is seen again with its answers.
		if back := c.post(next, withAction(form, "save")); back.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %s: status %d", next, back.StatusCode)
		}
		compare(next)
		next = c.post(next, form).Header.Get("Location")
	}
}

func withAction(form url.Values, action string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	out.Set("action", action)
	return out
}
