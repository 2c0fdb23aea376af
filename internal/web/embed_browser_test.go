package web

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/rolefit/rolefit/internal/browsertest"
	"github.com/rolefit/rolefit/internal/config"
)

// TestBrowserEmbed puts the widget on a job page of another site, as a
// customer would: the page at http://localhost:PORT carries the script of
// rolefit at http://127.0.0.1:PORT2, so the frame is cross-site and gets no
// cookies. The applicant completes the quick check inside the frame.
func TestBrowserEmbed(t *testing.T) {
	var scriptURL string
	jobs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/job" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Product Manager at Example</title></head>
<body><main><h1>Product Manager - Marketing</h1><p>Before you apply, see how you fit each level.</p>
<script>document.addEventListener("rolefit:result", function (e) {
  window.rfEvents = (window.rfEvents || []).concat([{detail: e.detail, target: e.target.tagName}]);
});</script>
<script src="` + scriptURL + `" data-role="` + embedSlug + `" async></script>
<p>Apply by e-mail.</p></main></body></html>`))
	}))
	t.Cleanup(jobs.Close)
	jobsOrigin := strings.Replace(jobs.URL, "127.0.0.1", "localhost", 1)
	ts := newTestServer(t, func(c *config.Config) { c.EmbedOrigins = []string{jobsOrigin} })
	scriptURL = ts.URL + "/embed.js"
	hosts := []string{strings.TrimPrefix(jobsOrigin, "http://"), strings.TrimPrefix(ts.URL, "http://")}

	b := browsertest.New(t)
	b.Open(jobsOrigin + "/job")
	frameSel := `iframe[src^="` + ts.URL + `/embed/` + embedSlug + `"]`
	waitFor(t, b, "the widget's iframe", `!!document.querySelector(`+jsq(frameSel)+`)`)
	// The frame names itself after the role, not after the slug.
	waitFor(t, b, "the frame's title", `document.querySelector(`+jsq(frameSel)+`).title === "Check your fit: Product Manager - Marketing · rolefit"`)
	if got := browsertest.Eval[string](b, `document.querySelector(`+jsq(frameSel)+`).getAttribute("loading")`); got != "lazy" {
		t.Errorf("iframe loading = %q, want lazy", got)
	}
	height := `parseInt(document.querySelector(` + jsq(frameSel) + `).style.height, 10)`
	waitFor(t, b, "the frame to report its height", height+` !== 560`)

	f := b.Frame(ts.URL + "/embed/")
	if got := f.TextByTestID("embed-title"); !strings.Contains(got, "Product Manager - Marketing") {
		t.Errorf("frame heading = %q", got)
	}
	frameHeight := browsertest.Eval[int](f, `Math.ceil(document.querySelector("[data-embed]").getBoundingClientRect().height)`)
	if got := browsertest.Eval[int](b, height); got != frameHeight {
		t.Errorf("iframe is %dpx tall, its content %dpx", got, frameHeight)
	}
	if browsertest.Eval[string](f, "document.cookie") != "" {
		t.Error("the frame has cookies")
	}
	f.RequireAxe(t, browsertest.AxeOptions{})

	// A message from anyone but the frame's rolefit page is ignored: here
	// the job page itself fakes one.
	before := browsertest.Eval[int](b, height)
	browsertest.Eval[bool](b, `window.postMessage({rolefit: 1, height: 5, level: "senior"}, "*"), true`)
	time.Sleep(300 * time.Millisecond)
	if got := browsertest.Eval[int](b, height); got != before {
		t.Errorf("a message from the host page's own origin resized the frame from %d to %d", before, got)
	}
	if browsertest.Eval[bool](b, `!!window.rfEvents`) {
		t.Error("a forged message fired rolefit:result")
	}

	// Answer everything, page by page.
	for page := 1; ; page++ {
		if page > 10 {
			t.Fatal("the frame's check has no end")
		}
		n := browsertest.Eval[int](f, `(() => {
			const items = document.querySelectorAll('[data-testid="item"]');
			for (const it of items) {
				switch (it.dataset.kind) {
				case "experience": it.querySelector("input").value = "6"; break;
				case "fact": it.querySelector('input[value="yes"]').click(); break;
				default: it.querySelector('input[value="3"]').click();
				}
			}
			return items.length;
		})()`)
		if n < 1 {
			t.Fatalf("page %d of the frame asks %d items", page, n)
		}
		last := f.TextByTestID("embed-submit") == "See my fit"
		f.Click(browsertest.TestID("embed-submit"))
		if last {
			break
		}
		waitFor(t, f, "the next page", `(document.querySelector('[data-testid="embed-progress"]') || {textContent: ""}).textContent.startsWith("Page `+strconv.Itoa(page+1)+` ")`)
		// The focus follows to the new page's heading, as on the site.
		if got := f.Focused(); !strings.Contains(got, "embed-title") {
			t.Errorf("on page %d the focus is on %s, want the heading", page+1, got)
		}
		f.RequireAxe(t, browsertest.AxeOptions{})
	}
	rec := f.TextByTestID("embed-recommended")
	if rec == "" {
		t.Fatal("no recommendation in the frame")
	}
	f.RequireAxe(t, browsertest.AxeOptions{})

	waitFor(t, b, "the rolefit:result event", `!!window.rfEvents`)
	events := browsertest.Eval[string](b, `JSON.stringify(window.rfEvents)`)
	var got []struct {
		Detail map[string]any `json:"detail"`
		Target string         `json:"target"`
	}
	if err := json.Unmarshal([]byte(events), &got); err != nil || len(got) != 1 {
		t.Fatalf("rolefit:result events = %s", events)
	}
	level, _ := got[0].Detail["level"].(string)
	if len(got[0].Detail) != 1 || level == "" || got[0].Target != "SCRIPT" {
		t.Errorf("event = %s, want one on the script carrying only {level}", events)
	}
	// The frame fits its new, shorter content.
	deadline := time.Now().Add(browsertest.Timeout)
	for {
		want := browsertest.Eval[int](f, `Math.ceil(document.querySelector("[data-embed]").getBoundingClientRect().height)`)
		got := browsertest.Eval[int](b, height)
		if got == want && got != frameHeight {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the iframe is %dpx tall, the result %dpx (the check was %dpx)", got, want, frameHeight)
		}
		time.Sleep(50 * time.Millisecond)
	}

	href := browsertest.Eval[string](f, `document.querySelector('[data-testid="embed-full-result"]').getAttribute("href")`)
	token := strings.TrimPrefix(href, "/results/")
	sum := sha256.Sum256([]byte(token))
	sub, err := ts.store.FindSubmission(context.Background(), sum[:])
	if err != nil {
		t.Fatalf("submission for %q: %v", href, err)
	}
	if sub.Channel != "embed" || sub.EmbedHost != hosts[0] || sub.Recommended != level {
		t.Errorf("stored channel %q host %q recommended %q; want embed, %q, %q (the event's level)",
			sub.Channel, sub.EmbedHost, sub.Recommended, hosts[0], level)
	}

	cookies := browsertest.Run(b, "cookies", chromedp.Action[network.GetCookiesResult](func(ctx context.Context, tg *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, tg, network.GetCookies, network.GetCookiesParams{URLs: []string{ts.URL, jobsOrigin}})
	}))
	if len(cookies.Cookies) > 0 {
		t.Errorf("the browser holds %d cookies after the check; the widget sets none", len(cookies.Cookies))
	}
	b.RequireOnlyHosts(hosts...)
	f.RequireOnlyHosts(hosts...)

	// The frame's page on its own, themed, in both schemes.
	for _, q := range []string{"?theme=dark&accent=%23aa3300", "?theme=light&accent=%23ffd000", "?theme=auto"} {
		t.Run("axe"+q, func(t *testing.T) {
			b.ColorScheme("dark")
			b.Open(ts.URL + "/embed/" + embedSlug + q)
			b.RequireAxe(t, browsertest.AxeOptions{})
		})
	}
	b.RequireOnlyHosts(hosts...)
}

func waitFor(t testing.TB, b *browsertest.Browser, what, cond string) {
	t.Helper()
	deadline := time.Now().Add(browsertest.Timeout)
	for !browsertest.Eval[bool](b, "!!("+cond+")") {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func jsq(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}
