package main

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Cores: the servers run on serverCPU, the load generator on clientCPU,
// each with GOMAXPROCS=1, so that they do not compete for a core.
const (
	serverCPU = 0
	clientCPU = 1
	pinnedEnv = "ROLEFIT_BENCH_PINNED"
	// argsEnv carries the arguments the user gave to the pinned child,
	// for the report.
	argsEnv = "ROLEFIT_BENCH_ARGS"
)

// canPin reports whether processes can be put on separate cores.
func canPin() bool {
	_, err := exec.LookPath("taskset")
	return err == nil && onlineCPUs() >= 2
}

// onlineCPUs counts the machine's cores. runtime.NumCPU would count only
// those this process may use, which is one once it is pinned.
func onlineCPUs() int {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return runtime.NumCPU()
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "processor") {
			n++
		}
	}
	return max(n, 1)
}

// pinSelf re-runs the benchmark on the client's core with GOMAXPROCS=1
// when it can. It returns true in the parent, which should then exit with
// the child's status.
func pinSelf(args, userArgs []string) (bool, error) {
	if os.Getenv(pinnedEnv) != "" {
		runtime.GOMAXPROCS(1)
		return false, nil
	}
	runtime.GOMAXPROCS(1)
	if !canPin() {
		return false, nil
	}
	self, err := os.Executable()
	if err != nil {
		return false, err
	}
	cmd := exec.Command("taskset", append([]string{"-c", strconv.Itoa(clientCPU), self}, args...)...)
	cmd.Env = append(os.Environ(), pinnedEnv+"=1", "GOMAXPROCS=1", argsEnv+"="+strings.Join(userArgs, " "))
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	return true, cmd.Run()
}

// server is a spawned server process.
type server struct {
	cmd     *exec.Cmd
	addr    string
	log     *os.File
	stopped bool
}

// freeAddr returns a loopback address with a free port.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// spawn starts bin with args on the server's core with GOMAXPROCS=1 and
// waits until GET /healthz answers 200. It returns how long that took from
// the moment the process was started.
func spawn(ctx context.Context, logPath, addr string, env []string, bin string, args ...string) (*server, time.Duration, error) {
	name, argv := bin, args
	if canPin() {
		name, argv = "taskset", append([]string{"-c", strconv.Itoa(serverCPU), bin}, args...)
	}
	lf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, 0, err
	}
	cmd := exec.Command(name, argv...)
	cmd.Env = append(append(os.Environ(), "GOMAXPROCS=1"), env...)
	cmd.Stdout, cmd.Stderr = lf, lf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		lf.Close()
		return nil, 0, err
	}
	s := &server{cmd: cmd, addr: addr, log: lf}
	client := &http.Client{Timeout: time.Second}
	for {
		resp, err := client.Get("http://" + addr + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return s, time.Since(start), nil
			}
		}
		if time.Since(start) > 20*time.Second || ctx.Err() != nil {
			s.stop()
			return nil, 0, fmt.Errorf("%s did not answer /healthz within 20s (see %s)", bin, logPath)
		}
		time.Sleep(time.Millisecond)
	}
}

// stop ends the server gracefully, or kills it after a while.
func (s *server) stop() {
	if s == nil || s.cmd.Process == nil || s.stopped {
		return
	}
	s.stopped = true
	_ = s.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(25 * time.Second):
		_ = s.cmd.Process.Kill()
		<-done
	}
	s.log.Close()
}

// rss returns the server's resident memory in bytes (VmRSS).
func (s *server) rss() int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", s.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// cpu returns the CPU time the server's threads have used, from the
// scheduler's nanosecond counters (/proc/PID/task/*/schedstat).
func (s *server) cpu() time.Duration {
	dir := fmt.Sprintf("/proc/%d/task", s.cmd.Process.Pid)
	tasks, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	var total int64
	for _, t := range tasks {
		b, err := os.ReadFile(dir + "/" + t.Name() + "/schedstat")
		if err != nil {
			continue
		}
		if f := strings.Fields(string(b)); len(f) > 0 {
			ns, _ := strconv.ParseInt(f[0], 10, 64)
			total += ns
		}
	}
	return time.Duration(total)
}

// rssPeak samples the server's RSS every 20 ms until stop is closed and
// returns the highest value seen.
func (s *server) rssPeak(stop <-chan struct{}) <-chan int64 {
	out := make(chan int64, 1)
	go func() {
		peak := s.rss()
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				out <- max(peak, s.rss())
				return
			case <-t.C:
				peak = max(peak, s.rss())
			}
		}
	}()
	return out
}
