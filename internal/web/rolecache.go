package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"sync"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
)

// rolePages holds each role's page as an anonymous visitor with no check
// under way sees it: the same bytes for every one of them (the start form
// carries no per-visitor token), so it is rendered and compressed once per
// catalog entry (a new import or changed settings make a new entry).
type rolePages struct {
	mu    sync.Mutex
	pages map[*catalog.Entry]*asset
}

func newRolePages() *rolePages {
	return &rolePages{pages: map[*catalog.Entry]*asset{}}
}

// write sends the entry's page, rendering the component page returns on
// first use only: building the view model is most of a render's cost.
// Pages of replaced entries are dropped then, so the cache holds one per
// role.
func (rp *rolePages) write(c echo.Context, e *catalog.Entry, page func() templ.Component) error {
	rp.mu.Lock()
	p, ok := rp.pages[e]
	rp.mu.Unlock()
	if !ok {
		var buf bytes.Buffer
		if err := page().Render(c.Request().Context(), &buf); err != nil {
			return err
		}
		sum := sha256.Sum256(buf.Bytes())
		p = &asset{body: buf.Bytes(), gz: gzipBytes(buf.Bytes()), ctype: echo.MIMETextHTMLCharsetUTF8,
			etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
		rp.mu.Lock()
		for old := range rp.pages {
			if old.Role.Slug == e.Role.Slug {
				delete(rp.pages, old)
			}
		}
		rp.pages[e] = p
		rp.mu.Unlock()
	}
	// no-cache: a browser may keep the page but asks each time, since the
	// same address shows a visitor's unfinished check once they start one.
	return p.write(c, "no-cache")
}
