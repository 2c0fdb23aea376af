package web

import (
	"bytes"
	"strings"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
)

// csrfMarker stands in for the visitor's CSRF token in a page rendered
// once for everyone. It has the token's length and alphabet, so that the
// page around it is rendered exactly as around a real token.
var csrfMarker = "csrf" + strings.Repeat("X", 35) + "mark"

// rolePages holds each role's page as an anonymous visitor with no check
// under way sees it: everything but the CSRF token is the same for all of
// them, so it is rendered and compressed once per catalog entry (a new
// import or changed settings make a new entry) instead of per request.
type rolePages struct {
	mu    sync.Mutex
	pages map[*catalog.Entry]*splicedPage
}

func newRolePages() *rolePages {
	return &rolePages{pages: map[*catalog.Entry]*splicedPage{}}
}

// write sends the entry's page with the visitor's CSRF token, rendering
// it with build on first use. Pages of replaced entries are dropped then,
// so the cache holds one page per role.
func (rp *rolePages) write(c echo.Context, e *catalog.Entry, build func(csrf string) templ.Component) error {
	rp.mu.Lock()
	p, ok := rp.pages[e]
	rp.mu.Unlock()
	if !ok {
		var buf bytes.Buffer
		if err := build(csrfMarker).Render(c.Request().Context(), &buf); err != nil {
			return err
		}
		p = newSplicedPage(buf.Bytes(), csrfMarker)
		rp.mu.Lock()
		for old := range rp.pages {
			if old.Role.Slug == e.Role.Slug {
				delete(rp.pages, old)
			}
		}
		rp.pages[e] = p
		rp.mu.Unlock()
	}
	return p.write(c, 200, csrfToken(c))
}
