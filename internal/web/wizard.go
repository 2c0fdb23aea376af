package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/links"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/submission"
	"github.com/rolefit/rolefit/views/layout"
	"github.com/rolefit/rolefit/views/rolepage"
	"github.com/rolefit/rolefit/views/wizard"
)

// SubmissionStore keeps completed checks and counts applicants' progress.
type SubmissionStore interface {
	submission.Store
	// RoleVersion reads the version an older result was made against.
	RoleVersion(ctx context.Context, id int64) (role.Version, error)
}

// checkContext is what every wizard request needs.
type checkContext struct {
	entry *catalog.Entry
	state *checkState
	plan  *check.Plan
}

func (cc *checkContext) stepURL(n int) string {
	return "/roles/" + cc.entry.Role.Slug + "/check/" + strconv.Itoa(n)
}

// loadCheckContext returns the applicant's check of the role in the path.
// A check made against an older version of the role is carried over to
// the current one by item id, so that nothing already answered is lost.
func (s *Server) loadCheckContext(c echo.Context) (*checkContext, error) {
	e, err := s.publishedRole(c)
	if err != nil {
		return nil, err
	}
	st := s.loadCheck(c)
	if st == nil || st.Slug != e.Role.Slug {
		return &checkContext{entry: e}, nil
	}
	if st.VersionID != e.VersionID {
		st = s.carryOver(c.Request().Context(), e, st)
	}
	p := s.plans.get(e, st.Mode, st.Specialty)
	st.Answers = p.Fit(st.Answers)
	return &checkContext{entry: e, state: st, plan: p}, nil
}

// carryOver maps a check's answers from the version it began on to the
// current one. If the old version cannot be read, the answers start over.
func (s *Server) carryOver(ctx context.Context, e *catalog.Entry, st *checkState) *checkState {
	next := &checkState{Slug: st.Slug, VersionID: e.VersionID, Mode: st.Mode, Specialty: -1}
	old, oldPlan, err := s.planAt(ctx, e, st.VersionID, st.Mode, st.Specialty)
	if err != nil {
		return next
	}
	if st.Specialty >= 0 && st.Specialty < len(old.Specialties) {
		next.Specialty = check.SpecialtyIndex(e.Role, old.Specialties[st.Specialty].Name)
	}
	p := s.plans.get(e, next.Mode, next.Specialty)
	next.Answers = p.CarryOver(oldPlan, st.Answers)
	next.Reached = min(st.Reached, p.FirstOpen(next.Answers)-1)
	return next
}

// planAt returns the role of e as it was at the given version and the plan
// of a check of it: the current version's plan is the cached one.
func (s *Server) planAt(ctx context.Context, e *catalog.Entry, versionID int64, mode score.Mode, specialty int) (*role.Role, *check.Plan, error) {
	if versionID == e.VersionID {
		return e.Role, s.plans.get(e, mode, specialty), nil
	}
	r, err := s.roleAt(ctx, e.Role.Slug, versionID)
	if err != nil {
		return nil, nil, err
	}
	return r, check.NewPlan(r, mode, specialty), nil
}

// roleAt returns the role at the given version, with today's overrides.
func (s *Server) roleAt(ctx context.Context, slug string, versionID int64) (*role.Role, error) {
	if e, ok := s.Catalog.Get(slug); ok && e.VersionID == versionID {
		return e.Role, nil
	}
	v, err := s.Submissions.RoleVersion(ctx, versionID)
	if err != nil {
		return nil, err
	}
	if v.Slug != slug {
		return nil, fmt.Errorf("web: version %d belongs to %q, not %q", versionID, v.Slug, slug)
	}
	return s.Catalog.RoleAt(v, v.Overrides)
}

// event counts one step of an applicant's way for the dashboard. A failure
// to count never stands in the applicant's way.
func (s *Server) event(ctx context.Context, ev submission.Event) {
	if ev.Day == "" {
		ev.Day = s.today()
	}
	if err := s.Submissions.RecordEvent(ctx, ev); err != nil {
		s.Logger.Warn("count event", "event", ev.Name, "err", err)
	}
}

// today is the UTC date: the only time rolefit keeps with a submission.
func (s *Server) today() string { return s.Now().UTC().Format("2006-01-02") }

func (s *Server) handleCheckStart(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	if err := onlyFields(form, "mode", "specialty", "confirm"); err != nil {
		return err
	}
	mode := score.Mode(form.Get("mode"))
	if !mode.Valid() {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose the quick check or the full assessment.")
	}
	spec := -1
	if name := form.Get("specialty"); name != "" {
		if spec = check.SpecialtyIndex(e.Role, name); spec < 0 {
			return echo.NewHTTPError(http.StatusBadRequest, "That specialty is not one of this role's. Go back and choose from the list.")
		}
	}
	if cur := s.underway(c, e); cur != nil && cur.Answered > 0 && form.Get("confirm") != "yes" {
		// Starting over clears saved answers: ask first.
		return s.render(c, http.StatusOK, wizard.ConfirmStart(s.meta(c, "Start again?"), wizard.ConfirmStartModel{
			RoleTitle: e.Role.Title, RoleURL: "/roles/" + e.Role.Slug, Current: *cur,
			NewMode: check.ModeTitle(mode), Action: "/roles/" + e.Role.Slug + "/check",
			Mode: string(mode), Specialty: form.Get("specialty"), CSRF: csrfToken(c),
			ContinueURL: "/roles/" + e.Role.Slug + "/check",
		}))
	}
	st := &checkState{Slug: e.Role.Slug, VersionID: e.VersionID, Mode: mode, Specialty: spec}
	if err := s.saveCheck(c, st); err != nil {
		return err
	}
	s.event(c.Request().Context(), submission.Event{RoleSlug: e.Role.Slug, VersionID: e.VersionID, Channel: "site", Mode: string(mode), Name: "started"})
	return c.Redirect(http.StatusSeeOther, "/roles/"+e.Role.Slug+"/check/1")
}

// handleCheckResume sends the applicant to the first step still open.
func (s *Server) handleCheckResume(c echo.Context) error {
	cc, err := s.loadCheckContext(c)
	if err != nil {
		return err
	}
	if cc.state == nil {
		return s.noCheck(c, cc)
	}
	return c.Redirect(http.StatusSeeOther, cc.stepURL(min(cc.plan.FirstOpen(cc.state.Answers), len(cc.plan.Steps))))
}

// noCheck answers a request for a page of a check when the browser holds
// none: the applicant learns why, rather than landing on the role page.
func (s *Server) noCheck(c echo.Context, cc *checkContext) error {
	return s.checkProblem(c, cc, http.StatusNotFound, "No check under way",
		"This browser has no check of this role under way: it may have been finished, cleared, or begun in another browser. Start one from the role page.")
}

// checkProblem shows why a page of the check cannot be shown, with a way
// back to the check under way, if any, and to the role page.
func (s *Server) checkProblem(c echo.Context, cc *checkContext, status int, title, msg string) error {
	vm := wizard.ProblemModel{Title: title, Message: msg, RoleTitle: cc.entry.Role.Title, RoleURL: "/roles/" + cc.entry.Role.Slug}
	if cc.state != nil {
		vm.ContinueURL = "/roles/" + cc.entry.Role.Slug + "/check"
	}
	return s.render(c, status, wizard.Problem(s.meta(c, title), vm))
}

// stepNumber reads the step from the path. It reports 0 for a step that
// does not exist.
func (cc *checkContext) stepNumber(c echo.Context) int {
	n, err := strconv.Atoi(c.Param("step"))
	if err != nil || n < 1 || n > len(cc.plan.Steps) || strconv.Itoa(n) != c.Param("step") {
		return 0
	}
	return n
}

// guardStep resolves the step of the request. It answers with a message
// page when there is no check or no such step, and redirects when an
// earlier step is still open: steps are answered in order. It reports
// step 0 when it has answered.
func (s *Server) guardStep(c echo.Context) (*checkContext, int, error) {
	cc, err := s.loadCheckContext(c)
	if err != nil {
		return nil, 0, err
	}
	if cc.state == nil {
		return cc, 0, s.noCheck(c, cc)
	}
	n := cc.stepNumber(c)
	if n == 0 {
		return cc, 0, s.checkProblem(c, cc, http.StatusNotFound, "No such step",
			"Your "+check.ModeTitle(cc.state.Mode)+" has "+strconv.Itoa(len(cc.plan.Steps))+" steps, and this address names none of them. Your answers are kept.")
	}
	if open := cc.plan.FirstOpen(cc.state.Answers); n > open {
		return cc, 0, c.Redirect(http.StatusSeeOther, cc.stepURL(open))
	}
	return cc, n, nil
}

func (s *Server) handleWizardStep(c echo.Context) error {
	cc, n, err := s.guardStep(c)
	if err != nil || n == 0 {
		return err
	}
	values := map[int]string{}
	for _, q := range cc.plan.Steps[n-1].Questions {
		values[q] = check.FormValue(cc.plan.Questions[q].Kind, cc.state.Answers[q])
	}
	if currentUser(c) == nil {
		// The step is the same for every applicant but for the answers:
		// it is assembled from parts rendered once.
		return s.stepPages.write(c, s, cc, n, values)
	}
	return s.renderStep(c, http.StatusOK, cc, n, values, nil)
}

// The buttons of a step.
const (
	actionNext = "next"
	actionBack = "back"
	actionSave = "save"
)

func (s *Server) handleWizardPost(c echo.Context) error {
	cc, n, err := s.guardStep(c)
	if err != nil || n == 0 {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	action := form.Get("action")
	if action == "" {
		action = actionNext
	}
	if action != actionNext && action != actionBack && action != actionSave {
		return echo.NewHTTPError(http.StatusBadRequest, "Use the form's buttons: next, back, or save and continue later.")
	}
	step := cc.plan.Steps[n-1]
	for name := range form {
		if q, ok := cc.plan.Position(name); (!ok || cc.plan.Questions[q].Step != n) && name != "action" {
			return echo.NewHTTPError(http.StatusBadRequest, "The form named an item that is not part of this step. Reload the page and try again.")
		}
	}

	raw := map[int]string{}
	fieldErrs := map[int]string{}
	for _, q := range step.Questions {
		v := strings.TrimSpace(form.Get(cc.plan.Questions[q].ID))
		raw[q] = v
		// Saving or going back keeps what is given and forgets what was
		// cleared.
		canon, msg := check.ReadAnswer(cc.plan.Questions[q].Kind, v, action == actionNext)
		if msg != "" {
			fieldErrs[q] = msg
			continue
		}
		cc.state.Answers[q] = canon
	}
	if len(fieldErrs) > 0 {
		// Keep the valid answers, show every problem beside its item.
		if err := s.saveCheck(c, cc.state); err != nil {
			return err
		}
		return s.renderStep(c, http.StatusUnprocessableEntity, cc, n, raw, fieldErrs)
	}

	ctx := c.Request().Context()
	if action == actionNext && n > cc.state.Reached {
		cc.state.Reached = n
		s.event(ctx, submission.Event{RoleSlug: cc.entry.Role.Slug, VersionID: cc.entry.VersionID, Channel: "site",
			Mode: string(cc.state.Mode), Name: "step", Step: n})
	}
	switch {
	case action == actionBack && n == 1:
		err = s.saveCheck(c, cc.state)
		return redirectAfter(c, err, "/roles/"+cc.entry.Role.Slug)
	case action == actionBack:
		err = s.saveCheck(c, cc.state)
		return redirectAfter(c, err, cc.stepURL(n-1))
	case action == actionSave:
		err = s.saveCheck(c, cc.state)
		return redirectAfter(c, err, "/roles/"+cc.entry.Role.Slug+"/check/saved")
	case n < len(cc.plan.Steps):
		err = s.saveCheck(c, cc.state)
		return redirectAfter(c, err, cc.stepURL(n+1))
	}
	return s.submitCheck(c, cc)
}

func redirectAfter(c echo.Context, err error, to string) error {
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// submitCheck stores the finished check and sends the applicant to the
// result. The redirect comes only after the commit is durable.
func (s *Server) submitCheck(c echo.Context, cc *checkContext) error {
	if open := cc.plan.FirstOpen(cc.state.Answers); open <= len(cc.plan.Steps) {
		return c.Redirect(http.StatusSeeOther, cc.stepURL(open))
	}
	answers := cc.plan.Scored(cc.state.Answers)
	res := score.Score(cc.entry.Role, cc.state.Mode, answers)
	token, hash, err := s.newToken()
	if err != nil {
		return err
	}
	sub := &submission.Submission{TokenHash: hash, RoleSlug: cc.entry.Role.Slug, VersionID: cc.entry.VersionID,
		Mode: string(cc.state.Mode), Channel: "site", Day: s.today(), Answers: answers,
		Fits: res.Fits(), Recommended: res.Recommended, Overrides: cc.entry.Overrides}
	if cc.state.Specialty >= 0 && cc.state.Specialty < len(cc.entry.Role.Specialties) {
		sub.Specialty = cc.entry.Role.Specialties[cc.state.Specialty].Name
	}
	if err := s.Submissions.CreateSubmission(c.Request().Context(), sub); err != nil {
		return err
	}
	if err := s.saveCheck(c, nil); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/results/"+token)
}

// tokenBytes is the size of a result token: 192 random bits.
const tokenBytes = 24

// newToken returns a random result token and its SHA-256, which is all
// that is stored.
func (s *Server) newToken() (string, []byte, error) {
	b := make([]byte, tokenBytes)
	if _, err := io.ReadFull(s.Rand, b); err != nil {
		return "", nil, fmt.Errorf("web: result token: %w", err)
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	sum := sha256.Sum256([]byte(token))
	return token, sum[:], nil
}

// postForm returns the request's form body, refusing a field sent twice:
// an answer must be unambiguous. The CSRF field is checked elsewhere.
func postForm(c echo.Context) (url.Values, error) {
	req := c.Request()
	if req.PostForm == nil {
		if err := req.ParseForm(); err != nil {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "The form could not be read.")
		}
	}
	out := url.Values{}
	for k, v := range req.PostForm {
		if k == csrfField {
			continue
		}
		if len(v) > 1 {
			return nil, echo.NewHTTPError(http.StatusBadRequest, "The form sent the same field twice. Reload the page and try again.")
		}
		out[k] = v
	}
	return out, nil
}

// onlyFields refuses a form with fields other than the named ones.
func onlyFields(form url.Values, names ...string) error {
	for k := range form {
		known := false
		for _, n := range names {
			known = known || k == n
		}
		if !known {
			return echo.NewHTTPError(http.StatusBadRequest, "The form sent a field rolefit does not know. Reload the page and try again.")
		}
	}
	return nil
}

func (s *Server) handleCheckSaved(c echo.Context) error {
	cc, err := s.loadCheckContext(c)
	if err != nil {
		return err
	}
	if cc.state == nil {
		return s.noCheck(c, cc)
	}
	link, until, err := s.resumeLink(c, cc.state)
	if err != nil {
		return err
	}
	m := s.meta(c, "Answers saved")
	m.Scripts = append(m.Scripts, s.assets.url("js/copy.js"))
	return s.render(c, http.StatusOK, wizard.Saved(m, wizard.SavedModel{
		RoleTitle: cc.entry.Role.Title, RoleURL: "/roles/" + cc.entry.Role.Slug,
		ContinueURL: "/roles/" + cc.entry.Role.Slug + "/check",
		Answered:    check.Answered(cc.state.Answers), Total: len(cc.plan.Questions),
		ResumeLink: link, ResumeUntil: until.UTC().Format("2 January 2006"),
	}))
}

// resume describes the applicant's unfinished check of a role for the
// role page, or nil.
func (s *Server) resume(c echo.Context, e *catalog.Entry) *rolepage.Resume {
	u := s.underway(c, e)
	if u == nil {
		return nil
	}
	return &rolepage.Resume{URL: "/roles/" + e.Role.Slug + "/check", Mode: u.Mode, Answered: u.Answered, Total: u.Total}
}

// underway describes the browser's unfinished check of the role, or nil.
func (s *Server) underway(c echo.Context, e *catalog.Entry) *wizard.Underway {
	st := s.loadCheck(c)
	if st == nil || st.Slug != e.Role.Slug {
		return nil
	}
	return s.describeCheck(e, st)
}

// describeCheck says how far check st of the role of e has come.
func (s *Server) describeCheck(e *catalog.Entry, st *checkState) *wizard.Underway {
	p := s.plans.get(e, st.Mode, st.Specialty)
	return &wizard.Underway{Mode: check.ModeTitle(st.Mode),
		Answered: min(check.Answered(st.Answers), len(p.Questions)), Total: len(p.Questions)}
}

func (s *Server) renderStep(c echo.Context, status int, cc *checkContext, n int, values map[int]string, errs map[int]string) error {
	m, vm := s.stepPage(c, cc, n, values, errs)
	return s.render(c, status, wizard.Page(m, vm))
}

// stepPage returns the frame and view model of step n.
func (s *Server) stepPage(c echo.Context, cc *checkContext, n int, values map[int]string, errs map[int]string) (layout.Meta, wizard.Step) {
	step := cc.plan.Steps[n-1]
	r := cc.entry.Role
	vm := wizard.Step{
		RoleTitle: r.Title, RoleURL: "/roles/" + r.Slug,
		Number: n, Total: len(cc.plan.Steps), Last: n == len(cc.plan.Steps),
		Action: cc.stepURL(n), Scale: wizardScale, Mode: check.ModeTitle(cc.state.Mode),
		Answered: check.Answered(cc.state.Answers), Questions: len(cc.plan.Questions),
	}
	switch {
	case step.Specialty != nil:
		vm.Heading = "Specialty: " + step.Specialty.Name
		vm.Intro = "These items belong to the specialty you chose. They are shown on your result separately and do not change your fit for any level."
	default:
		vm.Heading = step.Level.Title + ": " + strings.ToLower(sectionName(step.Section))
		vm.Intro = stepIntro(r, step)
	}
	if step.Parts > 1 {
		vm.Heading += " (part " + strconv.Itoa(step.Part) + " of " + strconv.Itoa(step.Parts) + ")"
	}
	for _, q := range step.Questions {
		qq := cc.plan.Questions[q]
		it := stepItem(qq, step, values[q], errs[q])
		vm.Items = append(vm.Items, it)
		if it.Error != "" {
			vm.Errors = append(vm.Errors, errorLink(qq, it.Error))
		}
	}
	title := vm.Heading
	if len(vm.Errors) > 0 {
		title = "Error: " + title
	}
	m := s.meta(c, title)
	m.Scripts = append(m.Scripts, s.assets.url("js/wizard.js"))
	return m, vm
}

// wizardScale is the skill scale as the wizard's help explains it.
var wizardScale = viewScales[role.KindSkill]

// viewScale is the 0–4 scale of a kind as the wizard shows it, or nil for
// a kind answered otherwise.
func viewScale(k role.Kind) []wizard.ScalePoint {
	var out []wizard.ScalePoint
	for v, p := range check.AnsweringOf(k).Scale {
		out = append(out, wizard.ScalePoint{Value: strconv.Itoa(v), Label: p.Label, Anchor: p.Anchor})
	}
	return out
}

// viewScales holds each rated kind's scale, made once.
var viewScales = func() map[role.Kind][]wizard.ScalePoint {
	out := map[role.Kind][]wizard.ScalePoint{}
	for _, k := range role.Kinds {
		if k.Rated() {
			out[k] = viewScale(k)
		}
	}
	return out
}()

// stepItem is the view of question qq on its step, with the answer value
// as the form sends it and the message err beside it.
func stepItem(qq check.Question, step check.Step, value, err string) wizard.Item {
	// A link followed from a question must not lose the step's answers.
	it := wizard.Item{ID: qq.ID, HTML: links.Rewrite(qq.Display(), "", true), Kind: string(qq.Kind),
		Prompt: check.AnsweringOf(qq.Kind).Prompt, Scale: viewScales[qq.Kind], Bonus: qq.Bonus, Value: value, Error: err}
	for _, d := range qq.DetailsHTML {
		it.Details = append(it.Details, links.Rewrite(d, "", true))
	}
	if qq.Owner == "" && step.Specialty == nil {
		it.Note = "Asked of every level"
	}
	if qq.Kind == role.KindExperience {
		it.MinYears = strconv.FormatFloat(qq.MinYears, 'f', -1, 64)
	}
	return it
}

// stepIntro says where a step's items come from.
func stepIntro(r *role.Role, st check.Step) string {
	if st.Level.Extends != "" {
		if p := r.Level(st.Level.Extends); p != nil {
			return "These are new at this level. What " + p.Title + " asks you have answered already; it counts here too, at a higher standard."
		}
	}
	if st.Section == role.Responsibilities {
		return "Rate how much you have done each of these."
	}
	return "Rate yourself on each requirement. There are no wrong answers: an honest rating gives the most useful result."
}

// errorLink is the line of the error summary that leads to question q.
func errorLink(q check.Question, msg string) wizard.ErrorLink {
	return wizard.ErrorLink{Target: "i-" + q.ID, Text: plainSnippet(q.Text) + ": " + msg}
}

// plainSnippet shortens an item's text for the error summary.
func plainSnippet(s string) string {
	const max = 60
	if r := []rune(s); len(r) > max {
		return strings.TrimSpace(string(r[:max])) + "…"
	}
	return s
}
