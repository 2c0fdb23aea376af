// Package browsertest drives Debian's headless Chromium from Go tests with
// chromedp: open rolefit's pages, use them by mouse or keyboard only, check
// them with axe-core, and see every request they make.
//
// A test starts a browser with New and uses its helpers; each helper fails
// the test with a clear message when the page does not do what it expects.
// Without Chromium (or axe-core) the tests skip, except when the CI
// environment variable is set: there they fail, so a green CI run always
// means the browser tests ran.
package browsertest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// Timeout bounds each helper call, so a page that never shows what a test
// waits for fails the test instead of hanging the run.
var Timeout = 15 * time.Second

// Browser is one headless Chromium with one tab, owned by a test.
type Browser struct {
	t   testing.TB
	ctx context.Context

	mu       sync.Mutex
	requests []string
}

// inCI reports whether missing tools must fail the run instead of skipping.
func inCI() bool { return os.Getenv("CI") != "" }

// skipOrFail skips the test, or fails it in CI, where every test must run.
func skipOrFail(t testing.TB, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if inCI() {
		t.Fatalf("%s (required in CI)", msg)
	}
	t.Skip(msg)
}

// ChromiumPath returns the browser to run: $ROLEFIT_CHROMIUM when set, or
// else Debian's /usr/bin/chromium. It returns "" when that does not exist;
// a browser is never downloaded.
func ChromiumPath() string {
	p := os.Getenv("ROLEFIT_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	lp, err := exec.LookPath(p)
	if err != nil {
		return ""
	}
	return lp
}

// New starts a headless Chromium for t and closes it when t ends. It skips
// the test in -short mode, and when Chromium is missing (in CI it fails:
// chromium is required in CI).
func New(t testing.TB) *Browser {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	path := ChromiumPath()
	if path == "" {
		if inCI() {
			t.Fatal("chromium is required in CI: install Debian's chromium or set ROLEFIT_CHROMIUM")
		}
		t.Skip("chromium not found: install Debian's chromium or set ROLEFIT_CHROMIUM")
	}

	// Exactly these flags: a quiet browser that talks to nothing but the
	// test servers (no sync, no component updates, no QUIC probing).
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	b := &Browser{t: t}
	// The listener is there before the first page loads, so Requests sees
	// every request of the tab.
	ctx, cancelCtx := chromedp.NewContext(allocCtx, chromedp.WithListener(b.record))
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// The first call starts the browser; it gets no timeout because a
	// timeout on it would end the browser with it.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatalf("start chromium %s: %v", path, err)
	}
	b.ctx = ctx
	return b
}

func (b *Browser) record(ev any) {
	if ev, ok := ev.(*network.EventRequestWillBeSent); ok {
		b.mu.Lock()
		b.requests = append(b.requests, ev.Request.URL)
		b.mu.Unlock()
	}
}

// Context returns the tab's chromedp context, for actions the helpers lack.
func (b *Browser) Context() context.Context { return b.ctx }

// Do runs chromedp actions in the tab and fails the test on error.
func (b *Browser) Do(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browser: %s: %v", what, err)
	}
}

// Run runs one chromedp action in b's tab, fails the test on error and
// returns the action's value.
func Run[T any](b *Browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("browser: %s: %v", what, err)
	}
	return v
}

// Eval evaluates a JavaScript expression in the page and decodes its value
// into T; a promise is awaited.
func Eval[T any](b *Browser, expr string) T {
	b.t.Helper()
	return Run(b, "evaluate "+abbrev(expr), chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
}

// Open navigates to url and waits for the page to load.
func (b *Browser) Open(url string) {
	b.t.Helper()
	b.Do("open "+url, chromedp.Navigate(url))
}

// Location returns the URL of the page now shown.
func (b *Browser) Location() string {
	b.t.Helper()
	return Run(b, "location", chromedp.Location())
}

// TestID is the CSS selector of the element with that data-testid.
func TestID(id string) string { return fmt.Sprintf("[data-testid=%q]", id) }

// Click clicks the first visible element matching the CSS selector.
func (b *Browser) Click(sel string) {
	b.t.Helper()
	b.Do("click "+sel, chromedp.Click(chromedp.CSS(sel)))
}

// ClickNav clicks like Click and waits for the page it leads to to load.
func (b *Browser) ClickNav(sel string) {
	b.t.Helper()
	_ = Run(b, "click "+sel+" and wait for the next page",
		chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel))))
}

// Type focuses the element matching the CSS selector and types text into it.
func (b *Browser) Type(sel, text string) {
	b.t.Helper()
	b.Do("type into "+sel, chromedp.SendKeys(chromedp.CSS(sel), text))
}

// Focus moves the keyboard focus to the element matching the selector.
func (b *Browser) Focus(sel string) {
	b.t.Helper()
	b.Do("focus "+sel, chromedp.Focus(chromedp.CSS(sel)))
}

// Press sends keys to whatever has the focus, as a keyboard-only user
// would. Keys are named as in KeyboardEvent.key: "Tab", "Enter", "Space",
// "Escape", "ArrowDown", "ArrowUp", "ArrowLeft", "ArrowRight", "Home",
// "End", or one printable character; "Shift+Tab" holds Shift.
func (b *Browser) Press(keys ...string) {
	b.t.Helper()
	b.Do("press "+strings.Join(keys, " "), b.keys(keys)...)
}

// PressNav presses keys like Press and waits for the page the last key
// leads to to load (Enter on a link, Space on a submit button).
func (b *Browser) PressNav(keys ...string) {
	b.t.Helper()
	_ = Run(b, "press "+strings.Join(keys, " ")+" and wait for the next page",
		chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Steps(b.keys(keys)...)))
}

var keyRunes = map[string]string{
	"Tab": kb.Tab, "Enter": kb.Enter, "Space": " ", "Escape": kb.Escape,
	"ArrowDown": kb.ArrowDown, "ArrowUp": kb.ArrowUp, "ArrowLeft": kb.ArrowLeft,
	"ArrowRight": kb.ArrowRight, "Home": kb.Home, "End": kb.End, "Backspace": kb.Backspace,
}

func (b *Browser) keys(keys []string) []chromedp.Action[chromedp.Void] {
	b.t.Helper()
	var acts []chromedp.Action[chromedp.Void]
	for _, k := range keys {
		var opts []chromedp.KeyOption
		if name, ok := strings.CutPrefix(k, "Shift+"); ok {
			k = name
			opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
		}
		r, ok := keyRunes[k]
		if !ok {
			if len([]rune(k)) != 1 {
				b.t.Fatalf("browser: unknown key %q", k)
			}
			r = k
		}
		acts = append(acts, chromedp.KeyEvent(r, opts...))
	}
	return acts
}

// Text returns the visible text of the first element matching the CSS
// selector, waiting for it to appear.
func (b *Browser) Text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(Run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

// TextByTestID returns the visible text of the element with that data-testid.
func (b *Browser) TextByTestID(id string) string {
	b.t.Helper()
	return b.Text(TestID(id))
}

// Count returns how many elements match the CSS selector now, without
// waiting.
func (b *Browser) Count(sel string) int {
	b.t.Helper()
	return Eval[int](b, fmt.Sprintf("document.querySelectorAll(%s).length", jsString(sel)))
}

// Focused describes the element that has the keyboard focus, such as
// `button[data-testid="start-quick"] "Quick check"`, for keyboard tests.
func (b *Browser) Focused() string {
	b.t.Helper()
	return Eval[string](b, `(() => {
		const e = document.activeElement;
		if (!e || e === document.body) return "body";
		let d = e.tagName.toLowerCase();
		if (e.id) d += "#" + e.id;
		if (e.dataset.testid) d += '[data-testid="' + e.dataset.testid + '"]';
		const text = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim().replace(/\s+/g, " ");
		return text ? d + ' "' + text.slice(0, 60) + '"' : d;
	})()`)
}

// TabTo presses Tab until the focused element matches the CSS selector,
// as a keyboard user would reach it, and fails after max presses.
func (b *Browser) TabTo(sel string, max int) {
	b.t.Helper()
	check := fmt.Sprintf("!!document.activeElement && document.activeElement.matches(%s)", jsString(sel))
	var path []string
	for range max {
		b.Press("Tab")
		if Eval[bool](b, check) {
			return
		}
		path = append(path, b.Focused())
	}
	b.t.Fatalf("browser: %s not reached after %d Tab presses; focus went to:\n  %s",
		sel, max, strings.Join(path, "\n  "))
}

// ColorScheme emulates prefers-color-scheme: "light", "dark", or "" for
// the browser's default.
func (b *Browser) ColorScheme(scheme string) {
	b.t.Helper()
	b.Do("emulate prefers-color-scheme "+scheme, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
			Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}},
		})
		return err
	}))
}

// Viewport sets the size of the page's viewport in CSS pixels.
func (b *Browser) Viewport(width, height int64) {
	b.t.Helper()
	b.Do("set viewport", chromedp.EmulateViewport(width, height))
}

// Screenshot saves a PNG of the whole page, not only the viewport, to path,
// creating its directory.
func (b *Browser) Screenshot(path string) {
	b.t.Helper()
	b.savePNG(path, Run(b, "screenshot", chromedp.FullScreenshot(100)))
}

// ScreenshotViewport saves a PNG of what the viewport shows to path, as a
// visitor first sees the page.
func (b *Browser) ScreenshotViewport(path string) {
	b.t.Helper()
	b.savePNG(path, Run(b, "screenshot", chromedp.CaptureScreenshot()))
}

func (b *Browser) savePNG(path string, png []byte) {
	b.t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Fatalf("screenshot: %v", err)
	}
}

// Requests returns the URL of every request the tab has made since New or
// the last ResetRequests, in order, including data: and blob: URLs.
func (b *Browser) Requests() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.requests...)
}

// ResetRequests forgets the requests recorded so far.
func (b *Browser) ResetRequests() {
	b.mu.Lock()
	b.requests = nil
	b.mu.Unlock()
}

// RequireOnlyHosts fails the test if the tab requested a URL on any host
// other than the allowed hosts (host:port, as in url.URL.Host); data: and
// blob: URLs never leave the page and are allowed.
func (b *Browser) RequireOnlyHosts(allowed ...string) {
	b.t.Helper()
	ok := map[string]bool{}
	for _, h := range allowed {
		ok[h] = true
	}
	var bad []string
	for _, u := range b.Requests() {
		if strings.HasPrefix(u, "data:") || strings.HasPrefix(u, "blob:") {
			continue
		}
		if !ok[hostOf(u)] {
			bad = append(bad, u)
		}
	}
	if len(bad) > 0 {
		b.t.Errorf("requests left the test hosts %v:\n  %s", allowed, strings.Join(bad, "\n  "))
	}
}

func abbrev(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 60 {
		return s[:57] + "..."
	}
	return s
}
