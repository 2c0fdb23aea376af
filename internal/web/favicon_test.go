package web

import (
	"net/http"
	"testing"
)

// TestFavicon checks that pages link the icon and that the address
// browsers ask for by habit answers too, cached, instead of a 404.
func TestFavicon(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	page := c.get("/roles/" + refSlug)
	href, ok := page.Doc.Find(`link[rel="icon"]`).Attr("href")
	if !ok {
		t.Fatal("the role page links no icon")
	}
	for _, tc := range []struct{ path, cache string }{
		{href, "public, max-age=31536000, immutable"},
		{"/favicon.ico", "public, max-age=86400"},
	} {
		res := c.get(tc.path)
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "image/svg+xml" || res.Header.Get("Cache-Control") != tc.cache {
			t.Errorf("%s: %d %q %q, want 200, an SVG, cached %q", tc.path, res.StatusCode,
				res.Header.Get("Content-Type"), res.Header.Get("Cache-Control"), tc.cache)
		}
	}
}
