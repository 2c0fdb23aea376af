package web

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/views/result"
)

// tokenHash returns the SHA-256 of the token in the path, or not found for
// anything that cannot be a token, before any database work.
func tokenHash(c echo.Context) ([]byte, error) {
	t := c.Param("token")
	if b, err := base64.RawURLEncoding.DecodeString(t); err != nil || len(b) != tokenBytes {
		return nil, apperr.ErrNotFound
	}
	sum := sha256.Sum256([]byte(t))
	return sum[:], nil
}

// loadResult returns the submission of the token in the path and the role
// as it was when the check was made.
func (s *Server) loadResult(c echo.Context) (*sqlite.Submission, *role.Role, error) {
	h, err := tokenHash(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	sub, err := s.Submissions.FindSubmission(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	r, err := s.roleAt(ctx, sub.RoleSlug, sub.VersionID)
	if err != nil {
		return nil, nil, err
	}
	return sub, r, nil
}

func (s *Server) handleResult(c echo.Context) error {
	sub, r, err := s.loadResult(c)
	if err != nil {
		return err
	}
	mode := score.Mode(sub.Mode)
	res := score.Score(r, mode, sub.Answers)
	token := c.Param("token")
	vm := result.Model{
		RoleTitle: r.Title, RoleURL: "/roles/" + r.Slug, Quick: mode == score.Quick,
		Hiring: r.HiringProcess, DeleteURL: "/results/" + token + "/delete", CSRF: csrfToken(c),
	}
	vm.Mode = check.ModeTitle(mode)
	if e, ok := s.Catalog.Get(r.Slug); ok {
		vm.Outdated = e.VersionID != sub.VersionID
		if e.Role.ApplyURL != "" && !e.Archived {
			vm.ApplyURL = "/results/" + token + "/apply"
		}
	}
	ladder := score.Ladder(r)
	for i, lf := range res.Levels {
		lv := result.Level{Slug: lf.Slug, Title: lf.Title, Assessed: lf.Assessed,
			Fit: lf.Percent(), Band: string(lf.Band), BandLabel: lf.Band.Label(),
			Recommended: lf.Slug == res.Recommended}
		short := shortTitle(lf.Title)
		verb := "adds"
		if i == 0 || ladder[i].Extends == "" {
			verb = "asks for"
		}
		lv.Own = fmt.Sprintf("%s %s %s; you meet %d.", short, verb, items(lf.Own.Total), lf.Own.Met)
		if lf.Inherited.Total > 0 {
			lv.Inherited = fmt.Sprintf("It also expects %s from the level below at a higher standard; you meet %d.", items(lf.Inherited.Total), lf.Inherited.Met)
		}
		for _, g := range lf.Gaps {
			lv.Gaps = append(lv.Gaps, line(g))
		}
		if lv.Recommended {
			vm.Recommended = lf.Title
			vm.Closest = res.Closest
			for _, b := range lf.BonusMet {
				vm.Bonus = append(vm.Bonus, line(b))
			}
		}
		vm.Levels = append(vm.Levels, lv)
	}
	for _, st := range res.Strengths {
		vm.Strengths = append(vm.Strengths, line(st))
	}
	if sp := r.Specialty(sub.Specialty); sp != nil {
		vs := &result.Specialty{Name: sp.Name}
		for _, sec := range role.Sections {
			for _, it := range sp.Items(sec) {
				e := role.Effective{Item: it, Section: sec}
				if !mode.Asks(e) {
					continue
				}
				ir := score.Item(e, sub.Answers)
				if !it.Bonus {
					vs.Total++
					if ir.Met() {
						vs.Met++
					}
				}
				vs.Items = append(vs.Items, line(ir))
			}
		}
		vm.Specialty = vs
	}
	return s.render(c, http.StatusOK, result.Page(s.meta(c, "Your fit for "+r.Title), vm))
}

// shortTitle drops the family name from a level's title where the page
// repeats it ("Product Manager - Marketing (Intermediate)" → "Intermediate").
func shortTitle(title string) string {
	if i := strings.LastIndex(title, "("); i > 0 && strings.HasSuffix(title, ")") {
		return title[i+1 : len(title)-1]
	}
	return title
}

func items(n int) string {
	if n == 1 {
		return "1 item"
	}
	return strconv.Itoa(n) + " items"
}

// line puts an item's answer and its bar into words.
func line(ir score.ItemResult) result.Line {
	l := result.Line{HTML: ir.Display()}
	switch ir.Kind {
	case role.KindExperience:
		l.Expected = "at least " + years(ir.Expected)
		l.You = years(ir.Given)
	case role.KindFact:
		l.Expected = "Yes"
		l.You = "No"
		if ir.Given >= 1 {
			l.You = "Yes"
		}
	default:
		l.Expected = rating(ir.Expected)
		l.You = rating(ir.Given)
	}
	if !ir.Answered {
		l.You = "not answered"
	}
	return l
}

func rating(v float64) string {
	i := int(math.Round(v))
	if i < 0 || i >= len(check.RatingScale) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return check.RatingScale[i].Label + " (" + strconv.Itoa(i) + ")"
}

func years(v float64) string {
	if v == 1 {
		return "1 year"
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " years"
}

func (s *Server) handleResultDelete(c echo.Context) error {
	h, err := tokenHash(c)
	if err != nil {
		return err
	}
	if err := s.Submissions.DeleteSubmission(c.Request().Context(), h); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/results/deleted")
}

func (s *Server) handleResultDeleted(c echo.Context) error {
	return s.render(c, http.StatusOK, result.DeletedPage(s.meta(c, "Answers deleted")))
}

// handleResultApply counts a click from a result to the role's apply link
// (per day, naming no one) and sends the applicant on.
func (s *Server) handleResultApply(c echo.Context) error {
	sub, _, err := s.loadResult(c)
	if err != nil {
		return err
	}
	e, ok := s.Catalog.Get(sub.RoleSlug)
	if !ok || e.Role.ApplyURL == "" || e.Archived {
		return echo.NewHTTPError(http.StatusNotFound, "This role takes no applications through rolefit at the moment.")
	}
	s.event(c.Request().Context(), sqlite.Event{RoleSlug: sub.RoleSlug, VersionID: sub.VersionID, Channel: sub.Channel,
		Mode: sub.Mode, Name: "apply"})
	return c.Redirect(http.StatusSeeOther, e.Role.ApplyURL)
}
