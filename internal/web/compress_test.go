package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// TestRolePage_SameBytes checks that every anonymous visitor gets the
// role page as the same bytes, with no cookie and no token in it, gzipped
// or not, and that it is the page rendered afresh.
func TestRolePage_SameBytes(t *testing.T) {
	ts := newTestServer(t)
	get := func(accept string) *http.Response {
		req, _ := http.NewRequest(http.MethodGet, ts.URL+"/roles/"+refSlug, nil)
		req.Header.Set("Accept-Encoding", accept)
		res, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	read := func(res *http.Response) []byte {
		defer res.Body.Close()
		var r io.Reader = res.Body
		if res.Header.Get("Content-Encoding") == "gzip" {
			zr, err := gzip.NewReader(res.Body)
			if err != nil {
				t.Fatal(err)
			}
			r = zr
		}
		b, err := io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	first := get("gzip")
	if first.StatusCode != 200 || first.Header.Get("Content-Encoding") != "gzip" {
		t.Fatalf("status %d, encoding %q", first.StatusCode, first.Header.Get("Content-Encoding"))
	}
	if sc := first.Header.Values("Set-Cookie"); len(sc) > 0 {
		t.Errorf("the role page sets cookies %q", sc)
	}
	page := read(first)
	for _, accept := range []string{"gzip, deflate, br", ""} {
		if again := read(get(accept)); !bytes.Equal(again, page) {
			t.Fatalf("Accept-Encoding %q: another visitor got other bytes", accept)
		}
	}
	if bytes.Contains(page, []byte(`name="_csrf"`)) {
		t.Error("the role page carries a CSRF field")
	}
	e, _ := ts.cat.Get(refSlug)
	req := httptest.NewRequest(http.MethodGet, "/roles/"+refSlug, nil)
	ctx := ts.srv.echo.NewContext(req, httptest.NewRecorder())
	var buf bytes.Buffer
	if err := ts.srv.rolePage(ctx, e, nil).Render(req.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), page) {
		t.Fatal("the cached page differs from the page rendered afresh")
	}
	// A browser that kept the page revalidates it for free.
	req, _ = http.NewRequest(http.MethodGet, ts.URL+"/roles/"+refSlug, nil)
	req.Header.Set("If-None-Match", first.Header.Get("ETag"))
	res, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified || first.Header.Get("Cache-Control") != "no-cache" {
		t.Errorf("revalidation: %d, Cache-Control %q", res.StatusCode, first.Header.Get("Cache-Control"))
	}
}

// TestStartForm_CrossOrigin: the role page's start form works without a
// token from rolefit's own page, and is refused from another origin,
// whether the browser says so with Sec-Fetch-Site or only with Origin.
func TestStartForm_CrossOrigin(t *testing.T) {
	ts := newTestServer(t)
	for _, tc := range []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"SameOrigin", map[string]string{"Sec-Fetch-Site": "same-origin"}, http.StatusSeeOther},
		{"SameOriginByOrigin", map[string]string{"Origin": ts.URL}, http.StatusSeeOther},
		{"NotABrowser", nil, http.StatusSeeOther},
		{"CrossSite", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
		{"SameSite", map[string]string{"Sec-Fetch-Site": "same-site"}, http.StatusForbidden},
		{"OtherOriginOnly", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ts.client(t)
			req, _ := http.NewRequest(http.MethodPost, ts.URL+"/roles/"+refSlug+"/check",
				strings.NewReader(url.Values{"mode": {"quick"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for k, v := range tc.headers {
				req.Header.Set(k, v)
			}
			if res := c.do(req); res.StatusCode != tc.want {
				t.Errorf("status %d, want %d", res.StatusCode, tc.want)
			}
		})
	}
}
