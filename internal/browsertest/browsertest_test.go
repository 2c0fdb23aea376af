package browsertest_test

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/browsertest"
)

// selfTest serves small pages that exercise every helper.
func selfTest(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	page := func(body string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>self test</title>
<link rel="stylesheet" href="/style.css"></head><body><main>%s</main></body></html>`, body)
		}
	}
	mux.HandleFunc("/style.css", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/css")
		fmt.Fprint(w, "body{font-family:sans-serif}")
	})
	mux.HandleFunc("/{$}", page(`<h1>Form</h1>
<form method="get" action="/done">
<label for="name">Name</label> <input id="name" name="name">
<button type="submit" data-testid="send">Send</button>
</form>
<p><a href="/done?name=link" data-testid="link">Skip</a></p>`))
	mux.HandleFunc("/done", func(w http.ResponseWriter, r *http.Request) {
		page(`<h1>Done</h1><p data-testid="got">`+r.URL.Query().Get("name")+`</p>`)(w, r)
	})
	mux.HandleFunc("/bad", page(`<h1>Bad</h1><img src="/style.css"><p style="color:#aaa;background:#fff">faint</p>`))
	mux.HandleFunc("/frame", page(`<h1>Frame</h1><p data-testid="inner">inside</p>`))
	mux.HandleFunc("/host", func(w http.ResponseWriter, r *http.Request) {
		page(`<h1>Host</h1><iframe id="same" title="same" src="/frame"></iframe>
<iframe id="cross" title="cross" src="`+html.EscapeString(r.URL.Query().Get("cross"))+`"></iframe>`)(w, r)
	})
	ts := httptest.NewServer(mux)
	t.Cleanup(ts.Close)
	return ts
}

func TestBrowserHarness_Keyboard(t *testing.T) {
	ts := selfTest(t)
	b := browsertest.New(t)
	b.Open(ts.URL)
	b.TabTo("#name", 3)
	b.Press("A", "d", "a")
	b.TabTo(browsertest.TestID("send"), 3)
	if got := b.Focused(); !strings.Contains(got, `"Send"`) {
		t.Errorf("Focused() = %s, want the Send button", got)
	}
	b.PressNav("Space")
	if got := b.TextByTestID("got"); got != "Ada" {
		t.Errorf("after submitting by keyboard, got %q, want Ada", got)
	}
	if loc := b.Location(); !strings.HasSuffix(loc, "/done?name=Ada") {
		t.Errorf("Location() = %s", loc)
	}
}

func TestBrowserHarness_MouseAndRequests(t *testing.T) {
	ts := selfTest(t)
	b := browsertest.New(t)
	b.Open(ts.URL)
	b.Type("#name", "Grace")
	b.ClickNav(browsertest.TestID("link"))
	if got := b.TextByTestID("got"); got != "link" {
		t.Errorf("after clicking the link, got %q", got)
	}
	reqs := strings.Join(b.Requests(), "\n")
	for _, want := range []string{ts.URL + "/", ts.URL + "/style.css", ts.URL + "/done?name=link"} {
		if !strings.Contains(reqs+"\n", want+"\n") {
			t.Errorf("Requests() lacks %s:\n%s", want, reqs)
		}
	}
	b.RequireOnlyHosts(strings.TrimPrefix(ts.URL, "http://"))

	b.ResetRequests()
	b.Open(ts.URL + "/done")
	if n := len(b.Requests()); n != 2 {
		t.Errorf("after ResetRequests and one page, %d requests: %v", n, b.Requests())
	}
	if n := b.Count("h1"); n != 1 {
		t.Errorf("Count(h1) = %d", n)
	}
}

func TestBrowserHarness_Axe(t *testing.T) {
	ts := selfTest(t)
	b := browsertest.New(t)

	b.Open(ts.URL)
	b.RequireAxe(t, browsertest.AxeOptions{})

	b.Open(ts.URL + "/bad")
	vs := b.Axe(t, browsertest.AxeOptions{})
	report := vs.String()
	for _, want := range []string{"image-alt (critical)", "color-contrast (serious)", `["img"]`, "faint"} {
		if !strings.Contains(report, want) {
			t.Errorf("axe report lacks %q:\n%s", want, report)
		}
	}
	if vs := b.Axe(t, browsertest.AxeOptions{Disable: []string{"color-contrast"}, Exclude: []string{"img"}}); len(vs) != 0 {
		t.Errorf("with the rule disabled and the image excluded, still:\n%s", vs)
	}
}

func TestBrowserHarness_DarkAndScreenshot(t *testing.T) {
	ts := selfTest(t)
	b := browsertest.New(t)
	b.Open(ts.URL)
	b.ColorScheme("dark")
	if !browsertest.Eval[bool](b, `matchMedia("(prefers-color-scheme: dark)").matches`) {
		t.Error("dark scheme not emulated")
	}
	b.ColorScheme("light")
	if browsertest.Eval[bool](b, `matchMedia("(prefers-color-scheme: dark)").matches`) {
		t.Error("light scheme not emulated")
	}
	path := filepath.Join(t.TempDir(), "shots", "page.png")
	b.Screenshot(path)
	png, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("screenshot is not a PNG: %v", err)
	}
	b.ScreenshotViewport(path)
	if png, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(png), "\x89PNG") {
		t.Fatalf("viewport screenshot is not a PNG: %v", err)
	}
}

func TestBrowserHarness_Frames(t *testing.T) {
	ts := selfTest(t)
	// localhost and 127.0.0.1 are different sites, so Chromium puts the
	// cross frame in its own process, as it will the widget on a
	// customer's page.
	cross := strings.Replace(ts.URL, "127.0.0.1", "localhost", 1) + "/frame"
	b := browsertest.New(t)
	b.Open(ts.URL + "/host?cross=" + url.QueryEscape(cross))

	if got := browsertest.FrameEval[string](b, "#same", `document.querySelector("[data-testid=inner]").textContent`); got != "inside" {
		t.Errorf("FrameEval in the same-origin frame = %q", got)
	}
	f := b.Frame(cross)
	if got := f.TextByTestID("inner"); got != "inside" {
		t.Errorf("text in the cross-site frame = %q", got)
	}
	if got := browsertest.Eval[string](f, "location.href"); got != cross {
		t.Errorf("the cross-site frame's location = %q, want %q", got, cross)
	}
	b.OpenFrame("#same")
	if loc := b.Location(); loc != ts.URL+"/frame" {
		t.Errorf("OpenFrame went to %s", loc)
	}
}
