package main

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/sqlite"
)

// TestSeed_ConsistentWithWritePath: the synthetic seed leaves exactly the
// counters that CreateSubmission would have left for its rows, and marks
// the database as synthetic.
func TestSeed_ConsistentWithWritePath(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seed.db")
	if err := seed(ctx, path, 3000, 30, time.Now()); err != nil {
		t.Fatal(err)
	}
	store, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if n, err := store.CountSubmissions(ctx, ""); err != nil || n != 3000 {
		t.Fatalf("%d submissions (%v), want 3000", n, err)
	}
	diffs, err := store.VerifyCounters(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, d := range diffs {
		if i == 5 {
			break
		}
		t.Errorf("counter differs from the rows: %s", d)
	}
	if mark, err := store.Setting(ctx, syntheticSetting); err != nil || !strings.HasPrefix(string(mark), "SYNTHETIC") {
		t.Errorf("synthetic mark %q (%v)", mark, err)
	}
}

// TestReadResponse reads sized and chunked responses off one connection,
// as the load generator does.
func TestReadResponse(t *testing.T) {
	big := strings.Repeat("x", 10_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/sized" {
			w.Header().Set("Content-Length", "5")
			_, _ = w.Write([]byte("hello"))
			return
		}
		_, _ = w.Write([]byte(big)) // too big to size: chunked
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for i := 0; i < 3; i++ {
		for _, path := range []string{"/sized", "/chunked"} {
			req := newRequest(addr, path, http.Header{"Accept": {"*/*"}}, http.StatusOK)
			if _, err := conn.Write(req.raw); err != nil {
				t.Fatal(err)
			}
			status, err := readResponse(r)
			if err != nil || status != 200 {
				t.Fatalf("%s: status %d, %v", path, status, err)
			}
		}
	}
}
