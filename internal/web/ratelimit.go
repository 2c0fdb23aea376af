package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
	"golang.org/x/time/rate"
)

// rateLimiter is a token bucket per client address (x/time/rate): each
// client may make perMinute requests in a burst, refilled evenly over a
// minute. Privacy: the addresses live in memory only, for at most a few
// minutes, and are never stored or logged.
type rateLimiter struct {
	perMinute int
	now       func() time.Time

	mu        sync.Mutex
	clients   map[string]*rate.Limiter
	lastSweep time.Time
}

// maxClients bounds the limiter's memory; when that many clients are
// tracked at once, the full buckets are dropped first, then all of them,
// which errs towards letting people through.
const maxClients = 100_000

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	if now == nil {
		now = time.Now
	}
	return &rateLimiter{perMinute: perMinute, now: now, clients: map[string]*rate.Limiter{}}
}

// reserve takes one of key's tokens at once, in one step, so concurrent
// requests cannot spend the same token; or, when there is none, takes
// nothing and says how long until one is free.
func (l *rateLimiter) reserve(key string) (*reservation, time.Duration) {
	now := l.now()
	l.mu.Lock()
	if len(l.clients) >= maxClients || now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	lim := l.clients[key]
	if lim == nil {
		lim = rate.NewLimiter(rate.Every(time.Minute/time.Duration(l.perMinute)), l.perMinute)
		l.clients[key] = lim
	}
	l.mu.Unlock()
	r := lim.ReserveN(now, 1)
	if wait := r.DelayFrom(now); wait > 0 {
		r.CancelAt(now)
		return nil, wait
	}
	return &reservation{r: r, at: now}, 0
}

// reservation is a token taken by reserve.
type reservation struct {
	r  *rate.Reservation
	at time.Time
}

// giveBack returns the token of a request that stored nothing. It cancels
// as of the moment the token was taken: x/time/rate restores nothing for
// a reservation whose time has passed. Should the same client have taken
// tokens since, less is returned, erring towards limiting.
func (t *reservation) giveBack() { t.r.CancelAt(t.at) }

// sweep forgets the clients whose bucket has refilled: they are
// indistinguishable from new ones.
func (l *rateLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, lim := range l.clients {
		if lim.TokensAt(now) >= float64(l.perMinute) {
			delete(l.clients, k)
		}
	}
	if len(l.clients) >= maxClients {
		clear(l.clients)
	}
}

// limitSubmissions caps how many checks one client (by the address the
// IP extractor trusts) may submit per minute, answering 429 with
// Retry-After beyond it. It wraps the routes that take a check's answers.
// Each request takes a token before it runs, so a concurrent burst cannot
// submit more than the allowance; a request that stored nothing (a step,
// a form with errors) gives it back, so filling in the steps is not
// throttled, flooding the database is.
func (s *Server) limitSubmissions(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.limiter == nil || c.Request().Method != http.MethodPost {
			return next(c)
		}
		token, wait := s.limiter.reserve(c.RealIP())
		if token == nil {
			secs := strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1))
			c.Response().Header().Set("Retry-After", secs)
			return echo.NewHTTPError(http.StatusTooManyRequests,
				"Too many checks were sent from your network in the last minute. Please wait "+secs+" seconds and send your answers again.")
		}
		err := next(c)
		if err != nil || !acknowledged(c) {
			token.giveBack()
		}
		return err
	}
}

// acknowledged reports whether the response is the redirect to a newly
// stored submission's result, which the check sends only after the commit.
func acknowledged(c echo.Context) bool {
	if c.Request().Method != http.MethodPost || c.Response().Status != http.StatusSeeOther {
		return false
	}
	loc := strings.Split(strings.TrimPrefix(c.Response().Header().Get(echo.HeaderLocation), "/"), "/")
	switch {
	case len(loc) == 2 && loc[0] == "results" && loc[1] != "" && loc[1] != "deleted":
		return true
	case len(loc) == 4 && loc[0] == "embed" && loc[2] == "result" && loc[3] != "":
		return true
	}
	return false
}
