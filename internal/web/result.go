package web

import (
	"crypto/sha256"
	"encoding/base64"
	"errors"
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
	"github.com/rolefit/rolefit/internal/submission"
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
// as it was when the check was made: its version, with the overrides in
// force then.
func (s *Server) loadResult(c echo.Context) (*submission.Submission, *role.Role, error) {
	h, err := tokenHash(c)
	if err != nil {
		return nil, nil, err
	}
	ctx := c.Request().Context()
	sub, err := s.Submissions.FindSubmission(ctx, h)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.Submissions.RoleVersion(ctx, sub.VersionID)
	if err != nil {
		return nil, nil, err
	}
	if v.Slug != sub.RoleSlug {
		return nil, nil, fmt.Errorf("web: version %d belongs to %q, not %q", v.ID, v.Slug, sub.RoleSlug)
	}
	r, err := s.Catalog.RoleAt(v, sub.Overrides)
	if err != nil {
		return nil, nil, err
	}
	return sub, r, nil
}

func (s *Server) handleResult(c echo.Context) error {
	sub, r, err := s.loadResult(c)
	if errors.Is(err, apperr.ErrGone) {
		return s.render(c, http.StatusGone, result.DeletedPage(s.meta(c, "Answers deleted")))
	}
	if err != nil {
		return err
	}
	mode := score.Mode(sub.Mode)
	res := score.Score(r, mode, sub.Answers)
	base := "/results/" + c.Param("token")
	vm := result.Model{
		RoleTitle: r.Title, RoleURL: "/roles/" + r.Slug, Quick: mode == score.Quick, Mode: check.ModeTitle(mode),
		Hiring: r.HiringProcess, ShareURL: s.embedBase(c) + base,
		ChangeURL: base + "/change", DeleteURL: base + "/delete",
		Verdict: verdict(res),
	}
	if e, ok := s.Catalog.Get(r.Slug); ok {
		vm.Outdated = e.VersionID != sub.VersionID
		if e.Role.ApplyURL != "" && !e.Archived {
			vm.ApplyURL = base + "/apply"
		}
	}
	ladder := score.Ladder(r)
	for i, lf := range res.Levels {
		lv := result.Level{Slug: lf.Slug, Title: lf.Title, Assessed: lf.Assessed,
			Fit: lf.Percent(), Band: string(lf.Band), BandLabel: lf.Band.Label(), Capped: cappedWords(lf),
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
		for j, g := range lf.Gaps {
			if j < cardGaps {
				lv.Gaps = append(lv.Gaps, line(g))
			} else {
				lv.MoreGaps = append(lv.MoreGaps, line(g))
			}
		}
		if lv.Recommended {
			for _, b := range lf.BonusMet {
				vm.Bonus = append(vm.Bonus, line(b))
			}
			vm.Advice = advice(lf.Gaps)
		}
		vm.Levels = append(vm.Levels, lv)
	}
	for _, st := range res.Strengths {
		vm.Strengths = append(vm.Strengths, line(st))
	}
	kinds := map[role.Kind]bool{}
	for _, lf := range res.Levels {
		for _, ir := range lf.Items {
			kinds[ir.Kind] = true
		}
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
				kinds[it.Kind] = true
				vs.Items = append(vs.Items, line(ir))
			}
		}
		vm.Specialty = vs
	}
	for _, a := range check.AllAnswering() {
		if kinds[a.Kind] {
			vm.Kinds = append(vm.Kinds, result.Kind{Name: a.Name, Scoring: a.Scoring})
		}
	}
	m := s.meta(c, "Your fit for "+r.Title)
	m.Scripts = append(m.Scripts, s.assets.url("js/copy.js"))
	return s.render(c, http.StatusOK, result.Page(m, vm))
}

// cardGaps is how many gaps a level card lists before the rest fold away.
const cardGaps = 5

// verdict puts the recommendation and the rule behind it into words.
func verdict(res score.Result) result.Verdict {
	lf := res.Level(res.Recommended)
	if lf == nil {
		return result.Verdict{}
	}
	v := result.Verdict{Level: lf.Slug, Title: lf.Title, Kind: "fit"}
	if !res.Closest {
		v.Reason = fmt.Sprintf("It is the highest level you fit well: %d %%, a %s, with no rated item two or more steps below what it expects.",
			lf.Percent(), strings.ToLower(lf.Band.Label()))
		return v
	}
	v.Kind = "closest"
	if lf.IsCapped() {
		v.Reason = fmt.Sprintf("No level is a good fit yet. This is the one you come closest to: %d %%, but %s. So it counts as a %s, not a %s: a level is a good fit only when nothing is that far short.",
			lf.Percent(), shortItems(*lf, "it"), strings.ToLower(lf.Band.Label()), strings.ToLower(lf.FitBand.Label()))
		return v
	}
	v.Reason = fmt.Sprintf("No level is a good fit yet: that takes 70 %% or more, with no rated item two or more steps short. This is the one you come closest to, at %d %%.", lf.Percent())
	return v
}

// cappedWords says on a level's card why its band is lower than its fit
// alone gives ("Capped at partial fit: 2 items are two or more steps below
// what this level expects: …"); "" when the band is not capped.
func cappedWords(lf score.LevelFit) string {
	if !lf.IsCapped() {
		return ""
	}
	return "Capped at " + strings.ToLower(lf.Band.Label()) + ": " + shortItems(lf, "this level") + "."
}

// shortItems names the items that cap a level ("2 items are two or more
// steps below what this level expects: “…”, “…”"); where names the level
// in the sentence.
func shortItems(lf score.LevelFit, where string) string {
	const named = 3
	var names []string
	for i, ir := range lf.Capped {
		if i == named {
			names = append(names, fmt.Sprintf("and %d more", len(lf.Capped)-named))
			break
		}
		names = append(names, "“"+plainSnippet(ir.Text)+"”")
	}
	are := "items are"
	if len(lf.Capped) == 1 {
		are = "item is"
	}
	return fmt.Sprintf("%d %s two or more steps below what %s expects: %s", len(lf.Capped), are, where, strings.Join(names, ", "))
}

// advice is what would move gaps, once per kind of item among them.
func advice(gaps []score.ItemResult) []result.Advice {
	n := map[role.Kind]int{}
	for _, g := range gaps {
		n[g.Kind]++
	}
	var out []result.Advice
	for _, a := range check.AllAnswering() {
		if n[a.Kind] > 0 {
			out = append(out, result.Advice{Name: a.Name, Gaps: n[a.Kind], Text: a.Advice})
		}
	}
	return out
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
	l := result.Line{HTML: ir.Display(), Kind: string(ir.Kind), Short: !ir.Bonus && ir.Short()}
	if w := ir.W(); w != 1 {
		l.Weight = "counts " + strconv.FormatFloat(w, 'f', -1, 64) + "×"
	}
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
		l.Expected = rating(ir.Kind, ir.Expected)
		l.You = rating(ir.Kind, ir.Given)
	}
	if !ir.Answered {
		l.You = "not answered"
	}
	return l
}

// rating names a point of kind k's scale: "Proficient (3)".
func rating(k role.Kind, v float64) string {
	scale := check.AnsweringOf(k).Scale
	i := int(math.Round(v))
	if i < 0 || i >= len(scale) {
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return scale[i].Label + " (" + strconv.Itoa(i) + ")"
}

func years(v float64) string {
	if v == 1 {
		return "1 year"
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " years"
}

// handleResultDeleteConfirm asks before deleting: the result page links
// here, so a deletion always takes two deliberate steps, with or without
// JavaScript.
func (s *Server) handleResultDeleteConfirm(c echo.Context) error {
	_, r, err := s.loadResult(c)
	if errors.Is(err, apperr.ErrGone) {
		return s.render(c, http.StatusGone, result.DeletedPage(s.meta(c, "Answers deleted")))
	}
	if err != nil {
		return err
	}
	base := "/results/" + c.Param("token")
	return s.render(c, http.StatusOK, result.ConfirmPage(s.meta(c, "Delete your answers?"), result.Confirm{
		RoleTitle: r.Title, ResultURL: base, DeleteURL: base + "/delete"}))
}

func (s *Server) handleResultDelete(c echo.Context) error {
	h, err := tokenHash(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	err = s.Submissions.DeleteSubmission(ctx, h)
	if errors.Is(err, apperr.ErrNotFound) {
		// Sent twice (a double click, or the form again from history): it
		// is deleted, which is what was asked.
		if _, ferr := s.Submissions.FindSubmission(ctx, h); errors.Is(ferr, apperr.ErrGone) {
			err = nil
		}
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/results/deleted")
}

func (s *Server) handleResultDeleted(c echo.Context) error {
	return s.render(c, http.StatusOK, result.DeletedPage(s.meta(c, "Answers deleted")))
}

// handleResultChange starts a new check of the role pre-filled with this
// result's answers, in a fresh wizard session. The wizard asks the role's
// current version, so the answers are carried over by item id, as a
// check begun before a change would be; an item whose kind has changed
// since is asked afresh. The result itself stays until its owner deletes
// it.
func (s *Server) handleResultChange(c echo.Context) error {
	sub, r, err := s.loadResult(c)
	if err != nil {
		return err
	}
	e, ok := s.Catalog.Get(sub.RoleSlug)
	if !ok || e.Archived {
		return echo.NewHTTPError(http.StatusNotFound, "This role is closed, so its check cannot be taken again. Your result stays as it is.")
	}
	mode := score.Mode(sub.Mode)
	spec := check.SpecialtyIndex(e.Role, sub.Specialty)
	p := s.plans.get(e, mode, spec)
	// Reached stays 0, so the dashboard counts each step as it is passed.
	st := &checkState{Slug: e.Role.Slug, VersionID: e.VersionID, Mode: mode, Specialty: spec, Answers: make([]string, len(p.Questions))}
	old := check.NewPlan(r, mode, check.SpecialtyIndex(r, sub.Specialty))
	for i, q := range p.Questions {
		v, answered := sub.Answers[q.ID]
		if j, asked := old.Position(q.ID); answered && asked && old.Questions[j].Kind == q.Kind {
			st.Answers[i] = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	if err := s.saveCheck(c, st); err != nil {
		return err
	}
	s.event(c.Request().Context(), submission.Event{RoleSlug: e.Role.Slug, VersionID: e.VersionID, Channel: "site", Mode: string(mode), Name: "started"})
	return c.Redirect(http.StatusSeeOther, "/roles/"+e.Role.Slug+"/check/1")
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
	s.event(c.Request().Context(), submission.Event{RoleSlug: sub.RoleSlug, VersionID: sub.VersionID, Channel: sub.Channel,
		Mode: sub.Mode, Name: "apply", Host: sub.EmbedHost})
	return c.Redirect(http.StatusSeeOther, e.Role.ApplyURL)
}
