package web

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"encoding/binary"
	"hash/crc32"
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
// always sent compressed.
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

// splicedPage is a page that is the same for every visitor except for a
// few places that take a per-visitor value (the CSRF token). It is
// rendered and compressed once; a request only splices its value in.
//
// The gzip form works because DEFLATE streams concatenate: each constant
// part is compressed on its own and ended with a sync flush (byte-aligned,
// not final), the value goes between them as a stored block, and only the
// last part's block is final. The CRC-32 of the whole is the only thing
// computed per request.
type splicedPage struct {
	parts [][]byte // the page split at the value
	zpart [][]byte // each part as raw DEFLATE blocks
	size  int      // bytes of all parts
}

// newSplicedPage splits page at every occurrence of marker.
func newSplicedPage(page []byte, marker string) *splicedPage {
	p := &splicedPage{parts: bytes.Split(page, []byte(marker))}
	for i, part := range p.parts {
		var buf bytes.Buffer
		fw, _ := flate.NewWriter(&buf, flate.BestCompression)
		_, _ = fw.Write(part)
		if i < len(p.parts)-1 {
			_ = fw.Flush()
		} else {
			_ = fw.Close()
		}
		p.zpart = append(p.zpart, buf.Bytes())
		p.size += len(part)
	}
	return p
}

// gzipHeader is a minimal gzip member header: no name, no time, unknown OS.
var gzipHeader = []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255}

// write sends the page with value spliced in, gzipped when the client
// accepts it. value is short (a stored block holds at most 64 KB).
func (p *splicedPage) write(c echo.Context, status int, value string) error {
	buf := pagePool.Get().(*bytes.Buffer)
	defer pagePool.Put(buf)
	buf.Reset()
	h := c.Response().Header()
	h.Add("Vary", "Accept-Encoding")
	if !acceptsGzip(c) {
		for i, part := range p.parts {
			if i > 0 {
				buf.WriteString(value)
			}
			buf.Write(part)
		}
		h.Set("Content-Length", strconv.Itoa(buf.Len()))
		return c.HTMLBlob(status, buf.Bytes())
	}
	buf.Write(gzipHeader)
	var crc uint32
	for i, part := range p.parts {
		if i > 0 {
			// A stored block: not final, type 00, then LEN and its
			// complement, then the bytes.
			buf.WriteByte(0)
			var n [4]byte
			binary.LittleEndian.PutUint16(n[:2], uint16(len(value)))
			binary.LittleEndian.PutUint16(n[2:], ^uint16(len(value)))
			buf.Write(n[:])
			buf.WriteString(value)
			crc = crc32.Update(crc, crc32.IEEETable, []byte(value))
		}
		buf.Write(p.zpart[i])
		crc = crc32.Update(crc, crc32.IEEETable, part)
	}
	var trailer [8]byte
	binary.LittleEndian.PutUint32(trailer[:4], crc)
	binary.LittleEndian.PutUint32(trailer[4:], uint32(p.size+len(value)*(len(p.parts)-1)))
	buf.Write(trailer[:])
	h.Set("Content-Encoding", "gzip")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	return c.HTMLBlob(status, buf.Bytes())
}
