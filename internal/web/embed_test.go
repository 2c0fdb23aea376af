package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/views/admin"
)

const embedSlug = "product-manager-marketing"

// embedGet fetches a widget page as a browser does inside a frame on
// another site: with the job page's origin as Referer, cross-site, and no
// cookie jar (third-party cookies blocked).
func (c *client) embedGet(path, referer string) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	if referer != "" {
		req.Header.Set("Referer", referer)
	}
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Sec-Fetch-Dest", "iframe")
	return c.do(req)
}

// embedPost sends the frame's form; a POST in a frame on another site is
// cross-site.
func (c *client) embedPost(path string, form url.Values) *response {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	return c.do(req)
}

// embedAnswers fills in every item of the check on the page: the given
// rating for skills, years for experience, yes for facts.
func embedAnswers(t testing.TB, r *response, rating, years string) url.Values {
	t.Helper()
	form := url.Values{}
	form.Set("_state", r.stateField())
	r.testID("item").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		switch kind, _ := s.Attr("data-kind"); kind {
		case "experience":
			form.Set(id, years)
		case "fact":
			form.Set(id, "yes")
		default:
			form.Set(id, rating)
		}
	})
	if len(form) < 3 {
		t.Fatalf("the check shows %d items, want several:\n%s", len(form)-1, r.Body)
	}
	return form
}

// embedFinish answers every page of the widget's check from page on, as
// embedAnswers does, and returns the response to the last page's form.
func (c *client) embedFinish(page *response, rating, years string) *response {
	c.t.Helper()
	for range 20 {
		// Sent where the form says, as a browser does.
		res := c.embedPost(page.testID("embed-form").AttrOr("action", ""), embedAnswers(c.t, page, rating, years))
		if res.StatusCode != http.StatusOK || res.testID("embed-form").Length() == 0 {
			return res
		}
		page = res
	}
	c.t.Fatal("the widget's check did not end")
	return nil
}

// embedLastPage answers the widget's pages from page on up to the last
// one, which it returns unanswered.
func (c *client) embedLastPage(page *response) *response {
	c.t.Helper()
	for range 20 {
		if page.testID("embed-submit").Text() == "See my fit" {
			return page
		}
		page = c.embedPost("/embed/"+embedSlug, embedAnswers(c.t, page, "3", "4"))
		if page.StatusCode != http.StatusOK {
			c.t.Fatalf("page POST = %d\n%s", page.StatusCode, page.Body)
		}
	}
	c.t.Fatal("the widget's check has no last page")
	return nil
}

func (r *response) stateField() string {
	v, _ := r.Doc.Find(`input[name="_state"]`).Attr("value")
	return v
}

func requireNoCookie(t testing.TB, r *response) {
	t.Helper()
	if h := r.Header.Values("Set-Cookie"); len(h) > 0 {
		t.Errorf("%s %s sets cookies %q; the widget must work without any", r.Request.Method, r.Request.URL.Path, h)
	}
}

func (ts *testServer) submissionCount(t testing.TB) int {
	t.Helper()
	n, err := ts.store.CountSubmissions(context.Background(), "")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestEmbedCheck(t *testing.T) {
	t.Run("OK", func(t *testing.T) {
		ts := newTestServer(t)
		c := ts.client(t)
		page := c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/careers/pm?utm=x")
		if page.StatusCode != http.StatusOK {
			t.Fatalf("GET = %d\n%s", page.StatusCode, page.Body)
		}
		requireNoCookie(t, page)
		if got := page.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'self' http: https:") {
			t.Errorf("CSP = %q, want frame-ancestors open to any site when no origins are configured", got)
		}
		if got := page.Header.Get("X-Frame-Options"); got != "" {
			t.Errorf("X-Frame-Options = %q on the widget", got)
		}
		if got := page.Header.Get("Cache-Control"); got != "no-store" {
			t.Errorf("Cache-Control = %q", got)
		}
		if got, _ := page.Doc.Find("html").Attr("data-parent"); got != "https://jobs.example.com" {
			t.Errorf("data-parent = %q, want the embedding page's origin only", got)
		}
		// A page of a few requirements under the level that asks them.
		if n := page.Doc.Find("h2.level").Length(); n != 1 {
			t.Errorf("%d level headings, want one", n)
		}
		if n := page.testID("item").Length(); n > check.StepSize {
			t.Errorf("the first page asks %d questions, want at most %d", n, check.StepSize)
		}
		if got := page.testID("embed-progress").Text(); !strings.HasPrefix(got, "Page 1 of ") || !strings.Contains(got, " 0 of ") {
			t.Errorf("progress %q, want page 1 with nothing answered", got)
		}
		if page.Doc.Find(`[data-kind="skill"] input[type=radio]`).Length() == 0 {
			t.Error("no rating radios: the items are not the wizard's")
		}

		res := c.embedFinish(page, "4", "10")
		requireNoCookie(t, res)
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST = %d, want 303\n%s", res.StatusCode, res.Body)
		}
		loc := res.Header.Get("Location")
		prefix := "/embed/" + embedSlug + "/result/"
		if !strings.HasPrefix(loc, prefix) {
			t.Fatalf("redirect to %q", loc)
		}
		token, query, _ := strings.Cut(strings.TrimPrefix(loc, prefix), "?")
		if query != "o=https%3A%2F%2Fjobs.example.com" {
			t.Errorf("result query = %q, want the parent origin only", query)
		}

		sum := sha256.Sum256([]byte(token))
		sub, err := ts.store.FindSubmission(context.Background(), sum[:])
		if err != nil {
			t.Fatalf("the submission is not stored: %v", err)
		}
		if sub.Channel != "embed" || sub.EmbedHost != "other" || sub.Mode != "quick" || sub.Day != "2026-11-29" {
			t.Errorf("stored channel %q host %q mode %q day %q, want embed, other (no allow-list), quick, the date",
				sub.Channel, sub.EmbedHost, sub.Mode, sub.Day)
		}

		result := c.embedGet(loc, "")
		requireNoCookie(t, result)
		if result.StatusCode != http.StatusOK {
			t.Fatalf("result = %d\n%s", result.StatusCode, result.Body)
		}
		if n := result.testID("level-fit").Length(); n != len(sub.Fits) {
			t.Errorf("%d fits shown, want %d", n, len(sub.Fits))
		}
		if got, _ := result.Doc.Find("[data-embed]").Attr("data-level"); got != sub.Recommended || got == "" {
			t.Errorf("data-level = %q, want the recommended %q", got, sub.Recommended)
		}
		link := result.testID("embed-full-result")
		if href, _ := link.Attr("href"); href != "/results/"+token {
			t.Errorf("full result link = %q", href)
		}
		if tgt, _ := link.Attr("target"); tgt != "_blank" || link.AttrOr("rel", "") != "noopener" {
			t.Errorf("full result link opens in target %q rel %q, want a new tab without opener", tgt, link.AttrOr("rel", ""))
		}
		if full := c.get("/results/" + token); full.StatusCode != http.StatusOK {
			t.Errorf("the full result answers %d", full.StatusCode)
		}
	})

	t.Run("AllowListedHost", func(t *testing.T) {
		ts := newTestServer(t, func(c *config.Config) {
			c.EmbedOrigins = []string{"https://jobs.example.com", "http://localhost:8000"}
		})
		c := ts.client(t)
		for _, tc := range []struct{ referer, want string }{
			{"https://jobs.example.com/careers/pm", "jobs.example.com"},
			{"https://elsewhere.example.org/", "other"},
			{"", "other"},
		} {
			page := c.embedGet("/embed/"+embedSlug, tc.referer)
			if got := page.Header.Get("Content-Security-Policy"); !strings.Contains(got, "frame-ancestors 'self' https://jobs.example.com http://localhost:8000") {
				t.Errorf("CSP = %q, want the configured origins", got)
			}
			res := c.embedFinish(page, "2", "1")
			if res.StatusCode != http.StatusSeeOther {
				t.Fatalf("POST = %d\n%s", res.StatusCode, res.Body)
			}
			token, _, _ := strings.Cut(strings.TrimPrefix(res.Header.Get("Location"), "/embed/"+embedSlug+"/result/"), "?")
			sum := sha256.Sum256([]byte(token))
			sub, err := ts.store.FindSubmission(context.Background(), sum[:])
			if err != nil {
				t.Fatal(err)
			}
			if sub.EmbedHost != tc.want {
				t.Errorf("referer %q: stored host %q, want %q", tc.referer, sub.EmbedHost, tc.want)
			}
		}
	})

	t.Run("ErrMissingAnswers", func(t *testing.T) {
		ts := newTestServer(t)
		c := ts.client(t)
		page := c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/")
		form := embedAnswers(t, page, "3", "4")
		var dropped, bad string
		page.testID("item").Each(func(i int, s *goquery.Selection) {
			id, _ := s.Attr("data-item")
			if kind, _ := s.Attr("data-kind"); kind == "skill" {
				if dropped == "" {
					dropped = id
				} else if bad == "" {
					bad = id
				}
			}
		})
		form.Del(dropped)
		form.Set(bad, "9")
		res := c.embedPost("/embed/"+embedSlug, form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("POST = %d, want 422", res.StatusCode)
		}
		if n := res.testID("field-error").Length(); n != 2 {
			t.Errorf("%d field errors, want 2", n)
		}
		if res.testID("error-summary").Length() != 1 {
			t.Error("no error summary")
		}
		// What was valid is kept; the state goes on, so the form can be sent again.
		kept := 0
		res.testID("item").Find("input:checked").Each(func(int, *goquery.Selection) { kept++ })
		if kept == 0 {
			t.Error("the valid answers were not kept")
		}
		if ts.submissionCount(t) != 0 {
			t.Error("an invalid check was stored")
		}
		form.Set(dropped, "1")
		form.Set(bad, "0")
		form.Set("_state", res.stateField())
		again := c.embedPost("/embed/"+embedSlug, form)
		if again.StatusCode != http.StatusOK || !strings.HasPrefix(again.testID("embed-progress").Text(), "Page 2 of") {
			t.Fatalf("corrected POST = %d, want 200 and the second page\n%s", again.StatusCode, again.Body)
		}
		// Back to the first page: the corrected answers are there.
		back := embedAnswers(t, again, "3", "4")
		back.Set("action", "back")
		first := c.embedPost("/embed/"+embedSlug, back)
		if got := first.Doc.Find(`[data-item="`+dropped+`"] input:checked`).AttrOr("value", ""); got != "1" {
			t.Errorf("back on the first page, the corrected answer is %q, want 1", got)
		}
		if res := c.embedFinish(first, "3", "4"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("the check ends with %d, want 303", res.StatusCode)
		}
	})

	t.Run("ErrUnknownItem", func(t *testing.T) {
		ts := newTestServer(t)
		c := ts.client(t)
		form := embedAnswers(t, c.embedGet("/embed/"+embedSlug, ""), "3", "4")
		form.Set("0123456789", "3")
		if res := c.embedPost("/embed/"+embedSlug, form); res.StatusCode != http.StatusBadRequest {
			t.Errorf("POST = %d, want 400", res.StatusCode)
		}
		if ts.submissionCount(t) != 0 {
			t.Error("stored")
		}
	})
}

// TestEmbedCheck_ErrState shows that the sealed state is the widget's CSRF
// protection: without a genuine, fresh, unused one nothing is stored.
func TestEmbedCheck_ErrState(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.embedLastPage(c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/"))
	good := embedAnswers(t, page, "3", "4")
	state := good.Get("_state")

	seal := func(st embedState) string {
		v, err := ts.srv.sealEmbedState(st)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	e, _ := ts.cat.Get(embedSlug)
	now := ts.srv.Now()
	fresh := embedState{Slug: embedSlug, VersionID: e.VersionID, Mode: score.Quick, Issued: now, Nonce: "n1", Page: 1}
	expired := fresh
	expired.Issued = now.Add(-embedStateTTL - time.Minute)
	otherRole := fresh
	otherRole.Slug = "another-role"
	fullMode := fresh
	fullMode.Mode = score.Full

	raw, _ := base64.URLEncoding.DecodeString(state)
	raw[len(raw)/2] ^= 1
	tampered := base64.URLEncoding.EncodeToString(raw)

	for _, tc := range []struct{ name, state string }{
		{"Missing", ""},
		{"Garbage", "not-a-state"},
		{"Tampered", tampered},
		{"Truncated", state[:len(state)-4]},
		{"Expired", seal(expired)},
		{"OtherRole", seal(otherRole)},
		{"FullMode", seal(fullMode)},
		{"SessionCookieValue", mustEncodeCookie(t, ts.srv, state)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			form := url.Values{}
			for k, v := range good {
				form[k] = v
			}
			if tc.state == "" {
				form.Del("_state")
			} else {
				form.Set("_state", tc.state)
			}
			res := c.embedPost("/embed/"+embedSlug, form)
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("POST = %d, want 403", res.StatusCode)
			}
			if res.testID("embed-problem").Length() != 1 || res.testID("embed-again").Length() != 1 {
				t.Errorf("the refusal is not the frame's problem page with a way to start again:\n%s", res.Body)
			}
			requireNoCookie(t, res)
		})
	}
	if n := ts.submissionCount(t); n != 0 {
		t.Fatalf("%d submissions stored from refused states", n)
	}

	t.Run("Replay", func(t *testing.T) {
		if res := c.embedPost("/embed/"+embedSlug, good); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("first POST = %d", res.StatusCode)
		}
		if res := c.embedPost("/embed/"+embedSlug, good); res.StatusCode != http.StatusForbidden {
			t.Errorf("the same form sent again = %d, want 403", res.StatusCode)
		}
		if n := ts.submissionCount(t); n != 1 {
			t.Errorf("%d submissions, want 1", n)
		}
	})

	t.Run("SiteStillRefusesCrossSite", func(t *testing.T) {
		site := ts.client(t)
		rp := site.get("/roles/" + embedSlug)
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/roles/"+embedSlug+"/check",
			strings.NewReader(url.Values{"_csrf": {rp.csrf()}, "mode": {"quick"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		if res := site.do(req); res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-site POST to the wizard = %d, want 403", res.StatusCode)
		}
	})
}

// mustEncodeCookie seals v as the wizard's session cookie would: a value
// sealed with the same keys under another name must not pass for a state.
func mustEncodeCookie(t testing.TB, s *Server, v string) string {
	t.Helper()
	enc, err := s.sessions.Codecs[0].Encode(s.checkCookieName(), v)
	if err != nil {
		t.Fatal(err)
	}
	return enc
}

func TestEmbedLook(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	for _, tc := range []struct {
		name, query, theme, css string
	}{
		// Light unless the host page asks for dark or for auto.
		{"Default", "", "light", ""},
		{"DarkAccent", "?theme=dark&accent=%230B57D0", "dark", ":root{--accent:#0b57d0;--accent-fg:#fff}"},
		{"AutoShortAccent", "?theme=auto&accent=%23ff0", "auto", ":root{--accent:#ff0;--accent-fg:#000}"},
		{"LightAccent", "?theme=light&accent=%23ff0", "light", ":root{--accent:#ff0;--accent-fg:#000}"},
		{"Injection", "?theme=%22%3E&accent=red;}body{display:none", "light", ""},
		{"NamedColour", "?accent=red", "light", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := c.embedGet("/embed/"+embedSlug+tc.query, "")
			if page.StatusCode != http.StatusOK {
				t.Fatalf("GET = %d", page.StatusCode)
			}
			if got, _ := page.Doc.Find("html").Attr("data-theme"); got != tc.theme {
				t.Errorf("theme = %q, want %q", got, tc.theme)
			}
			style := page.Doc.Find("style")
			policy := page.Header.Get("Content-Security-Policy")
			if tc.css == "" {
				if style.Length() != 0 || strings.Contains(policy, "sha256-") {
					t.Errorf("a style element or hash without a valid accent: %q", policy)
				}
				return
			}
			if got := style.Text(); got != tc.css {
				t.Errorf("style = %q, want %q", got, tc.css)
			}
			sum := sha256.Sum256([]byte(tc.css))
			if want := "style-src 'self' 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"; !strings.Contains(policy, want) {
				t.Errorf("CSP = %q, want %q", policy, want)
			}
			// The form keeps the look for the pages that follow; light
			// is what they show anyway.
			if action, _ := page.testID("embed-form").Attr("action"); tc.theme != "light" && !strings.Contains(action, "theme="+tc.theme) {
				t.Errorf("form action %q loses the theme", action)
			}
		})
	}
}

func TestEmbedScript(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct{ path, cache string }{
		{"/embed.js", "public, max-age=300"},
		{"/embed.v1.js", "public, max-age=31536000, immutable"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+tc.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			gz, _ := io.ReadAll(res.Body)
			for h, want := range map[string]string{
				"Content-Type":                 "text/javascript; charset=utf-8",
				"Cross-Origin-Resource-Policy": "cross-origin",
				"Cache-Control":                tc.cache,
				"Content-Encoding":             "gzip",
				"X-Content-Type-Options":       "nosniff",
			} {
				if got := res.Header.Get(h); got != want {
					t.Errorf("%s = %q, want %q", h, got, want)
				}
			}
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			// SPEC §9: embed.js is at most 1,500 bytes gzipped.
			if len(gz) > 1500 {
				t.Errorf("embed.js is %d bytes gzipped, over the 1,500-byte budget", len(gz))
			}
			zr, err := gzip.NewReader(bytes.NewReader(gz))
			if err != nil {
				t.Fatal(err)
			}
			js, _ := io.ReadAll(zr)
			for _, want := range []string{`"rolefit:result"`, "e.origin !== origin", "e.source !== f.contentWindow", `"loading", "lazy"`} {
				if !bytes.Contains(js, []byte(want)) {
					t.Errorf("embed.js lacks %s", want)
				}
			}
			if bytes.Contains(js, []byte(`"*"`)) {
				t.Error(`embed.js posts or accepts "*"`)
			}
			t.Logf("%s: %d bytes, %d gzipped", tc.path, len(js), len(gz))
		})
	}
}

// TestEmbedBudget measures the frame's transfer, gzipped: the page and
// every asset it loads, within SPEC §9's 15 KB.
func TestEmbedBudget(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.embedGet("/embed/"+embedSlug+"?theme=dark&accent=%23aa3300", "https://jobs.example.com/")
	res := c.embedFinish(page, "3", "4")
	result := c.embedGet(res.Header.Get("Location"), "")
	for _, p := range []*response{page, result} {
		total := gzipLen(t, []byte(p.Body))
		parts := []string{p.Request.URL.Path}
		var assets []string
		p.Doc.Find(`link[rel=stylesheet]`).Each(func(_ int, s *goquery.Selection) { assets = append(assets, s.AttrOr("href", "")) })
		p.Doc.Find(`script[src], img[src]`).Each(func(_ int, s *goquery.Selection) { assets = append(assets, s.AttrOr("src", "")) })
		if len(assets) != 2 {
			t.Errorf("the frame loads %v, want its stylesheet and script", assets)
		}
		for _, a := range assets {
			req, _ := http.NewRequest(http.MethodGet, ts.URL+a, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			r, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(r.Body)
			r.Body.Close()
			if r.StatusCode != http.StatusOK || r.Header.Get("Content-Encoding") != "gzip" {
				t.Fatalf("%s: %d %q", a, r.StatusCode, r.Header.Get("Content-Encoding"))
			}
			total += len(b)
			parts = append(parts, a)
		}
		t.Logf("%v: %d bytes gzipped", parts, total)
		if total > 15*1024 {
			t.Errorf("the frame %s transfers %d bytes gzipped, over the 15 KB budget", p.Request.URL.Path, total)
		}
	}
}

// gzipLen is the size of b compressed as a gzip middleware would.
func gzipLen(t testing.TB, b []byte) int {
	t.Helper()
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, _ = zw.Write(b)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

func TestFrameAncestors(t *testing.T) {
	ts := newTestServer(t, func(c *config.Config) { c.EmbedOrigins = []string{"https://jobs.example.com"} })
	c := ts.client(t)
	for _, tc := range []struct{ path, want string }{
		{"/", "frame-ancestors 'none'"},
		{"/roles/" + embedSlug, "frame-ancestors 'none'"},
		{"/embed/" + embedSlug, "frame-ancestors 'self' https://jobs.example.com"},
		{"/embed/no-such-role", "frame-ancestors 'self' https://jobs.example.com"},
	} {
		res := c.get(tc.path)
		policy := res.Header.Get("Content-Security-Policy")
		if !strings.HasSuffix(policy, tc.want) || !strings.Contains(policy, "object-src 'none'") || !strings.Contains(policy, "base-uri 'none'") {
			t.Errorf("%s: CSP %q, want it to end in %q", tc.path, policy, tc.want)
		}
	}
	if res := c.get("/embed/no-such-role"); res.StatusCode != http.StatusNotFound || res.testID("embed-problem").Length() != 1 {
		t.Errorf("unknown role in the frame = %d, want 404 on the frame's own page", res.StatusCode)
	}
}

func TestEmbedSnippets(t *testing.T) {
	for _, tc := range []struct{ name, baseURL, host, want string }{
		{"RequestHost", "", "rolefit.example.org:8080", "http://rolefit.example.org:8080"},
		{"BaseURL", "https://fit.example.com/", "127.0.0.1:8080", "https://fit.example.com"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newTestServer(t, func(c *config.Config) { c.BaseURL = tc.baseURL })
			req := httptest.NewRequest(http.MethodGet, "/admin/roles/"+embedSlug, nil)
			req.Host = tc.host
			c := ts.srv.echo.NewContext(req, httptest.NewRecorder())
			e, _ := ts.cat.Get(embedSlug)
			snip := ts.srv.embedSnippets(c, e.Role)
			wantScript := `<script src="` + tc.want + `/embed.js" data-role="` + embedSlug + `" data-title="Product Manager - Marketing" async></script>`
			if snip.ScriptSnippet != wantScript {
				t.Errorf("script snippet\n got %s\nwant %s", snip.ScriptSnippet, wantScript)
			}
			if !strings.HasPrefix(snip.FrameSnippet, `<iframe src="`+tc.want+`/embed/`+embedSlug+`" title="Check your fit for Product Manager - Marketing" loading="lazy"`) {
				t.Errorf("iframe snippet %s", snip.FrameSnippet)
			}

			var buf bytes.Buffer
			if err := admin.EmbedSnippets(snip).Render(context.Background(), &buf); err != nil {
				t.Fatal(err)
			}
			doc, _ := goquery.NewDocumentFromReader(&buf)
			for id, want := range map[string]string{"snippet-script": snip.ScriptSnippet, "snippet-iframe": snip.FrameSnippet} {
				ta := doc.Find(`textarea[data-testid="` + id + `"]`)
				if _, ro := ta.Attr("readonly"); !ro || ta.Text() != want {
					t.Errorf("%s: readonly %v, text %q", id, ro, ta.Text())
				}
				if label := doc.Find(`label[for="` + ta.AttrOr("id", "") + `"]`); label.Length() != 1 {
					t.Errorf("%s has no label", id)
				}
			}
			if src := doc.Find(`[data-testid="embed-preview"]`).AttrOr("src", ""); src != "/embed/"+embedSlug+"?preview=1" {
				t.Errorf("preview frame src %q", src)
			}
			if res := ts.client(t).get(doc.Find("script").AttrOr("src", "")); res.StatusCode != http.StatusOK {
				t.Errorf("the copy script answers %d", res.StatusCode)
			}
		})
	}
}

// TestEmbedCheck_OlderVersion sends a form made before the role changed:
// the answers are scored against the version the applicant saw.
func TestEmbedCheck_OlderVersion(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/careers/pm")
	if _, err := ts.cat.Import(context.Background(), ts.store, editedReference(t), embedSlug+".md"); err != nil {
		t.Fatal(err)
	}
	res := c.embedFinish(page, "4", "10")
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST = %d, want 303\n%s", res.StatusCode, res.testID("error-summary").Text())
	}
	loc := res.Header.Get("Location")
	token := strings.TrimPrefix(loc[:strings.IndexByte(loc+"?", '?')], "/embed/"+embedSlug+"/result/")
	result := c.get("/results/" + token)
	if result.testID("outdated").Length() != 1 || !strings.Contains(result.Body, "Passion for design and usability") {
		t.Error("the result is not measured against the version answered")
	}
	if got := fits(result); got["intermediate"] != "100 %" {
		t.Errorf("fits %v", got)
	}
}

// TestEmbedCheck_ReplayAfterRestart sends the widget's form, restarts
// rolefit on the same database and keys, and sends the same form again:
// the used state is remembered in the database, so it is refused.
func TestEmbedCheck_ReplayAfterRestart(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "rolefit.db")
	now := func() time.Time { return time.Date(2026, 11, 29, 15, 4, 5, 0, time.UTC) }
	start := func() (*httptest.Server, *sqlite.DB) {
		store, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		cat, err := catalog.Load(ctx, store)
		if err == nil && len(cat.List()) == 0 {
			_, err = cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
		}
		if err != nil {
			t.Fatal(err)
		}
		keys, err := LoadSessionKeys(ctx, "", store)
		if err != nil {
			t.Fatal(err)
		}
		srv, err := New(Deps{Config: config.Default(), Catalog: cat, Roles: store, Health: store, Submissions: store,
			Recruiters: store, SessionKeys: keys, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		return httptest.NewServer(srv.Handler()), store
	}
	hs, store := start()
	c := &client{t: t, base: hs.URL, hc: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	form := embedAnswers(t, c.embedLastPage(c.embedGet("/embed/"+embedSlug, "https://jobs.example.com/")), "3", "4")
	if res := c.embedPost("/embed/"+embedSlug, form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first POST = %d", res.StatusCode)
	}
	hs.Close()
	if err := store.Close(); err != nil {
		t.Fatal(err)
	}

	hs, store = start()
	defer store.Close()
	defer hs.Close()
	c.base = hs.URL
	if res := c.embedPost("/embed/"+embedSlug, form); res.StatusCode != http.StatusForbidden || !strings.Contains(res.Body, "sent already") {
		t.Errorf("the same form after a restart = %d, want 403 (sent already)", res.StatusCode)
	}
	if n, err := store.CountSubmissions(ctx, ""); err != nil || n != 1 {
		t.Errorf("%d submissions (%v), want 1", n, err)
	}
}

// TestEmbedCheck_Preview walks the admin page's preview of the widget to
// its result: the result is shown, and nothing is stored.
func TestEmbedCheck_Preview(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.embedGet("/embed/"+embedSlug+"?preview=1", "")
	if page.testID("embed-preview-note").Length() != 1 {
		t.Error("the preview does not say that it stores nothing")
	}
	res := c.embedFinish(page, "3", "4")
	if res.StatusCode != http.StatusOK || res.testID("embed-fits").Length() != 1 {
		t.Fatalf("preview result = %d, want the fits shown at once\n%s", res.StatusCode, res.Body)
	}
	if res.testID("embed-full-result").Length() != 0 || res.testID("embed-preview-note").Length() != 1 {
		t.Error("the preview's result links to a stored result or does not say it is a preview")
	}
	// Starting again from the preview's result is a preview too.
	again, _ := res.testID("embed-again").Attr("href")
	if res := c.embedFinish(c.embedGet(again, ""), "2", "1"); res.StatusCode != http.StatusOK || res.testID("embed-preview-note").Length() != 1 {
		t.Errorf("a check started again from the preview (%s) is not a preview: %d", again, res.StatusCode)
	}
	if n := ts.submissionCount(t); n != 0 {
		t.Errorf("the preview stored %d submissions", n)
	}
}
