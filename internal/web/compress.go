package web

import (
	"bytes"
	"compress/gzip"
	"strconv"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"
)

// compressMin is the smallest rendered page compressed on the fly. Below
// it gzip costs a page more CPU than everything else rolefit does for it
// (about 9 µs per KB at the fastest level), while the few kilobytes saved
// change nothing a reader notices: such a page fits the first round trip
// of a new connection either way. Pages that are the same for everyone
// (the role page, assets) are compressed once, at the best level, and
// sent compressed to every client that takes it.
const compressMin = 8 << 10

var gzipWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// acceptsGzip reports whether the client takes gzip.
func acceptsGzip(c echo.Context) bool {
	return strings.Contains(c.Request().Header.Get("Accept-Encoding"), "gzip")
}

// writeHTML sends a rendered page with its length, compressed when it is
// large enough and the client accepts it.
func writeHTML(c echo.Context, status int, body []byte) error {
	h := c.Response().Header()
	if len(body) >= compressMin {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(c) {
			buf := pagePool.Get().(*bytes.Buffer)
			defer pagePool.Put(buf)
			buf.Reset()
			zw := gzipWriters.Get().(*gzip.Writer)
			zw.Reset(buf)
			_, _ = zw.Write(body)
			_ = zw.Close()
			gzipWriters.Put(zw)
			h.Set("Content-Encoding", "gzip")
			body = buf.Bytes()
		}
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	return c.HTMLBlob(status, body)
}

var pagePool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
