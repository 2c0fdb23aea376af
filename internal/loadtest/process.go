package loadtest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/rolefit/rolefit/internal/storage"
)

// Build compiles the rolefit binary into dir and returns its path.
func Build(ctx context.Context, dir string) (string, error) {
	gomod, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	root := filepath.Dir(strings.TrimSpace(string(gomod)))
	bin := filepath.Join(dir, "rolefit")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/rolefit")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build ./cmd/rolefit: %w\n%s", err, out)
	}
	return bin, nil
}

// Process is a running rolefit server.
type Process struct {
	Bin, DB string
	// URL is where it serves, e.g. http://127.0.0.1:41234.
	URL  string
	cmd  *exec.Cmd
	done chan struct{}
	err  error

	mu  sync.Mutex
	log bytes.Buffer
}

// Start runs `rolefit serve` on db at a free loopback port, trusting the
// load tool's X-Forwarded-For, and waits until it answers /healthz.
func Start(bin, db string, extra ...string) (*Process, error) {
	args := append([]string{"serve", "-addr", "127.0.0.1:0", "-db", db, "-trusted-proxies", "127.0.0.1,::1", "-log-level", "warn"}, extra...)
	cmd := exec.Command(bin, args...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	p := &Process{Bin: bin, DB: db, cmd: cmd, done: make(chan struct{})}
	cmd.Stderr = &lockedWriter{p}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	go func() {
		p.err = cmd.Wait()
		close(p.done)
	}()
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.log.WriteString(line + "\n")
			p.mu.Unlock()
			if _, rest, ok := strings.Cut(line, "serving on "); ok {
				select {
				case urls <- strings.Fields(rest)[0]:
				default:
				}
			}
		}
	}()
	select {
	case p.URL = <-urls:
	case <-p.done:
		return nil, fmt.Errorf("rolefit exited at start: %v\n%s", p.err, p.Log())
	case <-time.After(30 * time.Second):
		p.Kill()
		return nil, fmt.Errorf("rolefit did not start within 30s\n%s", p.Log())
	}
	for deadline := time.Now().Add(10 * time.Second); ; {
		res, err := http.Get(p.URL + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p, nil
			}
		}
		if time.Now().After(deadline) {
			p.Kill()
			return nil, fmt.Errorf("rolefit is not healthy: %v\n%s", err, p.Log())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type lockedWriter struct{ p *Process }

func (w *lockedWriter) Write(b []byte) (int, error) {
	w.p.mu.Lock()
	defer w.p.mu.Unlock()
	return w.p.log.Write(b)
}

// Log returns what the process printed.
func (p *Process) Log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.log.String()
}

// Kill ends the process with SIGKILL, as a crash or an OOM killer would.
func (p *Process) Kill() {
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	<-p.done
}

// Stop asks the process to shut down gracefully (SIGTERM) and waits up to
// timeout for it to exit; it returns the exit error.
func (p *Process) Stop(timeout time.Duration) error {
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		p.Kill()
		return fmt.Errorf("rolefit did not exit within %v of SIGTERM", timeout)
	}
}

// Exited reports whether the process has ended.
func (p *Process) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Check opens a database (a file that no server is using, or a PostgreSQL
// URL) and checks it: the database's integrity check, every token's
// submission present, and the
// dashboard counters equal to the submissions. It returns the number of
// submissions of the role.
func Check(ctx context.Context, db, role string, tokens []string) (int, error) {
	store, err := storage.Open(ctx, db)
	if err != nil {
		return 0, err
	}
	defer store.Close()
	var errs []error
	if v, err := store.IntegrityCheck(ctx); err != nil || v != "ok" {
		errs = append(errs, fmt.Errorf("integrity_check: %q %v", v, err))
	}
	missing := 0
	for _, t := range tokens {
		sum := sha256.Sum256([]byte(t))
		if _, err := store.FindSubmission(ctx, sum[:]); err != nil {
			missing++
		}
	}
	if missing > 0 {
		errs = append(errs, fmt.Errorf("%d of %d acknowledged submissions are missing", missing, len(tokens)))
	}
	if diffs, err := store.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		errs = append(errs, fmt.Errorf("counters disagree with the submissions: %v %v", diffs, err))
	}
	n, err := store.CountSubmissions(ctx, role)
	if err != nil {
		errs = append(errs, err)
	}
	if n < len(tokens) {
		errs = append(errs, fmt.Errorf("%d submissions stored, fewer than the %d acknowledged", n, len(tokens)))
	}
	return n, errors.Join(errs...)
}

var _ io.Writer = (*lockedWriter)(nil)
