package web

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestSplicedPage checks that a page compressed once and spliced per
// request unpacks to exactly the page with the value in every place.
func TestSplicedPage(t *testing.T) {
	page := []byte(strings.Repeat("<p>constant text</p>", 300) + csrfMarker + "<footer>" + csrfMarker + "</footer>")
	p := newSplicedPage(page, csrfMarker)
	for _, tc := range []struct {
		name, accept string
		gzipped      bool
	}{{"Gzip", "gzip, deflate, br", true}, {"Identity", "", false}} {
		t.Run(tc.name, func(t *testing.T) {
			for _, token := range []string{"tokenA0123456789012345678901234567890123456", "t"} {
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.Header.Set("Accept-Encoding", tc.accept)
				rec := httptest.NewRecorder()
				if err := p.write(echo.New().NewContext(req, rec), 200, token); err != nil {
					t.Fatal(err)
				}
				body := rec.Body.Bytes()
				if got := rec.Header().Get("Content-Encoding") == "gzip"; got != tc.gzipped {
					t.Fatalf("gzipped = %v, want %v", got, tc.gzipped)
				}
				if tc.gzipped {
					zr, err := gzip.NewReader(bytes.NewReader(body))
					if err != nil {
						t.Fatal(err)
					}
					if body, err = io.ReadAll(zr); err != nil {
						t.Fatalf("unpack: %v", err) // also checks the CRC and length
					}
				}
				want := bytes.ReplaceAll(page, []byte(csrfMarker), []byte(token))
				if !bytes.Equal(body, want) {
					t.Fatalf("token %q: the page differs from the one rendered with it", token)
				}
			}
		})
	}
}

// TestRolePage_Cached checks that the cached role page is the page
// rendered for the visitor, with their own CSRF token.
func TestRolePage_Cached(t *testing.T) {
	ts := newTestServer(t)
	c := ts.client(t)
	first := c.get("/roles/" + refSlug)
	page := c.get("/roles/" + refSlug)
	if page.StatusCode != 200 || page.csrf() == "" || page.csrf() != first.csrf() {
		t.Fatalf("status %d, csrf %q then %q", page.StatusCode, first.csrf(), page.csrf())
	}
	if strings.Contains(page.Body, csrfMarker) {
		t.Fatal("the page shows the marker instead of the token")
	}
	other := ts.client(t).get("/roles/" + refSlug)
	if other.csrf() == page.csrf() {
		t.Fatal("two visitors got the same CSRF token")
	}
	e, _ := ts.cat.Get(refSlug)
	req := httptest.NewRequest(http.MethodGet, "/roles/"+refSlug, nil)
	ctx := ts.srv.echo.NewContext(req, httptest.NewRecorder())
	ctx.Set(csrfContext, page.csrf())
	var buf bytes.Buffer
	if err := ts.srv.rolePage(ctx, e, nil, page.csrf()).Render(req.Context(), &buf); err != nil {
		t.Fatal(err)
	}
	if buf.String() != page.Body {
		t.Fatal("the cached page differs from the page rendered for the visitor")
	}
}
