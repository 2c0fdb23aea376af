package web

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	"github.com/labstack/echo/v4/middleware"

	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/views/admin"
)

// The limits of an uploaded handbook archive: a folder of job-family pages
// is a few megabytes, and decompressing more than that is refused rather
// than trusted.
const (
	maxArchiveUpload = 8 << 20
	maxArchiveFiles  = 2000
	maxArchiveBytes  = 32 << 20
)

// The time a parse may take in the admin: a real page takes milliseconds,
// so a page that takes longer is pathological, and the request must not
// hold a server goroutine for it.
const (
	previewTimeout = 2 * time.Second
	archiveTimeout = 20 * time.Second
)

// importBodyLimits cap the import form's body: a pasted page at 1 MB, as
// every other form, and a file upload (a handbook archive) at a little
// over the archive limit.
func importBodyLimits() []echo.MiddlewareFunc {
	return []echo.MiddlewareFunc{
		middleware.BodyLimit("9M"),
		middleware.BodyLimitWithConfig(middleware.BodyLimitConfig{Limit: "1M", Skipper: func(c echo.Context) bool {
			return strings.HasPrefix(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEMultipartForm)
		}}),
	}
}

// isArchive reports whether an upload's name says it is a handbook archive.
func isArchive(name string) bool {
	n := strings.ToLower(name)
	return strings.HasSuffix(n, ".zip") || strings.HasSuffix(n, ".tar.gz") || strings.HasSuffix(n, ".tgz")
}

// errArchive is a problem with an archive that the admin can fix.
type errArchive string

func (e errArchive) Error() string { return string(e) }

// readArchive returns the markdown files of a .zip or .tar.gz, by their
// path inside it. Other files and folders are skipped.
func readArchive(name string, data []byte) ([]jobfamily.Page, error) {
	var pages []jobfamily.Page
	total := 0
	add := func(p string, r io.Reader) error {
		if ext := strings.ToLower(path.Ext(p)); ext != ".md" && ext != ".markdown" {
			return nil
		}
		if len(pages) >= maxArchiveFiles {
			return errArchive(fmt.Sprintf("The archive holds more than %d markdown files.", maxArchiveFiles))
		}
		b, err := io.ReadAll(io.LimitReader(r, maxRoleUpload+1))
		if err != nil {
			return errArchive("The archive could not be read: " + err.Error())
		}
		if len(b) > maxRoleUpload {
			return errArchive(fmt.Sprintf("%s is larger than 1 MB; a job-family page is much smaller.", p))
		}
		if total += len(b); total > maxArchiveBytes {
			return errArchive("The archive unpacks to more than 32 MB of markdown.")
		}
		if !utf8.Valid(b) {
			return errArchive(p + " is not UTF-8 text.")
		}
		pages = append(pages, jobfamily.Page{Path: strings.TrimPrefix(path.Clean("/"+p), "/"), Src: b})
		return nil
	}
	if strings.HasSuffix(strings.ToLower(name), ".zip") {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return nil, errArchive("The file is not a readable .zip archive.")
		}
		for _, f := range zr.File {
			if f.FileInfo().IsDir() {
				continue
			}
			rc, err := f.Open()
			if err != nil {
				return nil, errArchive("The archive could not be read: " + err.Error())
			}
			err = add(f.Name, rc)
			rc.Close()
			if err != nil {
				return nil, err
			}
		}
		return pages, nil
	}
	gz, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, errArchive("The file is not a readable .tar.gz archive.")
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return pages, nil
		}
		if err != nil {
			return nil, errArchive("The file is not a readable .tar.gz archive.")
		}
		if h.Typeflag == tar.TypeReg {
			if err := add(h.Name, tr); err != nil {
				return nil, err
			}
		}
	}
}

// handleImportArchive imports every page of an uploaded handbook archive
// in one go, resolving "Extends" across its pages, and shows what it did
// with each file.
func (s *Server) handleImportArchive(c echo.Context, fh *multipart.FileHeader) error {
	m := s.meta(c, "Import a role")
	refuse := func(msg string) error {
		return s.render(c, http.StatusUnprocessableEntity, admin.ImportPage(m, admin.Import{Errors: map[string]string{"file": msg}}))
	}
	f, err := fh.Open()
	if err != nil {
		return refuse("The file could not be read.")
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxArchiveUpload+1))
	if err != nil {
		return refuse("The file could not be read.")
	}
	if len(data) > maxArchiveUpload {
		return refuse("The archive is larger than 8 MB.")
	}
	pages, err := readArchive(fh.Filename, data)
	var bad errArchive
	if errors.As(err, &bad) {
		return refuse(bad.Error())
	}
	if err != nil {
		return err
	}
	if len(pages) == 0 {
		return refuse("The archive holds no markdown (.md) files.")
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), archiveTimeout)
	defer cancel()
	out := jobfamily.ParseSet(ctx, pages)
	if ctx.Err() != nil {
		return refuse("Reading the archive took too long; import it with the rolefit import command instead.")
	}
	vm := admin.ImportSummary{Archive: path.Base(fh.Filename)}
	for i, o := range out {
		file := admin.ImportedFile{Path: o.Path}
		if o.Err != nil {
			file.Refused = true
			file.Outcome = o.Err.Error()
			vm.Refused++
			vm.Files = append(vm.Files, file)
			continue
		}
		for _, w := range o.Result.Warnings {
			file.Warnings = append(file.Warnings, admin.Warning{Line: w.Line, Message: w.Message})
		}
		if len(file.Warnings) > 0 {
			vm.Warned++
		}
		e, unchanged, err := s.Catalog.ImportSet(c.Request().Context(), s.Roles, pages, out, i)
		if err != nil {
			return err
		}
		file.Slug, file.Title = e.Role.Slug, e.Role.Title
		file.Outcome = fmt.Sprintf("imported as version %d", e.Number)
		if unchanged {
			file.Outcome = fmt.Sprintf("unchanged, still version %d", e.Number)
			vm.Unchanged++
		}
		vm.Imported++
		vm.Files = append(vm.Files, file)
	}
	return s.render(c, http.StatusOK, admin.ImportSummaryPage(s.meta(c, "Imported "+vm.Archive), vm))
}
