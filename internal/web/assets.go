package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/assets"
)

// asset is one static file, held in memory with its gzipped form.
type asset struct {
	body, gz []byte
	ctype    string
	etag     string
}

// assetSet serves the embedded files under content-hashed names, so that
// they can be cached for a year and a new build busts the cache.
type assetSet struct {
	byHashed map[string]*asset // "css/app.1a2b3c4d.css" → asset
	urls     map[string]string // "css/app.css" → "/assets/css/app.1a2b3c4d.css"
}

func loadAssets() (*assetSet, error) {
	a := &assetSet{byHashed: map[string]*asset{}, urls: map[string]string{}}
	err := fs.WalkDir(assets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) == ".txt" {
			return err
		}
		body, err := fs.ReadFile(assets.FS, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		h := hex.EncodeToString(sum[:4])
		ext := path.Ext(p)
		hashed := strings.TrimSuffix(p, ext) + "." + h + ext
		a.byHashed[hashed] = &asset{body: body, gz: gzipBytes(body), ctype: mime.TypeByExtension(ext), etag: `"` + h + `"`}
		a.urls[p] = "/assets/" + hashed
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("web: load assets: %w", err)
	}
	return a, nil
}

// url returns the public URL of an embedded file; it panics on a name that
// is not embedded, which only a programming mistake can cause and the
// tests of every page catch.
func (a *assetSet) url(name string) string {
	u, ok := a.urls[name]
	if !ok {
		panic("web: no asset " + name)
	}
	return u
}

// get returns the asset by its embedded name.
func (a *assetSet) get(name string) *asset {
	u, ok := a.urls[name]
	if !ok {
		return nil
	}
	return a.byHashed[strings.TrimPrefix(u, "/assets/")]
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	_, _ = zw.Write(b)
	_ = zw.Close()
	return buf.Bytes()
}

// write sends an asset, gzipped when the client accepts it.
func (x *asset) write(c echo.Context, cacheControl string) error {
	h := c.Response().Header()
	h.Set("Cache-Control", cacheControl)
	h.Set("ETag", x.etag)
	h.Add("Vary", "Accept-Encoding")
	if c.Request().Header.Get("If-None-Match") == x.etag {
		return c.NoContent(http.StatusNotModified)
	}
	body := x.body
	if strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = x.gz
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return c.Blob(http.StatusOK, x.ctype, body)
}

func (s *Server) handleAsset(c echo.Context) error {
	x, ok := s.assets.byHashed[c.Param("*")]
	if !ok {
		return echo.ErrNotFound
	}
	return x.write(c, "public, max-age=31536000, immutable")
}

// faviconCache lets browsers and tools that ask for /favicon.ico by habit
// keep the icon for a day without asking again; pages link to the
// content-hashed file, cached for a year.
const faviconCache = "public, max-age=86400"

// handleFavicon answers the habitual /favicon.ico with the site's icon, so
// that no client's request for it ends in a 404.
func (s *Server) handleFavicon(c echo.Context) error {
	return s.assets.get("img/favicon.svg").write(c, faviconCache)
}
