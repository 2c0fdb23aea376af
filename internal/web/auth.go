package web

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/views/login"
)

// User is a signed-in recruiter or admin.
type User struct {
	ID    int64
	Email string
	Admin bool
}

const userContext = "user"

// currentUser returns the signed-in user of the request, or nil.
func currentUser(c echo.Context) *User {
	u, _ := c.Get(userContext).(*User)
	return u
}

// RecruiterStore is everything the dashboard, admin and API need from
// storage.
type RecruiterStore interface {
	account.Store
	StatsStore
	role.Store
}

// recruiting is the state of the recruiter side: sessions, hashing and
// the sign-in throttle.
type recruiting struct {
	store    RecruiterStore
	sessions *dbSessionStore
	hasher   *password.Hasher
	throttle *loginThrottle
	// dummy is verified against when an e-mail has no account, so that
	// the answer takes as long as for a wrong password. It is made once,
	// from the start, in the background so that starting is not slowed;
	// made with the first request's context instead, a cancelled request
	// would leave it empty and unknown e-mails answered at once. Sign-ins
	// wait for dummyMade.
	dummy     string
	dummyErr  error
	dummyMade chan struct{}
}

// sessionLifetime is how long a recruiter stays signed in.
const sessionLifetime = 12 * time.Hour

func (s *Server) newRecruiting() *recruiting {
	name := "rolefit_recruiter"
	if s.Config.TLS() {
		// __Host- makes the browser refuse the cookie unless it is Secure,
		// has Path=/ and no Domain: no subdomain can set or shadow it.
		name = "__Host-rolefit_recruiter"
	}
	hasher := password.NewHasher(password.Default, max(1, runtime.NumCPU()))
	r := &recruiting{
		store: s.Recruiters,
		sessions: &dbSessionStore{db: s.Recruiters, name: name, now: s.Now, opts: sessions.Options{
			Path: "/", MaxAge: int(sessionLifetime / time.Second), HttpOnly: true,
			Secure: s.Config.TLS(), SameSite: http.SameSiteLaxMode}},
		hasher:    hasher,
		throttle:  newLoginThrottle(s.Now),
		dummyMade: make(chan struct{}),
	}
	go func() {
		defer close(r.dummyMade)
		if r.dummy, r.dummyErr = hasher.Hash(context.Background(), "no account has this password"); r.dummyErr != nil {
			r.dummyErr = fmt.Errorf("web: timing-equalising hash: %w", r.dummyErr)
		}
		// The hash's memory (argon2id's 19 MiB) is garbage at once, but the
		// runtime would keep it resident for minutes: hand it back now, so
		// an idle server stays small.
		debug.FreeOSMemory()
	}()
	return r
}

// dummyHash waits for the hash an unknown e-mail is checked against.
func (r *recruiting) dummyHash(ctx context.Context) (string, error) {
	select {
	case <-r.dummyMade:
		return r.dummy, r.dummyErr
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// loadUser puts the signed-in user, if any, in the request context. The
// account is read on every request, so removing it or changing its rights
// takes effect at once.
func (s *Server) loadUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.rec == nil || s.rec.store == nil {
			return next(c)
		}
		if _, err := c.Request().Cookie(s.rec.sessions.name); err != nil {
			return next(c)
		}
		sess, err := s.rec.sessions.New(c.Request(), s.rec.sessions.name)
		if err != nil {
			return err
		}
		uid, _ := sess.Values[sessionUserKey].(int64)
		if sess.IsNew || uid == 0 {
			return next(c)
		}
		u, err := s.rec.store.UserByID(c.Request().Context(), uid)
		if errors.Is(err, apperr.ErrNotFound) {
			return next(c)
		}
		if err != nil {
			return err
		}
		c.Set(userContext, &User{ID: u.ID, Email: u.Email, Admin: u.Admin})
		c.Set(sessionContext, sess)
		return next(c)
	}
}

const sessionContext = "recruiter_session"

// requireUser refuses anonymous visitors: pages send them to sign in.
func requireUser(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if currentUser(c) == nil {
			target := "/login"
			if c.Request().Method == http.MethodGet {
				target += "?next=" + url.QueryEscape(c.Request().URL.RequestURI())
			}
			return c.Redirect(http.StatusSeeOther, target)
		}
		return next(c)
	}
}

// requireAdmin lets only admins through; recruiters get 403.
func requireAdmin(next echo.HandlerFunc) echo.HandlerFunc {
	return requireUser(func(c echo.Context) error {
		if !currentUser(c).Admin {
			return echo.NewHTTPError(http.StatusForbidden, "Only admins may manage roles, accounts and tokens.")
		}
		return next(c)
	})
}

// safeNext keeps a post-sign-in redirect on rolefit's own recruiter pages.
func safeNext(next string) string {
	if (strings.HasPrefix(next, "/dashboard") || strings.HasPrefix(next, "/admin")) &&
		!strings.ContainsAny(next, "\\\r\n") {
		return next
	}
	return "/dashboard"
}

func (s *Server) handleLoginForm(c echo.Context) error {
	next := safeNext(c.QueryParam("next"))
	if currentUser(c) != nil {
		return c.Redirect(http.StatusSeeOther, next)
	}
	vm := login.Model{Next: next}
	if c.QueryParam("notice") == "password-set" {
		vm.Notice = "Your password is set. Sign in with it."
	}
	return s.render(c, http.StatusOK, login.Page(s.meta(c, "Sign in"), vm))
}

func (s *Server) handleLogin(c echo.Context) error {
	ctx := c.Request().Context()
	vm := login.Model{Email: strings.TrimSpace(c.FormValue("email")), Next: safeNext(c.FormValue("next")), Errors: map[string]string{}}
	pw := c.FormValue("password")
	if vm.Email == "" || len(vm.Email) > 254 || !strings.Contains(vm.Email, "@") {
		vm.Errors["email"] = "Enter the e-mail address of your account."
	}
	if pw == "" {
		vm.Errors["password"] = "Enter your password."
	} else if len(pw) > 4*password.MaxLength {
		vm.Errors["password"] = "That password is longer than any rolefit accepts."
	}
	if len(vm.Errors) > 0 {
		return s.render(c, http.StatusUnprocessableEntity, login.Page(s.meta(c, "Sign in"), vm))
	}
	keys := newThrottleKeys(strings.ToLower(vm.Email), c.RealIP())
	if wait := s.rec.throttle.reserve(keys); wait > 0 {
		secs := int(math.Ceil(wait.Seconds()))
		c.Response().Header().Set("Retry-After", strconv.Itoa(secs))
		vm.Error = fmt.Sprintf("Too many sign-in attempts. Please wait %s and try again.", humanWait(wait))
		return s.render(c, http.StatusTooManyRequests, login.Page(s.meta(c, "Sign in"), vm))
	}
	u, err := s.rec.store.UserByEmail(ctx, vm.Email)
	hash := ""
	switch {
	case err == nil:
		hash = u.PasswordHash
	case errors.Is(err, apperr.ErrNotFound):
		if hash, err = s.rec.dummyHash(ctx); err != nil {
			return err
		}
	default:
		return err
	}
	ok, err := s.rec.hasher.Verify(ctx, pw, hash)
	if err != nil && !errors.Is(err, password.ErrMalformed) {
		return err
	}
	if !ok || u == nil {
		vm.Error = "That e-mail and password do not match an account."
		return s.render(c, http.StatusUnprocessableEntity, login.Page(s.meta(c, "Sign in"), vm))
	}
	s.rec.throttle.succeeded(keys)
	// A new session id at sign-in: an id planted before cannot be carried
	// into the signed-in session.
	if old, err := s.rec.sessions.New(c.Request(), s.rec.sessions.name); err == nil && !old.IsNew {
		if err := s.rec.sessions.destroy(c.Request(), c.Response(), old); err != nil {
			return err
		}
	}
	sess := s.rec.sessions.fresh()
	sess.Values[sessionUserKey] = u.ID
	if err := s.rec.sessions.Save(c.Request(), c.Response(), sess); err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, vm.Next)
}

func humanWait(d time.Duration) string {
	if d <= time.Minute {
		n := int(math.Ceil(d.Seconds()))
		if n == 1 {
			return "1 second"
		}
		return strconv.Itoa(n) + " seconds"
	}
	n := int(math.Ceil(d.Minutes()))
	return strconv.Itoa(n) + " minutes"
}

func (s *Server) handleLogout(c echo.Context) error {
	if sess, ok := c.Get(sessionContext).(*sessions.Session); ok {
		if err := s.rec.sessions.destroy(c.Request(), c.Response(), sess); err != nil {
			return err
		}
	}
	return c.Redirect(http.StatusSeeOther, "/login")
}
