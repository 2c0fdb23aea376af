// Package web is rolefit's HTTP layer: an Echo server whose handlers are
// thin and whose pages are templ components rendered from view models.
package web

import (
	"context"
	"crypto/rand"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/report"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"regexp"
	"strings"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
)

// Pinger reports whether storage answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the server needs from the rest of rolefit.
type Deps struct {
	Config  config.Config
	Catalog *catalog.Catalog
	Roles   catalog.Store
	Health  Pinger
	Logger  *slog.Logger
	// Now is the clock; tests make it fixed.
	Now func() time.Time
	// Submissions stores completed checks and counts applicants' steps.
	Submissions SubmissionStore
	// SessionKeys are the cookie keys as hash/block pairs, newest first
	// (see LoadSessionKeys); when empty, keys are made for this process.
	SessionKeys [][]byte
	// Rand is the source of result tokens; crypto/rand when nil.
	Rand io.Reader
	// Recruiters keeps accounts, sessions, tokens, counters and role
	// settings for the dashboard, admin and API.
	Recruiters RecruiterStore
}

// Server holds the dependencies every handler uses.
type Server struct {
	Deps
	echo     *echo.Echo
	assets   *assetSet
	sessions *sessions.CookieStore
	metrics  *metrics
	limiter  *rateLimiter
	rec      *recruiting

	// Work done once instead of per request (see rolecache.go,
	// plancache.go, stepcache.go).
	rolePages *rolePages
	plans     *planCache
	stepPages *stepPages

	// releases publishes the aggregates reports read (see internal/release).
	releases *release.Releaser
	reports  report.Source
}

// New builds the server and its routes.
func New(d Deps) (*Server, error) {
	if d.Now == nil {
		d.Now = time.Now
	}
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	a, err := loadAssets()
	if err != nil {
		return nil, err
	}
	if d.Rand == nil {
		d.Rand = rand.Reader
	}
	s := &Server{Deps: d, echo: echo.New(), assets: a, rolePages: newRolePages(), plans: newPlanCache(),
		stepPages: newStepPages()}
	if d.Recruiters != nil {
		s.releases = release.NewReleaser(d.Recruiters, d.Now)
		s.releases.Hosts = d.Config.EmbedHosts()
		s.reports = report.Source{Store: report.NewSumCache(d.Recruiters), Releaser: s.releases, K: d.Config.K, Now: d.Now}
	}
	if s.sessions, err = s.newSessionStore(); err != nil {
		return nil, err
	}
	s.echo.HideBanner = true
	s.echo.HidePort = true
	s.echo.HTTPErrorHandler = s.handleError
	s.echo.IPExtractor = ipExtractor(d.Config.TrustedProxies)
	s.rec = s.newRecruiting()
	s.routes()
	return s, nil
}

// Handler returns the server as an http.Handler.
func (s *Server) Handler() http.Handler { return http.HandlerFunc(s.serveHTTP) }

// serveHTTP routes a HEAD request to the GET handler of its path, as
// monitors and link checkers expect and Echo v4 does not. Echo routes on
// the request it is given, so it gets a GET copy; net/http still holds the
// original HEAD and sends no body.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if s.serveRolePage(w, r) {
		return
	}
	if r.Method == http.MethodHead {
		r = r.Clone(r.Context())
		r.Method = http.MethodGet
	}
	s.echo.ServeHTTP(w, r)
}

// HTTPServer returns an http.Server for the handler with timeouts that
// keep slow or idle clients from holding connections.
func (s *Server) HTTPServer(ln net.Listener) *http.Server {
	return &http.Server{
		Addr:              ln.Addr().String(),
		Handler:           s.Handler(),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    32 << 10,
		ErrorLog:          log.New(addressFilter{s.Logger}, "", 0),
	}
}

// addressPattern matches an IPv4 address or a bracketed IPv6 one (as Go
// writes an address with a port), with or without the port.
var addressPattern = regexp.MustCompile(`\[[0-9A-Za-z:.%]+\](:[0-9]+)?|\b[0-9]{1,3}(\.[0-9]{1,3}){3}(:[0-9]+)?\b`)

// addressFilter is net/http's error log: it writes each line as a warning
// with every address in it replaced. Privacy: net/http names the client's
// address in the lines it writes itself (a TLS handshake that fails, plain
// HTTP sent to the TLS port, a panic), and rolefit logs no address.
type addressFilter struct{ log *slog.Logger }

func (f addressFilter) Write(p []byte) (int, error) {
	line := addressPattern.ReplaceAllString(strings.TrimSpace(string(p)), "[address]")
	f.log.Warn(line)
	return len(p), nil
}
