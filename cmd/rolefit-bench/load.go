package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"time"
)

// wrkPath is Debian's wrk, the load generator the throughput figures
// are measured with.
const wrkPath = "/usr/bin/wrk"

// throughput is the outcome of one closed-loop run.
type throughput struct {
	Requests int
	Elapsed  time.Duration
	// ClientCPU is the share of one core the load generator itself used:
	// near 1 would mean the client, not the server, was the limit.
	ClientCPU float64
	// ServerCPU is the CPU time the server used meanwhile.
	ServerCPU time.Duration
}

// PerCPUSecond is the requests served per second of the server's CPU: the
// rate it would reach with its core to itself, which other work on a
// shared machine does not change.
func (t throughput) PerCPUSecond() float64 { return float64(t.Requests) / t.ServerCPU.Seconds() }

func (t throughput) RPS() float64 { return float64(t.Requests) / t.Elapsed.Seconds() }

// hammer has wrk (one thread, on the benchmark's own core) send the GET
// of path with header over conns keep-alive connections as fast as the
// server answers, for d (whole seconds: wrk takes no less). Any response
// that is not 2xx or 3xx, or any socket error, fails the run: the figure
// would then count something else than the page.
func hammer(ctx context.Context, srv *server, path string, header http.Header, conns int, d time.Duration) (throughput, error) {
	if _, err := os.Stat(wrkPath); err != nil {
		return throughput{}, fmt.Errorf("the throughput figures need wrk at %s (Debian's wrk package): %w", wrkPath, err)
	}
	args := []string{"-t1", "-c" + strconv.Itoa(conns)}
	for k, vs := range header {
		for _, v := range vs {
			args = append(args, "-H", k+": "+v)
		}
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	cmd := exec.CommandContext(ctx, wrkPath, append(args, "-d"+strconv.Itoa(secs)+"s", "http://"+srv.addr+path)...)
	scpu0, start := srv.cpu(), time.Now()
	out, err := cmd.CombinedOutput()
	elapsed, scpu := time.Since(start), srv.cpu()-scpu0
	if err != nil {
		return throughput{}, fmt.Errorf("wrk: %w: %s", err, out)
	}
	t, err := parseWrk(string(out))
	if err != nil {
		return throughput{}, err
	}
	st := cmd.ProcessState
	t.ClientCPU = (st.UserTime() + st.SystemTime()).Seconds() / elapsed.Seconds()
	t.ServerCPU = scpu
	return t, nil
}

var (
	wrkTotal  = regexp.MustCompile(`(\d+) requests in ([0-9.]+)(us|ms|s|m)\b`)
	wrkFailed = regexp.MustCompile(`(Non-2xx or 3xx responses|Socket errors): .*`)
)

// parseWrk reads the requests and the time from wrk's summary, and fails
// on any failed response or socket error it reports.
func parseWrk(out string) (throughput, error) {
	if bad := wrkFailed.FindString(out); bad != "" {
		return throughput{}, fmt.Errorf("wrk: %s", bad)
	}
	m := wrkTotal.FindStringSubmatch(out)
	if m == nil {
		return throughput{}, fmt.Errorf("wrk: no summary in its output: %s", out)
	}
	n, _ := strconv.Atoi(m[1])
	v, _ := strconv.ParseFloat(m[2], 64)
	unit := map[string]time.Duration{"us": time.Microsecond, "ms": time.Millisecond, "s": time.Second, "m": time.Minute}[m[3]]
	if n == 0 {
		return throughput{}, fmt.Errorf("wrk: no request answered: %s", out)
	}
	return throughput{Requests: n, Elapsed: time.Duration(v * float64(unit))}, nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}
