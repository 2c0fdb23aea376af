package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// request is one prepared HTTP/1.1 request, sent as is on keep-alive
// connections.
type request struct {
	raw        []byte
	wantStatus int
}

// newRequest builds a GET of path with the given headers.
func newRequest(addr, path string, header http.Header, wantStatus int) request {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", path, addr)
	for k, vs := range header {
		for _, v := range vs {
			fmt.Fprintf(&b, "%s: %s\r\n", k, v)
		}
	}
	b.WriteString("\r\n")
	return request{raw: b.Bytes(), wantStatus: wantStatus}
}

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

// hammer sends req over conns keep-alive connections as fast as the
// server answers, for d after a warm-up of warm. The client is a minimal
// HTTP/1.1 reader (status line, headers, a sized or chunked body) so that
// it costs far less per request than the servers it measures.
func hammer(ctx context.Context, srv *server, req request, conns int, warm, d time.Duration) (throughput, error) {
	addr := srv.addr
	var (
		count    atomic.Int64
		counting atomic.Bool
		stop     atomic.Bool
		wg       sync.WaitGroup
		errOnce  sync.Once
		firstErr error
	)
	for i := 0; i < conns; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := func() error {
				c, err := net.Dial("tcp", addr)
				if err != nil {
					return err
				}
				defer c.Close()
				r := bufio.NewReaderSize(c, 64<<10)
				for !stop.Load() {
					if _, err := c.Write(req.raw); err != nil {
						return err
					}
					status, err := readResponse(r)
					if err != nil {
						return err
					}
					if status != req.wantStatus {
						return fmt.Errorf("status %d, want %d", status, req.wantStatus)
					}
					if counting.Load() {
						count.Add(1)
					}
				}
				return nil
			}()
			if err != nil {
				errOnce.Do(func() { firstErr = err; stop.Store(true) })
			}
		}()
	}
	sleep(ctx, warm)
	counting.Store(true)
	cpu0, scpu0, start := cpuTime(), srv.cpu(), time.Now()
	sleep(ctx, d)
	counting.Store(false)
	elapsed, cpu, scpu := time.Since(start), cpuTime()-cpu0, srv.cpu()-scpu0
	n := count.Load()
	stop.Store(true)
	wg.Wait()
	if firstErr != nil {
		return throughput{}, firstErr
	}
	if err := ctx.Err(); err != nil {
		return throughput{}, err
	}
	return throughput{Requests: int(n), Elapsed: elapsed, ClientCPU: cpu.Seconds() / elapsed.Seconds(), ServerCPU: scpu}, nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// cpuTime is the CPU time this process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

var errMalformed = errors.New("malformed response")

// readResponse reads one response and discards its body.
func readResponse(r *bufio.Reader) (int, error) {
	line, err := r.ReadSlice('\n')
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.1 ")) {
		return 0, errMalformed
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, errMalformed
	}
	length, chunked := -1, false
	for {
		line, err := r.ReadSlice('\n')
		if err != nil {
			return 0, err
		}
		if len(line) <= 2 {
			break
		}
		k, v, ok := bytes.Cut(line, []byte(":"))
		if !ok {
			return 0, errMalformed
		}
		v = bytes.TrimSpace(v)
		switch {
		case bytes.EqualFold(k, []byte("Content-Length")):
			if length, err = strconv.Atoi(string(v)); err != nil {
				return 0, errMalformed
			}
		case bytes.EqualFold(k, []byte("Transfer-Encoding")):
			chunked = bytes.EqualFold(v, []byte("chunked"))
		}
	}
	switch {
	case chunked:
		for {
			line, err := r.ReadSlice('\n')
			if err != nil {
				return 0, err
			}
			size, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
			if err != nil {
				return 0, errMalformed
			}
			if _, err := r.Discard(int(size) + 2); err != nil {
				return 0, err
			}
			if size == 0 {
				return status, nil
			}
		}
	case length >= 0:
		_, err = r.Discard(length)
		return status, err
	case status == http.StatusNoContent || status == http.StatusNotModified:
		return status, nil
	}
	return 0, io.ErrUnexpectedEOF
}
