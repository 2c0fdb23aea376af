package web

import (
	"sync"
	"time"
)

// loginThrottle limits sign-in attempts in fixed windows, per account from
// one client and per client. An attempt is counted before its password is
// checked, so that a burst of concurrent attempts cannot all pass a check
// made before any of them failed; a sign-in that succeeds takes its count
// back. Keying the account limit on the client too means a stranger's
// wrong passwords never lock the owner out. Privacy: the keys (an e-mail,
// an address) live in memory only, for one window, and are never stored
// or logged.
type loginThrottle struct {
	now    func() time.Time
	window time.Duration

	mu        sync.Mutex
	attempts  map[string]*attemptWindow
	lastSweep time.Time
}

type attemptWindow struct {
	n     int
	start time.Time
	limit int
}

// Per window, an account may be tried 5 times from one client (guessing
// one password) and a client 20 times (trying many accounts, or an office
// behind one address).
const (
	throttleWindow     = 15 * time.Minute
	throttleAccount    = 5
	throttleClient     = 20
	throttleMaxEntries = 100_000
)

func newLoginThrottle(now func() time.Time) *loginThrottle {
	return &loginThrottle{now: now, window: throttleWindow, attempts: map[string]*attemptWindow{}}
}

// throttleKeys are the keys an attempt on email from client counts against.
type throttleKeys struct{ account, client string }

func newThrottleKeys(email, client string) throttleKeys {
	return throttleKeys{account: "account:" + email + "\x00" + client, client: "client:" + client}
}

// reserve counts an attempt against both keys, or, when either is at its
// limit, counts nothing and returns how long until both may try again.
func (t *loginThrottle) reserve(k throttleKeys) time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := t.now()
	if len(t.attempts) >= throttleMaxEntries || now.Sub(t.lastSweep) > t.window {
		t.sweep(now)
	}
	wins := [2]*attemptWindow{t.current(k.account, throttleAccount, now), t.current(k.client, throttleClient, now)}
	var longest time.Duration
	for _, w := range wins {
		if w.n >= w.limit {
			longest = max(longest, w.start.Add(t.window).Sub(now))
		}
	}
	if longest > 0 {
		return longest
	}
	for _, w := range wins {
		w.n++
	}
	return 0
}

// current returns key's current window, starting a new one if it ended;
// t.mu is held.
func (t *loginThrottle) current(key string, limit int, now time.Time) *attemptWindow {
	w := t.attempts[key]
	if w == nil || now.Sub(w.start) >= t.window {
		w = &attemptWindow{start: now, limit: limit}
		t.attempts[key] = w
	}
	return w
}

// succeeded takes back the attempt of a sign-in that succeeded: the
// account's count from this client is forgotten and the client's goes
// down by one.
func (t *loginThrottle) succeeded(k throttleKeys) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.attempts, k.account)
	if w := t.attempts[k.client]; w != nil && w.n > 0 {
		w.n--
	}
}

// sweep drops ended windows; if the map is still full it drops all, which
// errs towards letting people try rather than growing without bound.
func (t *loginThrottle) sweep(now time.Time) {
	t.lastSweep = now
	for k, w := range t.attempts {
		if now.Sub(w.start) >= t.window {
			delete(t.attempts, k)
		}
	}
	if len(t.attempts) >= throttleMaxEntries {
		t.attempts = map[string]*attemptWindow{}
	}
}
