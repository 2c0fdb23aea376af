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
	"time"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/views/errorpage"
	"github.com/rolefit/rolefit/views/login"
)

// PasswordLinkLifetime is how long an invitation or reset link works.
const PasswordLinkLifetime = 72 * time.Hour

// passwordLinkPath is where a password link opens; the token follows.
const passwordLinkPath = "/password/"

// NewPasswordLink makes a one-time link under base (the public address,
// such as https://rolefit.example.com) and the hash that is stored for its
// token; the token itself is only in the link.
func NewPasswordLink(base string) (link string, hash []byte) {
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	return strings.TrimRight(base, "/") + passwordLinkPath + token, hashLinkToken(token)
}

func hashLinkToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// LinkExpiry is how the end of a link is shown: to the minute, in UTC.
func LinkExpiry(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// AccountStatus says whether an account can be signed in to, or waits for
// its password link (l, nil when there is none).
func AccountStatus(l *account.PasswordLink, now time.Time) string {
	switch {
	case l == nil:
		return "active"
	case l.Expired(now) && l.Purpose == account.LinkInvite:
		return "invitation expired"
	case l.Expired(now):
		return "reset link expired"
	case l.Purpose == account.LinkInvite:
		return "invited, link until " + LinkExpiry(l.Expires)
	}
	return "password reset, link until " + LinkExpiry(l.Expires)
}

// tooManyTries counts an attempt against keys before anything is checked,
// as a sign-in does, and returns what to tell someone whose keys are at
// their limit (setting Retry-After), or "" when they may try. A check that
// succeeds gives its attempt back (loginThrottle.succeeded).
func (s *Server) tooManyTries(c echo.Context, keys throttleKeys) string {
	wait := s.rec.throttle.reserve(keys)
	if wait <= 0 {
		return ""
	}
	c.Response().Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	return fmt.Sprintf("Too many attempts. Please wait %s and try again.", humanWait(wait))
}

// linkGone answers a link that is used, replaced, expired or was never
// made: the person needs a new one, whichever it is.
func (s *Server) linkGone(c echo.Context) error {
	const title = "This link no longer works"
	return s.render(c, http.StatusGone, errorpage.Page(s.meta(c, title), http.StatusGone, title,
		"A password link works once and for 72 hours. Ask an admin of rolefit for a new one."))
}

// linkKeys are the throttle keys of opening a password link: a link that
// does not work keeps its attempt, so links cannot be guessed at speed.
func linkKeys(c echo.Context) throttleKeys { return newThrottleKeys("password-link", c.RealIP()) }

// passwordLink finds the account of the link in the path; a link that
// works gives its throttle attempt back.
func (s *Server) passwordLink(c echo.Context) (*account.User, account.PasswordLink, []byte, error) {
	token := c.Param("link")
	var hash []byte
	var u *account.User
	var l account.PasswordLink
	err := apperr.ErrNotFound
	// A token is 32 random bytes in base64url: 43 characters.
	if len(token) == 43 {
		hash = hashLinkToken(token)
		u, l, err = s.Recruiters.PasswordLinkUser(c.Request().Context(), hash)
	}
	if err == nil && l.Expired(s.Now()) {
		err = apperr.ErrNotFound
	}
	if err == nil {
		s.rec.throttle.succeeded(linkKeys(c))
	}
	return u, l, hash, err
}

func (s *Server) setPasswordModel(c echo.Context, u *account.User, l account.PasswordLink) login.SetPassword {
	return login.SetPassword{Email: u.Email, Reset: l.Purpose == account.LinkReset,
		Action: passwordLinkPath + c.Param("link"), Expires: LinkExpiry(l.Expires), Errors: map[string]string{}}
}

func setPasswordTitle(vm login.SetPassword) string {
	if vm.Reset {
		return "Choose a new password"
	}
	return "Set your password"
}

func (s *Server) handlePasswordLinkForm(c echo.Context) error {
	if msg := s.tooManyTries(c, linkKeys(c)); msg != "" {
		return echo.NewHTTPError(http.StatusTooManyRequests, msg)
	}
	u, l, _, err := s.passwordLink(c)
	if errors.Is(err, apperr.ErrNotFound) {
		return s.linkGone(c)
	}
	if err != nil {
		return err
	}
	vm := s.setPasswordModel(c, u, l)
	return s.render(c, http.StatusOK, login.SetPasswordPage(s.meta(c, setPasswordTitle(vm)), vm))
}

// checkNewPassword puts the new password's problems in errs and returns
// it.
func checkNewPassword(c echo.Context, email string, errs map[string]string) string {
	pw := c.FormValue("password")
	if why := password.Weak(pw, email); why != "" {
		errs["password"] = why
	} else if c.FormValue("repeat") != pw {
		errs["repeat"] = "The two passwords differ; type the same one twice."
	}
	return pw
}

// handlePasswordLink sets the password from a one-time link; the link
// then stops working and the account's sessions end. The person signs in
// next, which proves they can.
func (s *Server) handlePasswordLink(c echo.Context) error {
	ctx := c.Request().Context()
	if msg := s.tooManyTries(c, linkKeys(c)); msg != "" {
		return echo.NewHTTPError(http.StatusTooManyRequests, msg)
	}
	u, l, hash, err := s.passwordLink(c)
	if errors.Is(err, apperr.ErrNotFound) {
		return s.linkGone(c)
	}
	if err != nil {
		return err
	}
	vm := s.setPasswordModel(c, u, l)
	pw := checkNewPassword(c, u.Email, vm.Errors)
	if len(vm.Errors) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, login.SetPasswordPage(s.meta(c, setPasswordTitle(vm)), vm))
	}
	pwHash, err := s.rec.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	// The link may have been used or replaced while the hash was made.
	if _, err := s.Recruiters.UsePasswordLink(ctx, hash, s.Now(), pwHash); errors.Is(err, apperr.ErrNotFound) {
		return s.linkGone(c)
	} else if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/login?notice=password-set")
}

func (s *Server) handleChangePasswordForm(c echo.Context) error {
	vm := login.ChangePassword{Changed: c.QueryParam("notice") == "changed"}
	return s.render(c, http.StatusOK, login.ChangePasswordPage(s.meta(c, "Change your password"), vm))
}

// handleChangePassword changes the signed-in user's password, given the
// current one. Every session of the account ends, this one is replaced by
// a new one: whoever knew the old password, or holds an old cookie, is out.
func (s *Server) handleChangePassword(c echo.Context) error {
	ctx := c.Request().Context()
	me := currentUser(c)
	vm := login.ChangePassword{Errors: map[string]string{}}
	page := func(status int) error {
		return s.render(c, status, login.ChangePasswordPage(s.meta(c, "Change your password"), vm))
	}
	keys := newThrottleKeys(strings.ToLower(me.Email), c.RealIP())
	if vm.Error = s.tooManyTries(c, keys); vm.Error != "" {
		return page(http.StatusTooManyRequests)
	}
	current := c.FormValue("current")
	pw := checkNewPassword(c, me.Email, vm.Errors)
	if current == "" {
		vm.Errors["current"] = "Enter your current password."
	} else if len(current) > 4*password.MaxLength {
		vm.Errors["current"] = "That password is longer than any rolefit accepts."
	} else {
		u, err := s.Recruiters.UserByID(ctx, me.ID)
		if err != nil {
			return err
		}
		ok, err := s.rec.hasher.Verify(ctx, current, u.PasswordHash)
		if err != nil && !errors.Is(err, password.ErrMalformed) {
			return err
		}
		switch {
		case !ok:
			vm.Errors["current"] = "That is not your current password."
		case pw == current:
			s.rec.throttle.succeeded(keys)
			vm.Errors["password"] = "Choose a password different from the current one."
		default:
			s.rec.throttle.succeeded(keys)
		}
	}
	if len(vm.Errors) > 0 {
		return page(http.StatusUnprocessableEntity)
	}
	hash, err := s.rec.hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	if err := s.Recruiters.SetUserPassword(ctx, me.ID, hash); err != nil {
		return err
	}
	sess := s.rec.sessions.fresh()
	sess.Values[sessionUserKey] = me.ID
	if err := s.rec.sessions.Save(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/dashboard/password?notice=changed")
}
