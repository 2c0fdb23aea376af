package web

import (
	"sync"
	"time"
)

// loginThrottle counts failed sign-ins per account and per client address
// in fixed windows. Privacy: the keys (an e-mail, an address) live in
// memory only, for one window, and are never stored or logged.
type loginThrottle struct {
	now    func() time.Time
	window time.Duration
	limits map[string]int // key prefix → failures allowed per window

	mu        sync.Mutex
	fails     map[string]*failWindow
	lastSweep time.Time
}

type failWindow struct {
	n     int
	start time.Time
}

// Per window, an account may fail 5 times (guessing one password) and a
// client 20 times (trying many accounts, or an office behind one address).
const (
	throttleWindow     = 15 * time.Minute
	throttleAccount    = 5
	throttleClient     = 20
	throttleMaxEntries = 100_000
)

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, window: throttleWindow, fails: map[string]*failWindow{},
		limits: map[string]int{"account": throttleAccount, "client": throttleClient}}
}

func (t *loginThrottle) limit(key string) int {
	for p, n := range t.limits {
		if len(key) > len(p) && key[:len(p)] == p {
			return n
		}
	}
	return throttleAccount
}

// wait returns how long until every key may try again; 0 means now.
func (t *loginThrottle) wait(keys ...string) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	var longest time.Duration
	for _, k := range keys {
		f := t.fails[k]
		if f == nil || now.Sub(f.start) >= t.window || f.n < t.limit(k) {
			continue
		}
		if w := f.start.Add(t.window).Sub(now); w > longest {
			longest = w
		}
	}
	return longest
}

// fail counts a failed attempt against every key.
func (t *loginThrottle) fail(keys ...string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.fails) >= throttleMaxEntries || now.Sub(t.lastSweep) > t.window {
		t.sweep(now)
	}
	for _, k := range keys {
		f := t.fails[k]
		if f == nil || now.Sub(f.start) >= t.window {
			f = &failWindow{start: now}
			t.fails[k] = f
		}
		f.n++
	}
}

// reset forgets a key's failures (after a successful sign-in).
func (t *loginThrottle) reset(key string) {
	t.mu.Lock()
	delete(t.fails, key)
	t.mu.Unlock()
}

// sweep drops ended windows; if the map is still full it drops all, which
// errs towards letting people try rather than growing without bound.
func (t *loginThrottle) sweep(now time.Time) {
	t.lastSweep = now
	for k, f := range t.fails {
		if now.Sub(f.start) >= t.window {
			delete(t.fails, k)
		}
	}
	if len(t.fails) >= throttleMaxEntries {
		t.fails = map[string]*failWindow{}
	}
}
