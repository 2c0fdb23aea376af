package web

import (
	"net/http"
	"net/http/httptest"
	"net/netip"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/labstack/echo/v4"
)

func TestRateLimiter(t *testing.T) {
	now := time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC)
	l := newRateLimiter(3, func() time.Time { return now })
	allow := func(key string) (bool, time.Duration) {
		r, wait := l.reserve(key)
		return r != nil, wait
	}
	for i := range 3 {
		if ok, _ := allow("a"); !ok {
			t.Fatalf("request %d of the burst refused", i+1)
		}
	}
	ok, wait := allow("a")
	if ok || wait != 20*time.Second {
		t.Fatalf("fourth request: ok=%v wait=%v, want refused for 20s", ok, wait)
	}
	if ok, _ := allow("b"); !ok {
		t.Fatal("another client was refused")
	}
	now = now.Add(20 * time.Second)
	r, _ := l.reserve("a")
	if r == nil {
		t.Fatal("a refilled token was refused")
	}
	// A token given back can be taken again.
	now = now.Add(time.Second)
	r.giveBack()
	if ok, _ := allow("a"); !ok {
		t.Fatal("a token given back was not returned")
	}
	if ok, _ := allow("a"); ok {
		t.Fatal("a second token appeared after a third of a minute")
	}
	// Clients whose bucket refilled are forgotten.
	now = now.Add(2 * time.Minute)
	allow("c")
	if len(l.clients) != 1 {
		t.Errorf("%d clients tracked after the sweep, want 1", len(l.clients))
	}
}

// TestRateLimiter_Concurrent: a burst of concurrent requests from one
// client gets exactly the allowance, never more.
func TestRateLimiter_Concurrent(t *testing.T) {
	l := newRateLimiter(5, time.Now)
	var wg sync.WaitGroup
	var got atomic.Int32
	for range 200 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r, _ := l.reserve("a"); r != nil {
				got.Add(1)
			}
		}()
	}
	wg.Wait()
	if got.Load() != 5 {
		t.Errorf("%d of 200 concurrent requests allowed, want 5", got.Load())
	}
}

// TestLimitSubmissions checks the middleware as the final step uses it:
// 429 with Retry-After, keyed by the address the IP extractor trusts, so a
// spoofed X-Forwarded-For does not buy a fresh allowance.
func TestLimitSubmissions(t *testing.T) {
	tests := []struct {
		name    string
		trusted []netip.Prefix
		want    []int
	}{
		{name: "SpoofedXFFIgnored", want: []int{303, 303, 429}},
		{name: "TrustedProxyXFFBelieved", trusted: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, want: []int{303, 303, 303}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := &Server{limiter: newRateLimiter(2, time.Now)}
			e := echo.New()
			e.IPExtractor = ipExtractor(tt.trusted)
			e.HTTPErrorHandler = func(err error, c echo.Context) {
				code, msg := errorStatus(err)
				_ = c.String(code, msg)
			}
			e.POST("/submit", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/results/tok") }, s.limitSubmissions)
			e.POST("/step", func(c echo.Context) error { return c.Redirect(http.StatusSeeOther, "/roles/x/check/2") }, s.limitSubmissions)
			ts := httptest.NewServer(e)
			defer ts.Close()
			noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			// Steps that do not submit spend nothing.
			for range 5 {
				res, err := noFollow.Post(ts.URL+"/step", "", nil)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther {
					t.Fatalf("step: status %d", res.StatusCode)
				}
			}
			for i, want := range tt.want {
				req, _ := http.NewRequest(http.MethodPost, ts.URL+"/submit", nil)
				req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('1'+i)))
				res, err := noFollow.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != want {
					t.Fatalf("request %d: status %d, want %d", i+1, res.StatusCode, want)
				}
				if want == http.StatusTooManyRequests && res.Header.Get("Retry-After") != "30" {
					t.Errorf("Retry-After = %q, want 30", res.Header.Get("Retry-After"))
				}
			}
		})
	}
}
