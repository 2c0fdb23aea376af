package browsertest

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
)

// Frame returns a Browser that works inside the iframe whose URL starts
// with urlPrefix and that runs in its own process, as Chromium runs every
// frame from another site (the embed widget on a customer's page). It
// waits for the frame to appear. Its Requests are the frame's own.
//
// A frame from the same site has no process of its own: reach it with
// FrameEval, or open its URL with OpenFrame.
func (b *Browser) Frame(urlPrefix string) *Browser {
	b.t.Helper()
	deadline := time.Now().Add(Timeout)
	for {
		infos, err := chromedp.Targets(b.ctx)
		if err != nil {
			b.t.Fatalf("browser: list targets: %v", err)
		}
		for _, info := range infos {
			if info.Type != "iframe" || !strings.HasPrefix(info.URL, urlPrefix) {
				continue
			}
			f := &Browser{t: b.t}
			ctx, cancel := chromedp.NewContext(b.ctx, chromedp.WithTargetID(info.TargetID),
				chromedp.WithListener(f.record))
			b.t.Cleanup(cancel)
			if err := chromedp.Do(ctx); err != nil {
				b.t.Fatalf("browser: attach to frame %s: %v", info.URL, err)
			}
			f.ctx = ctx
			return f
		}
		if time.Now().After(deadline) {
			var seen []string
			for _, info := range infos {
				seen = append(seen, info.Type+" "+info.URL)
			}
			b.t.Fatalf("browser: no cross-site iframe at %s after %v; targets:\n  %s",
				urlPrefix, Timeout, strings.Join(seen, "\n  "))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// FrameEval evaluates a JavaScript expression inside the same-origin
// iframe matching the CSS selector and decodes its value into T; a
// promise is awaited. The iframe must have loaded.
func FrameEval[T any](b *Browser, frameSel, expr string) T {
	b.t.Helper()
	return Eval[T](b, fmt.Sprintf(`(() => {
		const f = document.querySelector(%s);
		if (!f) throw new Error("no frame matches " + %[1]s);
		return f.contentWindow.eval(%s);
	})()`, jsString(frameSel), jsString(expr)))
}

// OpenFrame navigates the tab to the URL of the iframe matching the CSS
// selector, resolved against the page, so the frame's page can be used and
// checked like any other.
func (b *Browser) OpenFrame(frameSel string) {
	b.t.Helper()
	src := Eval[string](b, fmt.Sprintf(`(() => {
		const f = document.querySelector(%s);
		if (!f) throw new Error("no frame matches " + %[1]s);
		return f.src;
	})()`, jsString(frameSel)))
	b.Open(src)
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	j, _ := json.Marshal(s)
	return string(j)
}

// hostOf returns the host:port of a URL, or the URL itself when it has none.
func hostOf(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		return u
	}
	return p.Host
}
