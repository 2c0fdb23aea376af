package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/views/admin"
)

// maxRoleUpload caps an imported page: the largest real job-family pages
// are under 100 KB.
const maxRoleUpload = 1 << 20

func (s *Server) handleAdmin(c echo.Context) error {
	var vm admin.Index
	for _, e := range s.Catalog.List() {
		vm.Roles = append(vm.Roles, admin.RoleLine{Slug: e.Role.Slug, Title: e.Role.Title, Archived: e.Archived,
			Version: strconv.Itoa(e.Number), Imported: e.ImportedAt.UTC().Format(time.DateOnly),
			Items: e.Role.ItemCount(role.Requirements, role.Responsibilities)})
	}
	return s.render(c, http.StatusOK, admin.IndexPage(s.meta(c, "Admin"), vm))
}

func (s *Server) handleImportForm(c echo.Context) error {
	return s.render(c, http.StatusOK, admin.ImportPage(s.meta(c, "Import a role"), admin.Import{}))
}

// importSource reads the page from the upload, else from the textarea.
func importSource(c echo.Context) (src []byte, name string, errs map[string]string) {
	errs = map[string]string{}
	if fh, err := c.FormFile("file"); err == nil && fh.Size > 0 {
		f, err := fh.Open()
		if err != nil {
			errs["file"] = "The file could not be read."
			return nil, "", errs
		}
		defer f.Close()
		src, err = io.ReadAll(io.LimitReader(f, maxRoleUpload+1))
		if err != nil {
			errs["file"] = "The file could not be read."
			return nil, "", errs
		}
		name = filepath.Base(fh.Filename)
		if len(src) > maxRoleUpload {
			errs["file"] = "The file is larger than 1 MB; a job-family page is much smaller."
		}
	} else {
		src = []byte(c.FormValue("markdown"))
		name = c.FormValue("filename")
		if name == "" {
			name = "pasted.md"
		}
		if strings.TrimSpace(string(src)) == "" {
			errs["markdown"] = "Upload a markdown file or paste the page."
		} else if len(src) > maxRoleUpload {
			errs["markdown"] = "The page is larger than 1 MB; a job-family page is much smaller."
		}
	}
	if len(errs) == 0 && !utf8.Valid(src) {
		errs["file"] = "The page is not UTF-8 text."
	}
	return src, filepath.Base(name), errs
}

func (s *Server) handleImportPreview(c echo.Context) error {
	m := s.meta(c, "Import a role")
	if fh, err := c.FormFile("file"); err == nil && isArchive(fh.Filename) {
		return s.handleImportArchive(c, fh)
	}
	src, name, errs := importSource(c)
	if len(errs) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, admin.ImportPage(m, admin.Import{Markdown: string(src), Errors: errs}))
	}
	ctx, cancel := context.WithTimeout(c.Request().Context(), previewTimeout)
	defer cancel()
	res, err := jobfamily.ParseContext(ctx, src, name)
	if errors.Is(err, context.DeadlineExceeded) {
		return s.render(c, http.StatusUnprocessableEntity, admin.ImportPage(m, admin.Import{Markdown: string(src),
			Error: "Reading the page took longer than 2 seconds: it is too large or too tangled to import here."}))
	}
	if err != nil {
		return s.render(c, http.StatusUnprocessableEntity, admin.ImportPage(m, admin.Import{Markdown: string(src), Error: err.Error()}))
	}
	return s.renderDraft(c, src, name, res)
}

// rebuildRole re-reads a role's current version with its settings and
// serves the result, after an admin changed something.
func (s *Server) rebuildRole(c echo.Context, slug string) error {
	return s.Catalog.Refresh(c.Request().Context(), slug, s.Recruiters.CurrentRoleVersion)
}

var notices = map[string]string{
	"imported":  "The role is published.",
	"saved":     "Saved as a new version. Results made before keep the version they were made with.",
	"unchanged": "Nothing changed, so no version was made.",
	"archived":  "The role is archived.",
	"restored":  "The role is published again.",
}

func (s *Server) adminRole(c echo.Context) (*catalog.Entry, error) {
	e, ok := s.Catalog.Get(c.Param("slug"))
	if !ok {
		return nil, echo.NewHTTPError(http.StatusNotFound, "There is no role with that slug.")
	}
	return e, nil
}

func (s *Server) roleAdminModel(c echo.Context, e *catalog.Entry) (admin.Role, error) {
	_, ed, err := s.roleEditor(c, e)
	if err != nil {
		return admin.Role{}, err
	}
	return admin.Role{Slug: e.Role.Slug, Title: e.Role.Title, Version: strconv.Itoa(e.Number), Archived: e.Archived,
		ApplyURL: e.Role.ApplyURL, SourceURL: e.Role.SourceURL, Notice: notices[c.QueryParam("notice")], Embed: s.embedSnippets(c, e.Role), Editor: ed}, nil
}

func (s *Server) handleAdminRole(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	vm, err := s.roleAdminModel(c, e)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, admin.RolePage(s.meta(c, "Admin: "+e.Role.Title), vm))
}

func (s *Server) handleApplyURL(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(c.FormValue("apply_url"))
	if msg := checkApplyURL(raw); msg != "" {
		vm, err := s.roleAdminModel(c, e)
		if err != nil {
			return err
		}
		vm.ApplyURL, vm.Errors = raw, map[string]string{"apply_url": msg}
		return s.render(c, http.StatusUnprocessableEntity, admin.RolePage(s.meta(c, "Admin: "+e.Role.Title), vm))
	}
	if err := s.Recruiters.SetRoleApplyURL(c.Request().Context(), e.Role.Slug, raw); err != nil {
		return err
	}
	if err := s.rebuildRole(c, e.Role.Slug); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/roles/"+e.Role.Slug+"?notice=saved")
}

// handleSourceURL sets the address the role's current version is
// published at, against which the links in its text are resolved.
func (s *Server) handleSourceURL(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	raw := strings.TrimSpace(c.FormValue("source_url"))
	if msg := checkApplyURL(raw); msg != "" {
		vm, err := s.roleAdminModel(c, e)
		if err != nil {
			return err
		}
		vm.SourceURL, vm.Errors = raw, map[string]string{"source_url": msg}
		return s.render(c, http.StatusUnprocessableEntity, admin.RolePage(s.meta(c, "Admin: "+e.Role.Title), vm))
	}
	if err := s.Recruiters.SetRoleSourceURL(c.Request().Context(), e.Role.Slug, raw); err != nil {
		return err
	}
	if err := s.rebuildRole(c, e.Role.Slug); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/roles/"+e.Role.Slug+"?notice=saved")
}

// checkApplyURL accepts an empty value (no apply link) or an absolute
// http(s) URL.
func checkApplyURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(raw) > 2000 {
		return "Enter a full web address starting with https:// (or leave it empty)."
	}
	return ""
}

func (s *Server) handleArchive(c echo.Context) error {
	e, err := s.adminRole(c)
	if err != nil {
		return err
	}
	var archived bool
	switch c.FormValue("archived") {
	case "1":
		archived = true
		if c.FormValue("confirm") != "1" {
			vm := admin.Archive{Slug: e.Role.Slug, Title: e.Role.Title, Error: "Tick the box to confirm that applicants can no longer take the check."}
			return s.render(c, http.StatusUnprocessableEntity, admin.ArchivePage(s.meta(c, "Archive "+e.Role.Title+"?"), vm))
		}
	case "0":
	default:
		return echo.NewHTTPError(http.StatusUnprocessableEntity, "Choose to archive or publish the role.")
	}
	if err := s.Recruiters.SetRoleArchived(c.Request().Context(), e.Role.Slug, archived); err != nil {
		return err
	}
	if err := s.rebuildRole(c, e.Role.Slug); err != nil {
		return err
	}
	notice := "restored"
	if archived {
		notice = "archived"
	}
	return c.Redirect(http.StatusSeeOther, "/admin/roles/"+e.Role.Slug+"?notice="+notice)
}

// API tokens.

// NewAPIToken makes a random token and the hash that is stored for it.
func NewAPIToken() (token string, hash []byte) {
	token = "rf_" + base64.RawURLEncoding.EncodeToString(randomBytes(32))
	sum := sha256.Sum256([]byte(token))
	return token, sum[:]
}

// TokenExpiry reads an API token's expiry as the admin page and the
// command line take it: "" for none, a number of days such as "90d", or a
// date (YYYY-MM-DD) after today. It returns the UTC date from which the
// token is refused, or a message saying what is wrong.
func TokenExpiry(v string, now time.Time) (string, error) {
	v = strings.TrimSpace(v)
	today := now.UTC().Truncate(24 * time.Hour)
	if v == "" {
		return "", nil
	}
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 1 || n > 3660 {
			return "", errors.New("give the days as a whole number from 1 to 3660, such as 90d")
		}
		return today.AddDate(0, 0, n).Format(time.DateOnly), nil
	}
	d, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return "", errors.New("give a number of days, such as 90d, or a date as YYYY-MM-DD")
	}
	if !d.After(today) || d.After(today.AddDate(10, 0, 0)) {
		return "", errors.New("the date must be after today and within ten years")
	}
	return v, nil
}

func (s *Server) tokensModel(c echo.Context) (admin.Tokens, error) {
	toks, err := s.Recruiters.ListAPITokens(c.Request().Context())
	if err != nil {
		return admin.Tokens{}, err
	}
	var vm admin.Tokens
	for _, t := range toks {
		vm.Tokens = append(vm.Tokens, admin.TokenLine{ID: strconv.FormatInt(t.ID, 10), Name: t.Name, CreatedOn: t.CreatedOn,
			ExpiresOn: t.ExpiresOn, Expired: t.Expired(s.today()), LastUsedOn: t.LastUsedOn})
	}
	return vm, nil
}

func (s *Server) handleTokens(c echo.Context) error {
	vm, err := s.tokensModel(c)
	if err != nil {
		return err
	}
	return s.render(c, http.StatusOK, admin.TokensPage(s.meta(c, "API tokens"), vm))
}

func (s *Server) handleAddToken(c echo.Context) error {
	name := strings.TrimSpace(c.FormValue("name"))
	expires := strings.TrimSpace(c.FormValue("expires"))
	status := http.StatusOK
	var token string
	errs := map[string]string{}
	if name == "" || utf8.RuneCountInString(name) > 100 {
		errs["name"] = "Name the token (up to 100 characters), such as the tool that uses it."
	}
	expiresOn, err := TokenExpiry(expires, s.Now())
	if err != nil {
		errs["expires"] = "Leave the expiry empty for none, or " + err.Error() + "."
	}
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	} else {
		var hash []byte
		token, hash = NewAPIToken()
		if _, err := s.Recruiters.CreateAPIToken(c.Request().Context(), name, hash, expiresOn); err != nil {
			return err
		}
		name, expires = "", ""
	}
	vm, err := s.tokensModel(c)
	if err != nil {
		return err
	}
	// The token is shown on this response only, so it is not a redirect.
	vm.New, vm.Name, vm.Expires, vm.Errors = token, name, expires, errs
	return s.render(c, status, admin.TokensPage(s.meta(c, "API tokens"), vm))
}

func (s *Server) handleDeleteToken(c echo.Context) error {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such token.")
	}
	if err := s.Recruiters.DeleteAPIToken(c.Request().Context(), id); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/tokens")
}
