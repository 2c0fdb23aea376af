package web

import (
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"
)

// rateLimiter is a token bucket per client address: each client may make
// perMinute requests in a burst, refilled evenly over a minute. Privacy:
// the addresses live in memory only, for at most a few minutes, and are
// never stored or logged.
type rateLimiter struct {
	perMinute float64
	now       func() time.Time

	mu        sync.Mutex
	buckets   map[string]*bucket
	lastSweep time.Time
}

type bucket struct {
	tokens float64
	at     time.Time
}

// maxClients bounds the limiter's memory; when that many clients are
// tracked at once, the full buckets are dropped first, then all of them,
// which errs towards letting people through.
const maxClients = 100_000

func newRateLimiter(perMinute int, now func() time.Time) *rateLimiter {
	if now == nil {
		now = time.Now
	}
	return &rateLimiter{perMinute: float64(perMinute), now: now, buckets: map[string]*bucket{}}
}

// allow takes a token for key, or says how long until one is free.
func (l *rateLimiter) allow(key string) (bool, time.Duration) {
	ok, wait := l.peek(key)
	if ok {
		l.take(key)
	}
	return ok, wait
}

// peek says whether key has a token left, or how long until it has one.
func (l *rateLimiter) peek(key string) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.bucket(key)
	if b.tokens >= 1 {
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / l.perMinute * float64(time.Minute))
}

// take spends one of key's tokens (going into debt if there is none, when
// concurrent requests all passed peek).
func (l *rateLimiter) take(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.bucket(key).tokens--
}

// bucket returns key's bucket, refilled up to now; l.mu is held.
func (l *rateLimiter) bucket(key string) *bucket {
	now := l.now()
	if len(l.buckets) >= maxClients || now.Sub(l.lastSweep) > time.Minute {
		l.sweep(now)
	}
	b := l.buckets[key]
	if b == nil {
		b = &bucket{tokens: l.perMinute, at: now}
		l.buckets[key] = b
	}
	b.tokens = l.fill(b, now)
	b.at = now
	return b
}

func (l *rateLimiter) fill(b *bucket, now time.Time) float64 {
	return math.Min(l.perMinute, b.tokens+now.Sub(b.at).Minutes()*l.perMinute)
}

// sweep forgets the clients whose bucket has refilled: they are
// indistinguishable from new ones.
func (l *rateLimiter) sweep(now time.Time) {
	l.lastSweep = now
	for k, b := range l.buckets {
		if l.fill(b, now) >= l.perMinute {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) >= maxClients {
		clear(l.buckets)
	}
}

// limitSubmissions caps how many checks one client (by the address the
// IP extractor trusts) may submit per minute, answering 429 with
// Retry-After beyond it. It wraps the routes that take a check's answers;
// only an acknowledged submission spends a token, so filling in the steps
// is never throttled, flooding the database is.
func (s *Server) limitSubmissions(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if s.limiter == nil || c.Request().Method != http.MethodPost {
			return next(c)
		}
		ip := c.RealIP()
		if ok, wait := s.limiter.peek(ip); !ok {
			secs := strconv.Itoa(max(int(math.Ceil(wait.Seconds())), 1))
			c.Response().Header().Set("Retry-After", secs)
			return echo.NewHTTPError(http.StatusTooManyRequests,
				"Too many checks were sent from your network in the last minute. Please wait "+secs+" seconds and send your answers again.")
		}
		err := next(c)
		if err == nil && acknowledged(c) {
			s.limiter.take(ip)
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
