package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/views/wizard"
)

// A resume link carries an unfinished check to another browser: the check
// itself, sealed with the session keys like the widget's state, so that
// rolefit stores nothing and the link is as anonymous as the cookie. It
// expires sooner than the cookie, since a link travels further.
const resumeTTL = 7 * 24 * time.Hour

// resumeName names the sealed check in its MAC, so that neither the check
// cookie nor the widget's state can pass for a resume link.
const resumeName = "rolefit_resume"

// resumeLink returns the link that continues check st in any browser, and
// when it stops working.
func (s *Server) resumeLink(c echo.Context, st *checkState) (string, time.Time, error) {
	now := s.Now()
	sealed, err := securecookie.EncodeMulti(resumeName, strconv.FormatInt(now.Unix(), 10)+"|"+st.encode(), s.sessions.Codecs...)
	if err != nil {
		return "", time.Time{}, err
	}
	return s.embedBase(c) + "/roles/" + url.PathEscape(st.Slug) + "/resume?k=" + url.QueryEscape(sealed), now.Add(resumeTTL), nil
}

// openResume returns the check sealed in a resume link for the role slug,
// if the link is genuine and not expired.
func (s *Server) openResume(sealed, slug string) (*checkState, bool) {
	var plain string
	if sealed == "" || len(sealed) > 8192 || securecookie.DecodeMulti(resumeName, sealed, &plain, s.sessions.Codecs...) != nil {
		return nil, false
	}
	issued, rest, _ := strings.Cut(plain, "|")
	at, err := strconv.ParseInt(issued, 10, 64)
	age := s.Now().Sub(time.Unix(at, 0))
	if err != nil || age > resumeTTL || age < -time.Minute {
		return nil, false
	}
	st, ok := decodeState(rest)
	if !ok || st.Slug != slug {
		return nil, false
	}
	return st, true
}

// badResumeLink is the answer to a link that is not genuine or has expired.
var badResumeLink = echo.NewHTTPError(http.StatusNotFound,
	"This link to continue a check is not valid or has expired: links last 7 days. Start a new check from the role page.")

// handleResumeLink shows what a resume link holds and asks before taking
// it into this browser: a link opened by a preview or a scanner changes
// nothing.
func (s *Server) handleResumeLink(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	st, ok := s.openResume(c.QueryParam("k"), e.Role.Slug)
	if !ok {
		return badResumeLink
	}
	if st.VersionID != e.VersionID {
		st = s.carryOver(c.Request().Context(), e, st)
	}
	return s.render(c, http.StatusOK, wizard.Resume(s.meta(c, "Continue your check"), wizard.ResumeModel{
		RoleTitle: e.Role.Title, RoleURL: "/roles/" + e.Role.Slug,
		Linked: *s.describeCheck(e, st), Current: s.underway(c, e),
		Action: "/roles/" + e.Role.Slug + "/resume", Token: c.QueryParam("k"), CSRF: csrfToken(c),
	}))
}

// handleResumeTake puts the check of a resume link in this browser's
// cookie and carries on with it.
func (s *Server) handleResumeTake(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	if err := onlyFields(form, "k"); err != nil {
		return err
	}
	st, ok := s.openResume(form.Get("k"), e.Role.Slug)
	if !ok {
		return badResumeLink
	}
	if err := s.saveCheck(c, st); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/roles/"+e.Role.Slug+"/check")
}
