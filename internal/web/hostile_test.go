package web

import (
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/loadtest"
)

// fillForm answers a form as a careful person would: hidden fields kept,
// the middle rating, 3 years, yes, the first option of a list.
func fillForm(f *goquery.Selection) url.Values {
	v := url.Values{}
	f.Find("input, select").Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		switch typ, _ := s.Attr("type"); {
		case name == "":
		case goquery.NodeName(s) == "select":
			opt, _ := s.Find("option").First().Attr("value")
			v.Set(name, opt)
		case typ == "hidden":
			v.Set(name, value)
		case typ == "radio" && (value == "2" || value == "yes"):
			v.Set(name, value)
		case typ == "number":
			v.Set(name, "3")
		}
	})
	return v
}

// stepItems returns a step page's item fields: radio groups that take a
// rating (skills) and number fields (years).
func stepItems(r *response) (ratings, years []string) {
	seen := map[string]bool{}
	r.Doc.Find(`form[data-testid="step-form"] input`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		typ, _ := s.Attr("type")
		value, _ := s.Attr("value")
		switch {
		case seen[name]:
		case typ == "radio" && value == "4":
			seen[name] = true
			ratings = append(ratings, name)
		case typ == "number":
			seen[name] = true
			years = append(years, name)
		}
	})
	return ratings, years
}

// walkToLastStep starts a quick check with c and answers every step but
// the last; it returns the last step's address and page.
func walkToLastStep(t testing.TB, c *client) (string, *response) {
	t.Helper()
	page := c.get("/roles/" + embedSlug)
	r := c.post("/roles/"+embedSlug+"/check", url.Values{"_csrf": {page.csrf()}, "mode": {"quick"}})
	loc := r.Header.Get("Location")
	for range 50 {
		step := c.get(loc)
		if step.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", loc, step.StatusCode)
		}
		if strings.Contains(step.testID("next").Text(), "result") {
			return loc, step
		}
		form := fillForm(step.Doc.Find(`form[data-testid="step-form"]`))
		form.Set("action", "next")
		r := c.post(loc, form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST %s: %d\n%s", loc, r.StatusCode, r.Body)
		}
		loc = r.Header.Get("Location")
	}
	t.Fatal("no last step")
	return "", nil
}

// hostileCase is one malformed request. In path and body, {csrf},
// {rating} (a skill item of the step), {years} (an experience item),
// {last} (the last step's address) and {token} (a stored result) are
// replaced by the fixture's values.
type hostileCase struct {
	name   string
	method string
	path   string
	body   string
	ctype  string            // default: a urlencoded form
	header map[string]string // extra headers
	// want is the status; 0 means any 4xx, -1 anything but a 5xx (GETs
	// whose handlers may ignore a bad filter).
	want int
	// chunked sends the body without a Content-Length.
	chunked bool
}

// TestHostileInput sends malformed requests to every form and API route:
// each is answered with a clear 4xx (never a 5xx or a panic) and nothing
// is stored.
func TestHostileInput(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	f := newRouteFixture(t, ts, c) // an admin, with a check started
	last, lastPage := walkToLastStep(t, c)
	ratings, years := stepItems(lastPage)
	if len(ratings) == 0 {
		t.Fatal("the last step has no rated item")
	}
	yearsItem := ratings[0]
	if len(years) > 0 {
		yearsItem = years[0]
	}
	// The recruiters' forms carry a token; the applicant's need none.
	csrf := c.get("/admin/tokens").csrf()
	if csrf == "" {
		t.Fatal("no CSRF token on the admin page")
	}
	otherOrigin := map[string]string{"Sec-Fetch-Site": "", "Origin": "https://evil.example"}
	valid := fillForm(lastPage.Doc.Find(`form[data-testid="step-form"]`))
	valid.Set("action", "next")
	validBody := valid.Encode()
	big := strings.Repeat("a", 70<<10)
	long := strings.Repeat("x", 8000)

	tests := []hostileCase{
		// The check's start.
		{name: "StartUnknownMode", method: "POST", path: "/roles/{slug}/check", body: "_csrf={csrf}&mode=everything"},
		{name: "StartNoMode", method: "POST", path: "/roles/{slug}/check", body: "_csrf={csrf}"},
		{name: "StartModeTwice", method: "POST", path: "/roles/{slug}/check", body: "_csrf={csrf}&mode=quick&mode=full"},
		{name: "StartUnknownRole", method: "POST", path: "/roles/no-such-role/check", body: "_csrf={csrf}&mode=quick", want: 404},
		{name: "StartSpecialtyNotANumber", method: "POST", path: "/roles/{slug}/check", body: "_csrf={csrf}&mode=quick&specialty=%27%3B--"},
		{name: "StartJSON", method: "POST", path: "/roles/{slug}/check", body: `{"mode":"quick"}`, ctype: "application/json", want: 415},
		{name: "StartOtherOrigin", method: "POST", path: "/roles/{slug}/check", body: "mode=quick", header: otherOrigin, want: 403},
		{name: "StartCrossSite", method: "POST", path: "/roles/{slug}/check", body: "_csrf={csrf}&mode=quick", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: 403},

		// The last step: each would store a submission if it were let through.
		{name: "FinalRatingTooHigh", method: "POST", path: "{last}", body: "{valid}&{rating}=5", want: 422},
		{name: "FinalRatingNegative", method: "POST", path: "{last}", body: "{valid}&{rating}=-1", want: 422},
		{name: "FinalRatingFraction", method: "POST", path: "{last}", body: "{valid}&{rating}=2.5", want: 422},
		{name: "FinalRatingWord", method: "POST", path: "{last}", body: "{valid}&{rating}=expert", want: 422},
		{name: "FinalRatingInvalidUTF8", method: "POST", path: "{last}", body: "{valid}&{rating}=%ff%fe", want: 422},
		{name: "FinalRatingNUL", method: "POST", path: "{last}", body: "{valid}&{rating}=3%00", want: 422},
		{name: "FinalYearsHuge", method: "POST", path: "{last}", body: "{valid}&{years}=1e308", want: 422},
		{name: "FinalYearsNaN", method: "POST", path: "{last}", body: "{valid}&{years}=NaN", want: 422},
		{name: "FinalYearsInf", method: "POST", path: "{last}", body: "{valid}&{years}=-Inf", want: 422},
		{name: "FinalRatingMissing", method: "POST", path: "{last}", body: "_csrf={csrf}&action=next", want: 422},
		{name: "FinalFieldTwice", method: "POST", path: "{last}", body: "{valid}&{rating}=1&{rating}=4", want: 400},
		{name: "FinalUnknownItem", method: "POST", path: "{last}", body: "{validfull}&0123456789=3", want: 400},
		{name: "FinalInvalidUTF8Name", method: "POST", path: "{last}", body: "{validfull}&%ff%fe=3", want: 400},
		{name: "FinalUnknownAction", method: "POST", path: "{last}", body: "{valid}&action=submit-all", want: 400},
		{name: "FinalOversized", method: "POST", path: "{last}", body: "{validfull}&pad=" + big, want: 413},
		{name: "FinalOversizedChunked", method: "POST", path: "{last}", body: "{validfull}&pad=" + big, chunked: true},
		{name: "FinalJSON", method: "POST", path: "{last}", body: `{"a":1}`, ctype: "application/json", want: 415},
		{name: "FinalTextPlain", method: "POST", path: "{last}", body: "{validfull}", ctype: "text/plain", want: 415},
		{name: "FinalBadMediaType", method: "POST", path: "{last}", body: "{validfull}", ctype: "application/x-www-form-urlencoded; ===", want: 415},
		{name: "FinalOtherOrigin", method: "POST", path: "{last}", body: "{validfull}", header: otherOrigin, want: 403},
		{name: "FinalCrossSite", method: "POST", path: "{last}", body: "{validfull}", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: 403},
		{name: "FinalSameSite", method: "POST", path: "{last}", body: "{validfull}", header: map[string]string{"Sec-Fetch-Site": "same-site"}, want: 403},
		{name: "StepZero", method: "POST", path: "/roles/{slug}/check/0", body: "{validfull}", want: 404},
		{name: "StepHuge", method: "POST", path: "/roles/{slug}/check/99999999999999999999", body: "{validfull}", want: 404},
		{name: "StepLeadingZero", method: "POST", path: "/roles/{slug}/check/01", body: "{validfull}", want: 404},
		{name: "StepWord", method: "POST", path: "/roles/{slug}/check/last", body: "{validfull}", want: 404},
		{name: "StepOfUnknownRole", method: "POST", path: "/roles/nope/check/1", body: "{validfull}", want: 404},

		// Results.
		{name: "DeleteUnknownToken", method: "POST", path: "/results/" + strings.Repeat("A", 32) + "/delete", body: "_csrf={csrf}", want: 404},
		{name: "DeleteMalformedToken", method: "POST", path: "/results/%ff%00/delete", body: "_csrf={csrf}", want: 404},
		{name: "DeleteCrossSite", method: "POST", path: "/results/{token}/delete", body: "", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: 403},
		{name: "DeleteOtherOrigin", method: "POST", path: "/results/{token}/delete", body: "", header: otherOrigin, want: 403},
		{name: "ResultUnknown", method: "GET", path: "/results/" + strings.Repeat("B", 32), want: 404},
		{name: "ResultLong", method: "GET", path: "/results/" + long, want: 404},

		// Path tricks.
		{name: "RoleDotDot", method: "GET", path: "/roles/..%2f..%2fetc", want: 404},
		{name: "RoleDotDotPasswd", method: "GET", path: "/roles/..%2f..%2fetc%2fpasswd/check/1", want: 404},
		{name: "AssetDotDot", method: "GET", path: "/assets/..%2f..%2fgo.mod", want: 404},
		{name: "AssetDotDotPlain", method: "GET", path: "/assets/../../go.mod", want: 404},
		{name: "RoleNUL", method: "GET", path: "/roles/%00", want: 404},
		{name: "RoleInvalidUTF8", method: "GET", path: "/roles/%ff%fe", want: 404},
		{name: "LongPath", method: "GET", path: "/roles/" + long, want: 404},
		{name: "VeryLongPath", method: "GET", path: "/" + strings.Repeat("y", 40<<10)},
		{name: "StepNUL", method: "GET", path: "/roles/{slug}/check/1%00", want: 404},

		// Sign-in.
		{name: "LoginInvalidUTF8", method: "POST", path: "/login", body: "_csrf={csrf}&email=%ff%fe&password=x"},
		{name: "LoginFieldTwice", method: "POST", path: "/login", body: "_csrf={csrf}&email=a@example.com&email=b@example.com&password=x"},
		{name: "LoginHugePassword", method: "POST", path: "/login", body: "_csrf={csrf}&email=a@example.com&password=" + strings.Repeat("p", 60<<10)},
		{name: "LoginOversized", method: "POST", path: "/login", body: "_csrf={csrf}&password=" + big, want: 413},
		{name: "LoginNoCSRF", method: "POST", path: "/login", body: "email=a@example.com&password=x", want: 403},

		// Password links and changes.
		{name: "PasswordLinkMalformed", method: "GET", path: "/password/%ff%00"},
		{name: "PasswordLinkLong", method: "GET", path: "/password/" + long},
		{name: "PasswordLinkUnknownPost", method: "POST", path: "/password/" + strings.Repeat("A", 43), body: "_csrf={csrf}&password=" + strings.Repeat("p", 60<<10)},
		{name: "PasswordLinkNoCSRF", method: "POST", path: "/password/" + strings.Repeat("A", 43), body: "password=x", want: 403},
		{name: "ChangePasswordHuge", method: "POST", path: "/dashboard/password", body: "_csrf={csrf}&current=" + strings.Repeat("p", 60<<10) + "&password=x&repeat=x", want: 422},
		{name: "ChangePasswordInvalidUTF8", method: "POST", path: "/dashboard/password", body: "_csrf={csrf}&current=%ff%fe&password=%ff%fe%ff%fe%ff%fe%ff%fe%ff%fe%ff%fe&repeat=%ff", want: 422},

		// Admin forms (signed in as an admin).
		{name: "AdminUserIDWord", method: "POST", path: "/admin/users/abc/delete", body: "_csrf={csrf}"},
		{name: "AdminUserIDUnknown", method: "POST", path: "/admin/users/999999/delete", body: "_csrf={csrf}", want: 404},
		{name: "AdminUserIDHuge", method: "POST", path: "/admin/users/99999999999999999999999/admin", body: "_csrf={csrf}&admin=1"},
		{name: "AdminTokenIDNegative", method: "POST", path: "/admin/tokens/-1/delete", body: "_csrf={csrf}"},
		{name: "AdminArchiveUnknownRole", method: "POST", path: "/admin/roles/nope/archive", body: "_csrf={csrf}&archived=1", want: 404},
		{name: "AdminArchiveBadValue", method: "POST", path: "/admin/roles/{slug}/archive", body: "_csrf={csrf}&archived=maybe"},
		{name: "AdminEditUnknownRole", method: "POST", path: "/admin/roles/nope", body: "_csrf={csrf}&version=1&title=x", want: 404},
		{name: "AdminEditStaleVersion", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=0&title=x", want: 409},
		{name: "AdminEditFieldTwice", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=a&title=b", want: 400},
		{name: "AdminEditWeightNaN", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=T&kind.{item}=skill&weight.{item}=NaN", want: 422},
		{name: "AdminEditWeightHuge", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=T&kind.{item}=skill&weight.{item}=1e400", want: 422},
		{name: "AdminEditKindUnknown", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=T&kind.{item}=superpower&weight.{item}=1", want: 422},
		{name: "AdminEditExpectTooHigh", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=T&expect.{item}.intermediate=9", want: 422},
		{name: "AdminEditNoTitle", method: "POST", path: "/admin/roles/{slug}", body: "_csrf={csrf}&version=1&title=", want: 422},
		{name: "AdminPublishLostPage", method: "POST", path: "/admin/import/publish", body: "_csrf={csrf}&markdown=&action=publish", want: 422},
		{name: "AdminPublishBadSlug", method: "POST", path: "/admin/import/publish", body: "_csrf={csrf}&markdown=" + url.QueryEscape(string(db.ReferenceRole)) + "&slug=Bad%20Slug&title=T&action=publish", want: 422},
		{name: "AdminVersionsWord", method: "GET", path: "/admin/roles/{slug}/versions?a=one&b=2", want: 422},
		{name: "AdminArchiveNotConfirmed", method: "POST", path: "/admin/roles/{slug}/archive", body: "_csrf={csrf}&archived=1", want: 422},
		{name: "AdminApplyURLScript", method: "POST", path: "/admin/roles/{slug}/apply-url", body: "_csrf={csrf}&apply_url=javascript%3Aalert(1)"},
		{name: "AdminAddUserBadEmail", method: "POST", path: "/admin/users", body: "_csrf={csrf}&email=%ff%fe&password=" + url.QueryEscape(testPassword)},
		{name: "AdminImportOversized", method: "POST", path: "/admin/import", body: "_csrf={csrf}&markdown=" + strings.Repeat("m", 2<<20), want: 413},
		{name: "AdminImportNotMarkdown", method: "POST", path: "/admin/import", body: "_csrf={csrf}&markdown=%00%01%02%ff"},
		{name: "AdminImportJSON", method: "POST", path: "/admin/import", body: `{"markdown":"# x"}`, ctype: "application/json", want: 415},
		{name: "AdminCrossSite", method: "POST", path: "/admin/tokens", body: "_csrf={csrf}&name=x", header: map[string]string{"Sec-Fetch-Site": "cross-site"}, want: 403},
		{name: "AdminNoCSRF", method: "POST", path: "/admin/tokens", body: "name=x", want: 403},
		{name: "AdminWrongCSRF", method: "POST", path: "/admin/tokens", body: "name=x&_csrf=" + strings.Repeat("A", 43), want: 403},

		// Dashboard filters and the API.
		{name: "DashboardBadDates", method: "GET", path: "/dashboard/roles/{slug}?from=2026-02-30&to=yesterday", want: -1},
		{name: "DashboardBadFilters", method: "GET", path: "/dashboard/roles/{slug}?channel=%ff&mode=%00&version=-1", want: -1},
		{name: "DashboardUnknownRole", method: "GET", path: "/dashboard/roles/nope", want: 404},
		{name: "APIUnknownRole", method: "GET", path: "/api/v1/roles/nope/stats", header: map[string]string{"Authorization": "Bearer {api}"}, want: 404},
		{name: "APIBadDates", method: "GET", path: "/api/v1/roles/{slug}/stats?from=2026-13-01", header: map[string]string{"Authorization": "Bearer {api}"}},
		{name: "APIBadFilters", method: "GET", path: "/api/v1/roles/{slug}/stats?channel=%ff%fe&version=abc&sort=%3Bdrop", header: map[string]string{"Authorization": "Bearer {api}"}, want: -1},
		{name: "APIHugeToken", method: "GET", path: "/api/v1/roles", header: map[string]string{"Authorization": "Bearer " + strings.Repeat("t", 20000)}, want: 401},
		{name: "APIBasicAuth", method: "GET", path: "/api/v1/roles", header: map[string]string{"Authorization": "Basic YTpi"}, want: 401},
		{name: "APINoToken", method: "GET", path: "/api/v1/roles", want: 401},

		// The widget.
		{name: "EmbedBadState", method: "POST", path: "/embed/{slug}", body: "_state=" + strings.Repeat("Z", 200) + "&{rating}=3"},
		{name: "EmbedNoState", method: "POST", path: "/embed/{slug}", body: "{rating}=3"},
		{name: "EmbedInvalidUTF8State", method: "POST", path: "/embed/{slug}", body: "_state=%ff%fe%00"},
		{name: "EmbedOversized", method: "POST", path: "/embed/{slug}", body: "_state=x&pad=" + big, want: 413},
		{name: "EmbedJSON", method: "POST", path: "/embed/{slug}", body: `{}`, ctype: "application/json", want: 415},
		{name: "EmbedUnknownRole", method: "GET", path: "/embed/nope", want: 404},
		{name: "EmbedResultUnknown", method: "GET", path: "/embed/{slug}/result/" + strings.Repeat("C", 32), want: 404},
	}

	// {valid} is the valid form without the field a case replaces.
	without := func(name string) string {
		v := url.Values{}
		for k, vs := range valid {
			if k != name {
				v[k] = vs
			}
		}
		return v.Encode()
	}
	before := ts.submissionCount(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			field := ""
			switch {
			case strings.Contains(tt.body, "{rating}="):
				field = ratings[0]
			case strings.Contains(tt.body, "{years}="):
				field = yearsItem
			}
			r := strings.NewReplacer("{csrf}", csrf, "{last}", last, "{slug}", embedSlug, "{token}", f.token,
				"{item}", f.params["item"], "{api}", f.api, "{validfull}", validBody,
				"{valid}", without(field), "{rating}", ratings[0], "{years}", yearsItem)
			path := r.Replace(tt.path)
			var body io.Reader
			if tt.method == http.MethodPost {
				body = strings.NewReader(r.Replace(tt.body))
			}
			req, err := http.NewRequest(tt.method, c.base+path, body)
			if err != nil {
				t.Fatal(err)
			}
			if tt.method == http.MethodPost {
				ctype := tt.ctype
				if ctype == "" {
					ctype = "application/x-www-form-urlencoded"
				}
				req.Header.Set("Content-Type", ctype)
				req.Header.Set("Sec-Fetch-Site", "same-origin")
			}
			if tt.chunked {
				req.ContentLength = -1
			}
			for k, v := range tt.header {
				req.Header.Set(k, r.Replace(v))
			}
			res := c.do(req)
			switch {
			case res.StatusCode >= 500:
				t.Fatalf("status %d: a malformed request must never be a server error\n%.500s", res.StatusCode, res.Body)
			case tt.want > 0 && res.StatusCode != tt.want:
				t.Fatalf("status %d, want %d\n%.500s", res.StatusCode, tt.want, res.Body)
			case tt.want == 0 && (res.StatusCode < 400 || res.StatusCode > 499):
				t.Fatalf("status %d, want a 4xx\n%.500s", res.StatusCode, res.Body)
			}
			if res.StatusCode >= 400 {
				// A clear message: the error page, the step with its
				// per-field errors, or JSON under /api/.
				ct := res.Header.Get("Content-Type")
				switch {
				case strings.HasPrefix(ct, "application/json"):
					if !strings.Contains(res.Body, `"error"`) {
						t.Errorf("JSON error without a message: %s", res.Body)
					}
				case strings.HasPrefix(ct, "text/html"):
					msg := strings.TrimSpace(res.testID("error").Text() + res.Doc.Find(`.field-error, [data-testid$="error"], [data-testid="embed-problem"], [role="alert"]`).Text())
					if msg == "" {
						t.Errorf("status %d without a message on the page:\n%.800s", res.StatusCode, res.Body)
					}
				case res.StatusCode != 431:
					t.Errorf("status %d answered with %q", res.StatusCode, ct)
				}
			}
		})
	}
	if after := ts.submissionCount(t); after != before {
		t.Fatalf("%d submissions stored by malformed requests", after-before)
	}

	// The same client, session and form can submit: the refusals above
	// were about the input, not a broken setup.
	if res := c.post(last, valid); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/results/") {
		t.Fatalf("the valid last step: %d %q\n%.500s", res.StatusCode, res.Header.Get("Location"), res.Body)
	}
	if after := ts.submissionCount(t); after != before+1 {
		t.Fatalf("the valid last step stored %d submissions", after-before)
	}
}

// TestSubmissionRateLimit checks the limit through the real check: after
// -submit-rate acknowledged submissions in a minute, the client's next
// last step is answered 429 with Retry-After and stores nothing.
func TestSubmissionRateLimit(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.SubmitRate = 3 })
	c := ts.client(t)
	last, page := walkToLastStep(t, c)
	rep := loadtest.Run(t.Context(), loadtest.Options{BaseURL: ts.URL, Applicants: 3, Concurrency: 1})
	if len(rep.Tokens) != 3 {
		t.Fatalf("the first three checks: %s %v", rep.Summary(), rep.Errors)
	}
	form := fillForm(page.Doc.Find(`form[data-testid="step-form"]`))
	form.Set("action", "next")
	res := c.post(last, form)
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("fourth check: status %d, want 429", res.StatusCode)
	}
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 || s > 60 {
		t.Errorf("Retry-After = %q, want seconds up to a minute", res.Header.Get("Retry-After"))
	}
	if msg := res.testID("error").Text(); !strings.Contains(msg, "wait") {
		t.Errorf("429 page says %q", msg)
	}
	if n := ts.submissionCount(t); n != 3 {
		t.Errorf("%d submissions stored, want 3", n)
	}
	// Another client is not affected.
	other := newTestServer(t, func(c *config.Config) { c.SubmitRate = 0 })
	if rep := loadtest.Run(t.Context(), loadtest.Options{BaseURL: other.URL, Applicants: 5, Concurrency: 1}); len(rep.Tokens) != 5 {
		t.Errorf("with no limit: %s", rep.Summary())
	}
}
