package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/a-h/templ"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
)

// rolePages holds each role's page as an anonymous visitor with no check
// under way sees it: the same bytes for every one of them (the start form
// carries no per-visitor token; the cross-origin check guards it), so the
// whole response, headers included, is built once per catalog entry (a
// new import or changed settings make a new entry) and encoding, and
// serveRolePage sends it before Echo does any work.
type rolePages struct {
	mu    sync.Mutex
	pages map[*catalog.Entry]*rolePage
}

// rolePage is one role's built responses.
type rolePage struct {
	etag      string
	plain, gz builtResponse
}

// builtResponse is a 200 response ready to send: every header but Date,
// which net/http adds.
type builtResponse struct {
	header http.Header
	body   []byte
}

func newRolePages() *rolePages {
	return &rolePages{pages: map[*catalog.Entry]*rolePage{}}
}

func (rp *rolePages) get(e *catalog.Entry) *rolePage {
	rp.mu.Lock()
	defer rp.mu.Unlock()
	return rp.pages[e]
}

// writeRolePage sends the entry's page through Echo, rendering the
// component page returns on first use only: building the view model is
// most of a render's cost. Pages of replaced entries are dropped then, so
// the cache holds one per role.
func (s *Server) writeRolePage(c echo.Context, e *catalog.Entry, page func() templ.Component) error {
	p := s.rolePages.get(e)
	if p == nil {
		var buf bytes.Buffer
		if err := page().Render(c.Request().Context(), &buf); err != nil {
			return err
		}
		p = s.buildRolePage(buf.Bytes())
		rp := s.rolePages
		rp.mu.Lock()
		for old := range rp.pages {
			if old.Role.Slug == e.Role.Slug {
				delete(rp.pages, old)
			}
		}
		rp.pages[e] = p
		rp.mu.Unlock()
	}
	if c.Request().Header.Get("If-None-Match") == p.etag {
		c.Response().Header().Set("ETag", p.etag)
		return c.NoContent(http.StatusNotModified)
	}
	res := p.pick(c.Request())
	h := c.Response().Header()
	for k, v := range res.header {
		h[k] = v
	}
	c.Response().WriteHeader(http.StatusOK)
	_, err := c.Response().Write(res.body)
	return err
}

func (s *Server) buildRolePage(body []byte) *rolePage {
	sum := sha256.Sum256(body)
	p := &rolePage{etag: `"` + hex.EncodeToString(sum[:8]) + `"`}
	build := func(body []byte, encoding string) builtResponse {
		h := http.Header{}
		s.setSecurityHeaders(h)
		// no-cache: a browser may keep the page but asks each time, since
		// the same address shows a visitor's unfinished check once they
		// start one.
		h.Set("Cache-Control", "no-cache")
		h.Set("ETag", p.etag)
		h.Set("Vary", "Accept-Encoding")
		h.Set("Content-Type", echo.MIMETextHTMLCharsetUTF8)
		if encoding != "" {
			h.Set("Content-Encoding", encoding)
		}
		h.Set("Content-Length", strconv.Itoa(len(body)))
		return builtResponse{header: h, body: body}
	}
	p.plain, p.gz = build(body, ""), build(gzipBytes(body), "gzip")
	return p
}

// pick is the response for the encodings r accepts.
func (p *rolePage) pick(r *http.Request) *builtResponse {
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		return &p.gz
	}
	return &p.plain
}

// serveRolePage answers a GET or HEAD of a role page from its built
// response, and reports whether it did. It runs before Echo's router and
// middleware, whose work the page does not need, and only for a request
// with no cookie at all: no check under way and no recruiter signed in, so
// the page is the one every such visitor gets. A revalidation, and a page
// not built yet, take the route as usual.
func (s *Server) serveRolePage(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	slug, ok := strings.CutPrefix(r.URL.Path, "/roles/")
	if !ok || strings.IndexByte(slug, '/') >= 0 || len(r.Header["Cookie"]) > 0 || len(r.Header["If-None-Match"]) > 0 {
		return false
	}
	e, ok := s.Catalog.Get(slug)
	if !ok || e.Archived {
		return false
	}
	p := s.rolePages.get(e)
	if p == nil {
		return false
	}
	start := time.Now()
	res := p.pick(r)
	h := w.Header()
	for k, v := range res.header {
		h[k] = v
	}
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(res.body)
	// Counted as the route counts it, HEAD as GET (see serveHTTP). There
	// is no log line: the metrics count and time these views, the busiest
	// page's, and a write to the log for each would cost more than the
	// rest of the answer.
	s.metrics.roleViews.Inc()
	s.metrics.roleViewTime.Observe(time.Since(start).Seconds())
	return true
}
