package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const refRole = "product-manager-marketing"

var (
	buildOnce sync.Once
	builtBin  string
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// rolefitBin builds the rolefit binary once for all the tests here.
func rolefitBin(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the rolefit binary; skipped in -short")
	}
	buildOnce.Do(func() {
		if buildDir, buildErr = os.MkdirTemp("", "rolefit-crashtest-"); buildErr == nil {
			builtBin, buildErr = Build(context.Background(), buildDir)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return builtBin
}

func start(t *testing.T, bin, db string, extra ...string) *Process {
	t.Helper()
	p, err := Start(bin, db, extra...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if !p.Exited() {
			p.Kill()
		}
	})
	return p
}

// ackLog collects acknowledged tokens from many applicants.
type ackLog struct {
	mu     sync.Mutex
	tokens []string
	n      atomic.Int64
}

func (l *ackLog) add(tok string) {
	l.mu.Lock()
	l.tokens = append(l.tokens, tok)
	l.mu.Unlock()
	l.n.Add(1)
}

func (l *ackLog) snapshot() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.tokens...)
}

// waitFor waits until cond holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(timeout); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

// TestCrashRecovery kills rolefit with SIGKILL in the middle of a load,
// three times, and restarts it: every acknowledged submission must survive
// every crash, the file must pass integrity_check and the dashboard
// counters must still equal the rows.
func TestCrashRecovery(t *testing.T) {
	bin := rolefitBin(t)
	db := filepath.Join(t.TempDir(), "rolefit.db")
	acks := &ackLog{}
	for round := 1; round <= 3; round++ {
		p := start(t, bin, db)
		if err := Verify(context.Background(), p.URL, acks.snapshot(), 8); err != nil {
			t.Fatalf("round %d, after restart: %v", round, err)
		}
		before := acks.n.Load()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan *Report, 1)
		go func() {
			done <- Run(ctx, Options{BaseURL: p.URL, Applicants: 400, Concurrency: 16,
				ForwardedFor: true, Seed: uint64(round), OnAck: acks.add})
		}()
		// Kill once the load is well under way, with commits in flight.
		waitFor(t, 60*time.Second, "acknowledged submissions", func() bool { return acks.n.Load()-before >= 120 })
		p.Kill()
		cancel()
		rep := <-done
		if rep.ServerErrors() > 0 {
			t.Errorf("round %d: %d answers were 5xx before the kill", round, rep.ServerErrors())
		}
		tokens := acks.snapshot()
		n, err := Check(context.Background(), db, refRole, tokens)
		if err != nil {
			t.Fatalf("round %d, after SIGKILL: %v", round, err)
		}
		t.Logf("round %d: killed after %d acknowledged this round (%d in all), %d stored, integrity ok",
			round, int64(len(tokens))-before, len(tokens), n)
	}
	p := start(t, bin, db)
	if err := Verify(context.Background(), p.URL, acks.snapshot(), 8); err != nil {
		t.Fatalf("after the last restart: %v", err)
	}
	if err := p.Stop(20 * time.Second); err != nil {
		t.Fatalf("graceful stop: %v", err)
	}
}

// TestGracefulShutdown sends SIGTERM while the final step of a check is
// half sent and the server is under load: rolefit must stop accepting,
// finish that request (acknowledging a submission that is then in the
// database), answer no 5xx, and exit 0.
func TestGracefulShutdown(t *testing.T) {
	bin := rolefitBin(t)
	db := filepath.Join(t.TempDir(), "rolefit.db")
	p := start(t, bin, db)

	// One applicant reaches the last step and starts sending it.
	a := newApplicant(Options{BaseURL: p.URL, Role: refRole, Mode: "quick"}, http.DefaultTransport, 0)
	ctx := context.Background()
	path, form := a.lastStep(t, ctx)
	req, _ := http.NewRequest(http.MethodPost, p.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	u, _ := url.Parse(p.URL)
	for _, c := range a.hc.Jar.Cookies(u) {
		req.AddCookie(c)
	}
	var raw bytes.Buffer
	if err := req.Write(&raw); err != nil {
		t.Fatal(err)
	}
	conn, err := net.Dial("tcp", u.Host)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	b := raw.Bytes()
	if _, err := conn.Write(b[:len(b)-8]); err != nil {
		t.Fatal(err)
	}

	// Others are busy meanwhile.
	acks := &ackLog{}
	loadDone := make(chan *Report, 1)
	go func() {
		loadDone <- Run(ctx, Options{BaseURL: p.URL, Applicants: 300, Concurrency: 16, ForwardedFor: true, OnAck: acks.add})
	}()
	waitFor(t, 60*time.Second, "load", func() bool { return acks.n.Load() >= 50 })
	stopped := make(chan error, 1)
	go func() { stopped <- p.Stop(20 * time.Second) }()

	// The listener closes at once; the half-sent request keeps the
	// process alive until it is answered.
	waitFor(t, 5*time.Second, "the listener to close", func() bool {
		c, err := net.DialTimeout("tcp", u.Host, time.Second)
		if err == nil {
			c.Close()
		}
		return err != nil
	})
	time.Sleep(200 * time.Millisecond)
	if p.Exited() {
		t.Fatal("rolefit exited with a request in flight")
	}
	if _, err := conn.Write(b[len(b)-8:]); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	if err != nil {
		t.Fatalf("the in-flight request got no answer: %v", err)
	}
	res.Body.Close()
	token, ok := strings.CutPrefix(res.Header.Get("Location"), "/results/")
	if res.StatusCode != http.StatusSeeOther || !ok {
		t.Fatalf("in-flight final step: %d → %q, want 303 to its result", res.StatusCode, res.Header.Get("Location"))
	}
	if err := <-stopped; err != nil {
		t.Fatalf("exit after SIGTERM: %v\n%s", err, p.Log())
	}
	rep := <-loadDone
	if rep.ServerErrors() > 0 {
		t.Errorf("%d answers were 5xx during the shutdown", rep.ServerErrors())
	}
	tokens := append(acks.snapshot(), token)
	if _, err := Check(ctx, db, refRole, tokens); err != nil {
		t.Fatalf("after the shutdown: %v", err)
	}
	t.Logf("shut down under load: the half-sent submission and %d others acknowledged and stored", len(tokens)-1)
}

// lastStep walks the check up to its last step and returns that step's
// form, filled in, without sending it.
func (a *applicant) lastStep(t *testing.T, ctx context.Context) (string, url.Values) {
	t.Helper()
	_, page, err := a.do(ctx, http.MethodGet, "/roles/"+refRole, nil)
	if err != nil {
		t.Fatal(err)
	}
	startForm := page.Find(`form.start-form`).First()
	action, _ := startForm.Attr("action")
	form := a.fill(startForm)
	form.Set("mode", "quick")
	res, _, err := a.do(ctx, http.MethodPost, action, form)
	if err != nil {
		t.Fatal(err)
	}
	loc := res.Header.Get("Location")
	for range 50 {
		_, page, err := a.do(ctx, http.MethodGet, loc, nil)
		if err != nil {
			t.Fatal(err)
		}
		f := page.Find(`form[data-testid="step-form"]`).First()
		action, _ := f.Attr("action")
		form := a.fill(f)
		form.Set("action", "next")
		if strings.Contains(f.Find(`[data-testid="next"]`).Text(), "result") {
			return action, form
		}
		res, _, err := a.do(ctx, http.MethodPost, action, form)
		if err != nil {
			t.Fatal(err)
		}
		loc = res.Header.Get("Location")
	}
	t.Fatal("no last step found")
	return "", nil
}
