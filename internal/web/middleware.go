package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"

	"github.com/labstack/echo/v4"
)

// securityHeaders sets the header contract of every response. Pages may
// not be framed except the widget's, which its handler relaxes.
func (s *Server) securityHeaders(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		s.setSecurityHeaders(c.Response().Header())
		return next(c)
	}
}

// setSecurityHeaders sets the headers of securityHeaders on h.
func (s *Server) setSecurityHeaders(h http.Header) {
	if s.Config.TLS() {
		// Browsers that have seen rolefit over HTTPS never try it over
		// plain HTTP again for a year, so no one on the path can strip
		// TLS. Subdomains are left alone: they may not be rolefit's.
		h.Set("Strict-Transport-Security", "max-age=31536000")
	}
	h.Set("Content-Security-Policy", csp("'none'"))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
}

// csp is the content security policy with the given frame-ancestors.
// Everything is served from rolefit itself: no third-party request.
func csp(frameAncestors string) string {
	return "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; " +
		"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors " + frameAncestors
}

// noStore marks responses that must not be cached: personal answers,
// results and recruiter pages.
func noStore(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// formOnly refuses state-changing requests whose body is not a form.
func formOnly(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if isSafe(c.Request().Method) || c.Request().ContentLength == 0 && c.Request().Header.Get("Content-Type") == "" {
			return next(c)
		}
		mt, _, err := mime.ParseMediaType(c.Request().Header.Get("Content-Type"))
		if err != nil || (mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data") {
			return echo.NewHTTPError(http.StatusUnsupportedMediaType, "Forms must be sent as application/x-www-form-urlencoded or multipart/form-data.")
		}
		return next(c)
	}
}

func isSafe(method string) bool {
	return method == http.MethodGet || method == http.MethodHead || method == http.MethodOptions
}

const (
	csrfField   = "_csrf"
	csrfContext = "csrf"
)

// crossOrigin refuses a state-changing request that a browser says comes
// from another origin, with Go's http.CrossOriginProtection: the request's
// Sec-Fetch-Site, or, from browsers that do not send it, its Origin
// against Host. Every browser rolefit supports sends one of them with a
// form, so this alone guards the applicant's forms, and their pages need
// no per-visitor token: the role page is the same bytes for everyone.
// The public URL, when configured, is trusted too, for a proxy that
// rewrites Host.
func (s *Server) crossOrigin() echo.MiddlewareFunc {
	cop := http.NewCrossOriginProtection()
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Scheme != "" && u.Host != "" {
		_ = cop.AddTrustedOrigin(u.Scheme + "://" + u.Host)
	}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if err := cop.Check(c.Request()); err != nil {
				return echo.NewHTTPError(http.StatusForbidden, "Forms can only be sent from rolefit's own pages.")
			}
			return next(c)
		}
	}
}

// csrf adds a token to the recruiters' forms (sign-in, dashboard, admin),
// behind crossOrigin: a state-changing request must carry the token from
// its cookie in the form (double submit), which also covers an old browser
// that sends neither Sec-Fetch-Site nor Origin. The cookie is HttpOnly,
// SameSite=Lax and, over TLS, __Host- prefixed, so no other site can set
// or read it.
func (s *Server) csrf(next echo.HandlerFunc) echo.HandlerFunc {
	name := "rolefit_csrf"
	if s.Config.TLS() {
		name = "__Host-rolefit_csrf"
	}
	return func(c echo.Context) error {
		req := c.Request()
		token := ""
		if ck, err := req.Cookie(name); err == nil && len(ck.Value) == 43 {
			token = ck.Value
		}
		if !isSafe(req.Method) {
			sent := c.FormValue(csrfField)
			if sent == "" {
				sent = req.Header.Get("X-CSRF-Token")
			}
			if token == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(token)) != 1 {
				return echo.NewHTTPError(http.StatusForbidden, "This form has expired or did not come from rolefit. Go back, reload the page and try again.")
			}
		}
		if token == "" {
			b := make([]byte, 32)
			_, _ = rand.Read(b)
			token = base64.RawURLEncoding.EncodeToString(b)
			c.SetCookie(&http.Cookie{Name: name, Value: token, Path: "/", HttpOnly: true,
				Secure: s.Config.TLS(), SameSite: http.SameSiteLaxMode, MaxAge: 7 * 24 * 3600})
		}
		c.Set(csrfContext, token)
		return next(c)
	}
}

func csrfToken(c echo.Context) string {
	t, _ := c.Get(csrfContext).(string)
	return t
}

// ipExtractor believes forwarding headers only from the configured
// proxies; by default the client address is the peer's. The address is
// used for throttling only, never stored or logged.
func ipExtractor(trusted []netip.Prefix) echo.IPExtractor {
	if len(trusted) == 0 {
		return echo.ExtractIPDirect()
	}
	opts := []echo.TrustOption{echo.TrustLoopback(false), echo.TrustLinkLocal(false), echo.TrustPrivateNet(false)}
	for _, p := range trusted {
		_, n, err := net.ParseCIDR(p.String())
		if err == nil {
			opts = append(opts, echo.TrustIPRange(n))
		}
	}
	xff := echo.ExtractIPFromXFFHeader(opts...)
	direct := echo.ExtractIPDirect()
	return func(r *http.Request) string {
		peer := direct(r)
		a, err := netip.ParseAddr(peer)
		if err != nil {
			return peer
		}
		for _, p := range trusted {
			if p.Contains(a.Unmap()) {
				return strings.TrimSpace(xff(r))
			}
		}
		return peer
	}
}
