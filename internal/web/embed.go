package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"io"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/securecookie"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/check"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/submission"
	"github.com/rolefit/rolefit/views/admin"
	"github.com/rolefit/rolefit/views/embed"
)

// The widget is the quick check in an iframe on another site's job page.
// There a frame gets no cookies when the browser blocks third-party ones,
// so the widget sets none: what the check needs to remember travels in the
// form as a sealed state (encrypted and authenticated with the session
// keys), and that state is also what protects its POST instead of the
// cookie-bound CSRF token of the rest of the site.

// Cache lifetimes of the embed script: the versioned file never changes
// (a change of its protocol gets a new version), the plain one is short so
// that job pages pick up fixes within minutes.
const (
	embedScriptMaxAge   = "public, max-age=300"
	embedVersionedCache = "public, max-age=31536000, immutable"
)

// embedStateTTL is how long a check in the frame may take from the first
// page to the answers sent.
const embedStateTTL = 2 * time.Hour

// embedStateName names the sealed state in its MAC, so that neither the
// session cookie nor anything else sealed with the same keys can pass for it.
const embedStateName = "rolefit_embed"

// embedState is what the frame's form carries, sealed.
type embedState struct {
	Slug      string
	VersionID int64
	Mode      score.Mode
	// Origin is the embedding page's origin as its Referer said at the
	// first request ("" when unknown). Privacy: only the origin is kept,
	// and only here; the database gets the host or "other".
	Origin string
	Issued time.Time
	// Nonce makes each state unique, so that one is accepted once.
	Nonce string
	// Tried is set once the form has been sent, so that the start of a
	// check is counted once.
	Tried bool
	// Preview marks the admin page's live preview: it is scored and shown
	// but neither stored nor counted.
	Preview bool
	// Page is the page of the check shown (a step of its plan, 1-based);
	// Reached is the highest page completed, so each is counted once.
	Page, Reached int
	// Answers holds the answers given so far by position in the plan, as
	// in the site's check cookie.
	Answers []string
}

const embedStateFormat = "e2"

func (st embedState) encode() string {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return "0"
	}
	n := len(st.Answers)
	for n > 0 && st.Answers[n-1] == "" {
		n--
	}
	return strings.Join([]string{embedStateFormat, st.Slug, strconv.FormatInt(st.VersionID, 10), string(st.Mode),
		st.Origin, strconv.FormatInt(st.Issued.Unix(), 10), st.Nonce, flag(st.Tried), flag(st.Preview),
		strconv.Itoa(st.Page), strconv.Itoa(st.Reached), strings.Join(st.Answers[:n], ",")}, "|")
}

func decodeEmbedState(v string) (embedState, bool) {
	f := strings.Split(v, "|")
	if len(f) != 12 || f[0] != embedStateFormat {
		return embedState{}, false
	}
	st := embedState{Slug: f[1], Mode: score.Mode(f[3]), Origin: f[4], Nonce: f[6], Tried: f[7] == "1", Preview: f[8] == "1"}
	ver, err1 := strconv.ParseInt(f[2], 10, 64)
	issued, err2 := strconv.ParseInt(f[5], 10, 64)
	page, err3 := strconv.Atoi(f[9])
	reached, err4 := strconv.Atoi(f[10])
	if err1 != nil || err2 != nil || err3 != nil || err4 != nil || !st.Mode.Valid() || st.Nonce == "" || page < 1 {
		return embedState{}, false
	}
	st.VersionID, st.Issued, st.Page, st.Reached = ver, time.Unix(issued, 0), page, reached
	if f[11] != "" {
		st.Answers = strings.Split(f[11], ",")
	}
	return st, true
}

// sealEmbedState encrypts and authenticates st with the session keys.
func (s *Server) sealEmbedState(st embedState) (string, error) {
	v, err := securecookie.EncodeMulti(embedStateName, st.encode(), s.sessions.Codecs...)
	if err != nil {
		return "", fmt.Errorf("web: seal embed state: %w", err)
	}
	return v, nil
}

// openEmbedState returns the state sealed in v if it is authentic, fresh
// and for the role slug.
func (s *Server) openEmbedState(v, slug string) (embedState, bool) {
	var plain string
	if v == "" || len(v) > 8192 || securecookie.DecodeMulti(embedStateName, v, &plain, s.sessions.Codecs...) != nil {
		return embedState{}, false
	}
	st, ok := decodeEmbedState(plain)
	age := s.Now().Sub(st.Issued)
	if !ok || st.Slug != slug || st.Mode != score.Quick || age > embedStateTTL || age < -time.Minute {
		return embedState{}, false
	}
	return st, true
}

// originPattern is what a browser's origin looks like; anything else in a
// Referer is ignored.
var originPattern = regexp.MustCompile(`^https?://[a-z0-9.\-]+(:[0-9]{1,5})?$|^https?://\[[0-9a-f:.]+\](:[0-9]{1,5})?$`)

// parseOrigin returns the origin of an http(s) URL in lower case, or "".
func parseOrigin(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return ""
	}
	o := strings.ToLower(u.Scheme + "://" + u.Host)
	if !originPattern.MatchString(o) {
		return ""
	}
	return o
}

// ownOrigin is rolefit's own origin for the request.
func (s *Server) ownOrigin(c echo.Context) string {
	if s.Config.BaseURL != "" {
		return parseOrigin(s.Config.BaseURL)
	}
	return parseOrigin(c.Scheme() + "://" + c.Request().Host)
}

// embedAllowed reports whether origin may frame the widget.
func (s *Server) embedAllowed(origin string) bool {
	if len(s.Config.EmbedOrigins) == 0 {
		return origin != ""
	}
	for _, o := range s.Config.EmbedOrigins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// embedHost is what a submission records about the site it came from: the
// host of an allow-listed origin, else "other". Privacy: with no allow-list
// every site may embed the widget, and the host is still not recorded, so
// that the database holds no site names that nobody chose and that could
// single out a small employer's page; an operator who wants hosts lists
// the origins.
func (s *Server) embedHost(origin string) string {
	if len(s.Config.EmbedOrigins) > 0 && s.embedAllowed(origin) {
		if h, ok := config.OriginHost(origin); ok {
			return h
		}
	}
	return "other"
}

// frameAncestors is the widget's frame-ancestors source list.
func (s *Server) frameAncestors() string {
	if len(s.Config.EmbedOrigins) == 0 {
		return "'self' http: https:"
	}
	return "'self' " + strings.Join(s.Config.EmbedOrigins, " ")
}

// embedFrame is the middleware of every /embed/ page: it may be framed by
// the allowed origins, sets no cookie, is never cached, and shows its
// errors compactly inside the frame.
func (s *Server) embedFrame(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		h := c.Response().Header()
		h.Set("Content-Security-Policy", csp(s.frameAncestors()))
		h.Set("Cross-Origin-Resource-Policy", "cross-origin")
		h.Set("Cache-Control", "no-store")
		h.Del("X-Frame-Options")
		err := next(c)
		if err == nil || c.Response().Committed {
			return err
		}
		status, msg := errorStatus(err)
		if status >= 500 || c.Request().Method == http.MethodHead {
			return err
		}
		title := statusTitles[status]
		if title == "" {
			title = http.StatusText(status)
		}
		if msg == "" {
			msg = title + "."
		}
		vm := embed.Problem{Title: title, Message: msg}
		if _, ok := s.Catalog.Get(c.Param("slug")); ok && status != http.StatusTooManyRequests {
			vm.AgainURL = s.embedStartURL(c, c.Param("slug"), s.embedParent(c))
		}
		return s.renderEmbed(c, status, s.embedMeta(c, title, ""), func(f embed.Frame) error {
			return s.render(c, status, embed.ProblemPage(f, vm))
		})
	}
}

// embedLook reads the theme and accent the embedding page asked for.
// Values that are not allowed are ignored rather than refused: a typo in a
// job page's snippet should not break its widget. The theme is light
// unless the page asks for dark, or for auto: only then does the widget
// follow the colour scheme, which inside a frame is the host page's.
func embedLook(c echo.Context) (theme, accent string) {
	theme = c.QueryParam("theme")
	if theme != "auto" && theme != "dark" {
		theme = "light"
	}
	accent = strings.ToLower(c.QueryParam("accent"))
	if !accentPattern.MatchString(accent) {
		accent = ""
	}
	return theme, accent
}

// accentPattern is the only colour syntax the widget accepts, which keeps
// it safe to write into a style element.
var accentPattern = regexp.MustCompile(`^#(?:[0-9a-f]{3}|[0-9a-f]{6})$`)

// accentCSS sets the accent and a text colour readable on it: black or
// white, whichever contrasts more (at least 4.58:1 for any colour).
func accentCSS(accent string) string {
	if accent == "" {
		return ""
	}
	hex := accent[1:]
	if len(hex) == 3 {
		hex = string([]byte{hex[0], hex[0], hex[1], hex[1], hex[2], hex[2]})
	}
	var lum float64
	for i, w := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		ch := float64(v) / 255
		if ch <= 0.04045 {
			ch /= 12.92
		} else {
			ch = math.Pow((ch+0.055)/1.055, 2.4)
		}
		lum += w * ch
	}
	fg := "#fff"
	if (lum+0.05)/0.05 > 1.05/(lum+0.05) {
		fg = "#000"
	}
	return ":root{--accent:" + accent + ";--accent-fg:" + fg + "}"
}

// embedMeta is the frame of a widget page.
func (s *Server) embedMeta(c echo.Context, title, parent string) embed.Frame {
	theme, accent := embedLook(c)
	return embed.Frame{Title: title, CSS: s.assets.url("css/embed.css"), Script: s.assets.url("js/embed-frame.js"),
		Theme: theme, AccentCSS: accentCSS(accent), Parent: parent}
}

// renderEmbed lets the page's CSP allow its accent style element by hash,
// and no other inline style, then renders the page.
func (s *Server) renderEmbed(c echo.Context, status int, f embed.Frame, render func(embed.Frame) error) error {
	if f.AccentCSS != "" {
		sum := sha256.Sum256([]byte(f.AccentCSS))
		policy := strings.Replace(csp(s.frameAncestors()), "style-src 'self'",
			"style-src 'self' 'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'", 1)
		c.Response().Header().Set("Content-Security-Policy", policy)
	}
	return render(f)
}

// embedParent is the embedding page's origin carried in the query of the
// frame's own links ("o"), when it is allowed to frame the widget. It only
// ever serves as the target of postMessage, which the browser delivers
// solely to a parent of exactly that origin.
func (s *Server) embedParent(c echo.Context) string {
	return s.allowedParent(parseOrigin(c.QueryParam("o")))
}

// allowedParent returns origin when it may frame the widget, else "".
func (s *Server) allowedParent(origin string) string {
	if s.embedAllowed(origin) {
		return origin
	}
	return ""
}

// embedQuery keeps the look, the parent origin and a preview across the
// frame's pages.
func embedQuery(c echo.Context, parent string) string {
	q := url.Values{}
	theme, accent := embedLook(c)
	if theme != "light" {
		q.Set("theme", theme)
	}
	if accent != "" {
		q.Set("accent", accent)
	}
	if parent != "" {
		q.Set("o", parent)
	}
	// A preview stays one when it starts again.
	if c.QueryParam("preview") == "1" {
		q.Set("preview", "1")
	}
	if len(q) == 0 {
		return ""
	}
	return "?" + q.Encode()
}

func (s *Server) embedStartURL(c echo.Context, slug, parent string) string {
	return "/embed/" + url.PathEscape(slug) + embedQuery(c, parent)
}

// handleEmbed starts a check in the frame. The embedding page's origin is
// taken from the Referer (browsers send only the origin across sites), or,
// when the frame itself navigated here, from its own link.
func (s *Server) handleEmbed(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	origin := parseOrigin(c.Request().Referer())
	if origin == "" || origin == s.ownOrigin(c) {
		if p := s.embedParent(c); p != "" {
			origin = p
		}
	}
	nonce := make([]byte, 16)
	if _, err := io.ReadFull(s.Rand, nonce); err != nil {
		return fmt.Errorf("web: embed nonce: %w", err)
	}
	st := embedState{Slug: e.Role.Slug, VersionID: e.VersionID, Mode: score.Quick, Origin: origin,
		Issued: s.Now(), Nonce: base64.RawURLEncoding.EncodeToString(nonce), Page: 1,
		Preview: c.QueryParam("preview") == "1"}
	return s.renderEmbedCheck(c, http.StatusOK, e.Role, s.plans.get(e, score.Quick, -1), st, nil)
}

// handleEmbedPost takes one page of the check sent from the frame: it
// shows the next page, or at the last one scores and stores the check.
// Its protection is the sealed state: without one that rolefit made for
// this role in the last two hours, and not used before, nothing is stored.
func (s *Server) handleEmbedPost(c echo.Context) error {
	e, err := s.publishedRole(c)
	if err != nil {
		return err
	}
	form, err := postForm(c)
	if err != nil {
		return err
	}
	st, ok := s.openEmbedState(form.Get("_state"), e.Role.Slug)
	if !ok {
		return echo.NewHTTPError(http.StatusForbidden, "This check has expired or did not come from rolefit. Start it again; nothing was stored.")
	}
	ctx := c.Request().Context()
	// The widget may have been opened before the role changed: its
	// answers are scored against the version its form was made from.
	r, p, err := s.planAt(ctx, e, st.VersionID, score.Quick, -1)
	if err != nil || st.Page > len(p.Steps) {
		// The version the form was made from is gone: start over.
		return echo.NewHTTPError(http.StatusForbidden, "This check has expired. Start it again; nothing was stored.")
	}
	action := form.Get("action")
	if action == "" {
		action = actionNext
	}
	if action != actionNext && action != actionBack {
		return echo.NewHTTPError(http.StatusBadRequest, "Use the form's buttons: next or back.")
	}
	for name := range form {
		if q, ok := p.Position(name); (!ok || p.Questions[q].Step != st.Page) && name != "_state" && name != "action" {
			return echo.NewHTTPError(http.StatusBadRequest, "The form named an item that is not part of this page of the check. Start it again.")
		}
	}
	if !st.Tried && !st.Preview {
		s.event(ctx, submission.Event{RoleSlug: st.Slug, VersionID: st.VersionID, Channel: "embed", Mode: string(score.Quick), Name: "started",
			Host: s.embedHost(st.Origin)})
	}
	st.Tried = true
	st.Answers = p.Fit(st.Answers)
	errs := map[int]string{}
	for _, q := range p.Steps[st.Page-1].Questions {
		v := strings.TrimSpace(form.Get(p.Questions[q].ID))
		// Going back keeps what is given and forgets what was cleared.
		canon, msg := check.ReadAnswer(p.Questions[q].Kind, v, action == actionNext)
		if msg != "" {
			errs[q] = msg
			continue
		}
		st.Answers[q] = canon
	}
	if len(errs) > 0 {
		return s.renderEmbedCheck(c, http.StatusUnprocessableEntity, r, p, st, errs)
	}
	if action == actionBack {
		st.Page = max(1, st.Page-1)
		return s.renderEmbedCheck(c, http.StatusOK, r, p, st, nil)
	}
	if st.Page > st.Reached && st.Page < len(p.Steps) {
		st.Reached = st.Page
		if !st.Preview {
			s.event(ctx, submission.Event{RoleSlug: st.Slug, VersionID: st.VersionID, Channel: "embed", Mode: string(score.Quick), Name: "step", Step: st.Page})
		}
	}
	if open := p.FirstOpen(st.Answers); open <= len(p.Steps) {
		// The next page, or an earlier one that going back left open.
		st.Page = min(st.Page+1, open)
		return s.renderEmbedCheck(c, http.StatusOK, r, p, st, nil)
	}
	scored := p.Scored(st.Answers)
	res := score.Score(r, score.Quick, scored)
	parent := s.allowedParent(st.Origin)
	if st.Preview {
		// The admin page's preview shows what an applicant would see and
		// leaves no trace.
		vm := embedResultModel(r, res, "", s.embedStartURL(c, r.Slug, parent))
		vm.Preview = true
		return s.renderEmbedResult(c, s.embedMeta(c, "Your fit: "+r.Title, parent), vm, res.Recommended)
	}
	free, err := s.Submissions.ClaimNonce(ctx, st.Nonce, st.Issued.Add(embedStateTTL), s.Now())
	if err != nil {
		return err
	}
	if !free {
		return echo.NewHTTPError(http.StatusForbidden, "These answers have been sent already. Start the check again for a new result.")
	}
	release := func(err error) error {
		return errors.Join(err, s.Submissions.ReleaseNonce(context.WithoutCancel(ctx), st.Nonce))
	}
	token, hash, err := s.newToken()
	if err != nil {
		return release(err)
	}
	sub := &submission.Submission{TokenHash: hash, RoleSlug: st.Slug, VersionID: st.VersionID, Mode: string(score.Quick),
		Channel: "embed", EmbedHost: s.embedHost(st.Origin), Day: s.today(), Answers: scored,
		Fits: res.Fits(), Recommended: res.Recommended, Overrides: e.Overrides}
	if err := s.Submissions.CreateSubmission(ctx, sub); err != nil {
		return release(err)
	}
	if st.Page > st.Reached {
		s.event(ctx, submission.Event{RoleSlug: st.Slug, VersionID: st.VersionID, Channel: "embed", Mode: string(score.Quick), Name: "step", Step: st.Page})
	}
	return c.Redirect(http.StatusSeeOther, "/embed/"+url.PathEscape(st.Slug)+"/result/"+token+embedQuery(c, parent))
}

// renderEmbedCheck shows page st.Page of the check of r with plan p and
// the answers in st, with a message beside each question in errs.
func (s *Server) renderEmbedCheck(c echo.Context, status int, r *role.Role, p *check.Plan, st embedState, errs map[int]string) error {
	sealed, err := s.sealEmbedState(st)
	if err != nil {
		return err
	}
	step := p.Steps[st.Page-1]
	answers := p.Fit(st.Answers)
	vm := embed.Check{RoleTitle: r.Title, State: sealed, Total: len(p.Questions),
		Minutes: check.Minutes(len(p.Questions)), Page: st.Page, Pages: len(p.Steps),
		Answered: check.Answered(answers), Preview: st.Preview,
		Action: "/embed/" + url.PathEscape(r.Slug) + embedQuery(c, ""), Scale: wizardScale,
		Group: embed.Group{Title: step.Level.Title}}
	form := c.Request().PostForm
	for _, qi := range step.Questions {
		q := p.Questions[qi]
		// A rejected value is shown again as typed, a kept one as the
		// form sends it.
		value := check.FormValue(q.Kind, answers[qi])
		if errs[qi] != "" {
			value = strings.TrimSpace(form.Get(q.ID))
		}
		it := stepItem(q, step, value, errs[qi])
		vm.Group.Items = append(vm.Group.Items, it)
		if it.Error != "" {
			vm.Errors = append(vm.Errors, errorLink(q, it.Error))
		}
	}
	title := "Check your fit: " + r.Title
	if len(vm.Errors) > 0 {
		title = "Error: " + title
	}
	return s.renderEmbed(c, status, s.embedMeta(c, title, s.allowedParent(st.Origin)), func(f embed.Frame) error {
		return s.render(c, status, embed.CheckPage(f, vm))
	})
}

// embedGaps is how many gaps the frame's result lists.
const embedGaps = 3

// handleEmbedResult shows the fit per level in the frame, the largest
// gaps and the apply link, and links to the full result on the site.
func (s *Server) handleEmbedResult(c echo.Context) error {
	sub, r, err := s.loadResult(c)
	if err != nil {
		return err
	}
	if sub.RoleSlug != c.Param("slug") {
		return echo.NewHTTPError(http.StatusNotFound, "There is no such result for this role.")
	}
	res := score.Score(r, score.Mode(sub.Mode), sub.Answers)
	parent := s.embedParent(c)
	base := "/results/" + c.Param("token")
	vm := embedResultModel(r, res, base, s.embedStartURL(c, r.Slug, parent))
	if e, ok := s.Catalog.Get(r.Slug); ok && e.Role.ApplyURL != "" && !e.Archived {
		vm.ApplyURL = base + "/apply"
	}
	return s.renderEmbedResult(c, s.embedMeta(c, "Your fit: "+r.Title, parent), vm, res.Recommended)
}

// embedResultModel is the frame's view of result res of a check of r.
func embedResultModel(r *role.Role, res score.Result, resultURL, againURL string) embed.Result {
	vm := embed.Result{RoleTitle: r.Title, Verdict: verdict(res), ResultURL: resultURL, AgainURL: againURL}
	for _, lf := range res.Levels {
		vm.Levels = append(vm.Levels, embed.Fit{Slug: lf.Slug, Title: lf.Title, Assessed: lf.Assessed, Fit: lf.Percent(),
			Band: string(lf.Band), BandLabel: lf.Band.Label(), Capped: cappedWords(lf), Recommended: lf.Slug == res.Recommended})
	}
	if lf := res.Level(res.Recommended); lf != nil {
		for _, g := range lf.Gaps[:min(len(lf.Gaps), embedGaps)] {
			vm.Gaps = append(vm.Gaps, line(g))
		}
	}
	return vm
}

// renderEmbedResult shows a result in the frame, which passes the
// recommended level to the embedding page.
func (s *Server) renderEmbedResult(c echo.Context, m embed.Frame, vm embed.Result, level string) error {
	m.Level = level
	return s.renderEmbed(c, http.StatusOK, m, func(f embed.Frame) error {
		return s.render(c, http.StatusOK, embed.ResultPage(f, vm))
	})
}

// newEmbedScript is embed.js as served: the readable source without its
// whole-line comments and indentation. Only whole lines are dropped, so the
// code itself is never rewritten.
func newEmbedScript(src []byte) *asset {
	body := minifyScript(src)
	sum := sha256.Sum256(body)
	return &asset{body: body, gz: gzipBytes(body), ctype: "text/javascript; charset=utf-8",
		etag: `"` + hex.EncodeToString(sum[:4]) + `"`}
}

func minifyScript(src []byte) []byte {
	var out bytes.Buffer
	inComment := false
	for _, line := range strings.Split(string(src), "\n") {
		t := strings.TrimSpace(line)
		switch {
		case inComment:
			inComment = !strings.HasSuffix(t, "*/")
		case strings.HasPrefix(t, "/*"):
			inComment = !strings.HasSuffix(t, "*/")
		case t == "" || strings.HasPrefix(t, "//"):
		default:
			out.WriteString(t)
			out.WriteByte('\n')
		}
	}
	return out.Bytes()
}

// handleEmbedScript serves embed.js to any site that embeds the widget.
func (s *Server) handleEmbedScript(js *asset, cacheControl string) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cross-Origin-Resource-Policy", "cross-origin")
		return js.write(c, cacheControl)
	}
}

// embedBase is the public address the snippets point to: the configured
// base URL, else the address this request came to.
func (s *Server) embedBase(c echo.Context) string {
	if s.Config.BaseURL != "" {
		return strings.TrimRight(s.Config.BaseURL, "/")
	}
	return c.Scheme() + "://" + c.Request().Host
}

// embedSnippets are the two ways to put a role's check on a job page: the
// script, which sizes its frame, and a plain iframe for pages that allow
// no scripts.
func (s *Server) embedSnippets(c echo.Context, r *role.Role) admin.Embed {
	base := s.embedBase(c)
	title := html.EscapeString(r.Title)
	return admin.Embed{Slug: r.Slug, Title: r.Title, BaseURL: base,
		Script: s.assets.url("js/copy.js"), Preview: "/embed/" + url.PathEscape(r.Slug) + "?preview=1",
		ScriptSnippet: `<script src="` + base + `/embed.js" data-role="` + r.Slug + `" data-title="` + title + `" async></script>`,
		FrameSnippet: `<iframe src="` + base + `/embed/` + url.PathEscape(r.Slug) + `" title="Check your fit for ` + title +
			`" loading="lazy" width="100%" height="720" style="border:0"></iframe>`,
	}
}
