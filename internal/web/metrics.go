package web

import (
	"log/slog"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// metrics are the Prometheus series rolefit exports. Privacy: every label
// is a route template, a method or a status, never a URL, address or
// anything an applicant typed, so the series say how busy rolefit is and
// nothing about who used it.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	submissions prometheus.Counter
	applicants  *prometheus.CounterVec
	writes      prometheus.Counter
	batchSize   prometheus.Histogram
	commit      prometheus.Histogram
	// routes are the registered route paths, learnt at the first request;
	// anything else is labelled "unmatched" so that scanners probing
	// random URLs cannot grow the number of series.
	routesOnce sync.Once
	routes     map[string]bool
	// roleViews and roleViewTime are the series of the role page's 200s,
	// taken once for serveRolePage.
	roleViews    prometheus.Counter
	roleViewTime prometheus.Observer
}

func newMetrics() *metrics {
	m := &metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rolefit_http_requests_total",
			Help: "HTTP requests answered, by route template, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "rolefit_http_request_duration_seconds",
			Help:    "Time to answer an HTTP request, by route template and method.",
			Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
		}, []string{"route", "method"}),
		submissions: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rolefit_submissions_created_total",
			Help: "Checks submitted and acknowledged (durably stored, redirected to their result).",
		}),
		applicants: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "rolefit_applicant_actions_total",
			Help: "Applicants' actions, counted here instead of logged one by one: result_view, apply_click, deletion.",
		}, []string{"action"}),
		writes: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "rolefit_db_writes_total",
			Help: "Writes committed by the database writer (submissions, deletions, sessions, imports).",
		}),
		batchSize: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rolefit_db_commit_batch_size",
			Help:    "Writes that shared one group commit.",
			Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256},
		}),
		commit: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name:    "rolefit_db_commit_duration_seconds",
			Help:    "Time to run and durably commit one group of writes.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
		}),
	}
	m.reg.MustRegister(m.requests, m.duration, m.submissions, m.applicants, m.writes, m.batchSize, m.commit,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.roleViews = m.requests.WithLabelValues(roleRoute, http.MethodGet, "200")
	m.roleViewTime = m.duration.WithLabelValues(roleRoute, http.MethodGet)
	return m
}

// ObserveBatch records one group commit of the database writer; cmd wires
// it to the store's ObserveBatches.
func (s *Server) ObserveBatch(size int, d time.Duration) {
	s.metrics.writes.Add(float64(size))
	s.metrics.batchSize.Observe(float64(size))
	s.metrics.commit.Observe(d.Seconds())
}

// observe counts every request by route and status, times it and logs one
// line for it, except an applicant's own: it sits outside Recover so a
// panic is counted and logged as the 500 it becomes. Privacy: the log line
// has no client address, user agent, referrer, query string or cookie, and
// there is none for a check's steps, a submission, a result view, an
// apply click or a deletion: a line with its time would date the
// applicant's visit more precisely than the stored day does. Those are
// counted in the metrics instead.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		start := time.Now()
		err := next(c)
		status := c.Response().Status
		if err != nil {
			status, _ = errorStatus(err)
		}
		s.metrics.routesOnce.Do(func() {
			s.metrics.routes = map[string]bool{}
			for _, r := range s.echo.Routes() {
				s.metrics.routes[r.Path] = true
			}
		})
		route := c.Path()
		if !s.metrics.routes[route] {
			route = "unmatched"
		}
		method := c.Request().Method
		switch method {
		case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
			http.MethodDelete, http.MethodOptions:
		default:
			method = "other"
		}
		s.metrics.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
		took := time.Since(start)
		s.metrics.duration.WithLabelValues(route, method).Observe(took.Seconds())
		if !applicantRoute(route) {
			s.Logger.LogAttrs(c.Request().Context(), slog.LevelInfo, "request",
				slog.String("method", method), slog.String("route", c.Path()),
				slog.Int("status", status), slog.Duration("took", took))
		}
		// A check is acknowledged by the redirect to its result, which
		// the wizard sends only after the submission is committed.
		if err == nil && acknowledged(c) {
			s.metrics.submissions.Inc()
		}
		if action := applicantAction(route, method, status); action != "" {
			s.metrics.applicants.WithLabelValues(action).Inc()
		}
		return err
	}
}

// applicantRoute reports whether route is part of an applicant's own
// check or result, whose requests are not logged.
func applicantRoute(route string) bool {
	return strings.HasPrefix(route, "/roles/:slug/check") || strings.HasPrefix(route, "/results/") ||
		strings.HasPrefix(route, "/embed/:slug")
}

// applicantAction names what a successful request to an applicant's route
// did, for the metrics, or "".
func applicantAction(route, method string, status int) string {
	switch {
	case method == http.MethodGet && status == http.StatusOK &&
		(route == "/results/:token" || route == "/embed/:slug/result/:token"):
		return "result_view"
	case method == http.MethodGet && status == http.StatusSeeOther && route == "/results/:token/apply":
		return "apply_click"
	case method == http.MethodPost && status == http.StatusSeeOther && route == "/results/:token/delete":
		return "deletion"
	}
	return ""
}

// handleMetrics serves the Prometheus exposition to the networks allowed
// by -metrics-allow (loopback by default), and only to requests that did
// not come through a proxy: a reverse proxy on the same host would
// otherwise make every visitor look like loopback.
func (s *Server) handleMetrics() echo.HandlerFunc {
	h := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{ErrorHandling: promhttp.ContinueOnError})
	return func(c echo.Context) error {
		if !s.metricsAllowed(c.Request()) {
			return echo.NewHTTPError(http.StatusForbidden,
				"Metrics are served only to the networks named by -metrics-allow (loopback by default), without proxy headers.")
		}
		c.Response().Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(c.Response(), c.Request())
		return nil
	}
}

func (s *Server) metricsAllowed(r *http.Request) bool {
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	a := ap.Addr().Unmap()
	proxied := r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-Ip") != "" || r.Header.Get("Forwarded") != ""
	for _, p := range s.Config.MetricsAllow {
		if p.Contains(a) {
			// "any" (a /0) means the operator guards /metrics elsewhere.
			return p.Bits() == 0 || !proxied
		}
	}
	return false
}
