package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/storage"
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
	store, err := storage.Open(ctx, path)
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

// TestParseWrk reads wrk's summary, and refuses one that reports failed
// responses or socket errors.
func TestParseWrk(t *testing.T) {
	ok := "Running 2s test @ http://127.0.0.1:1/roles/x\n  1 threads and 16 connections\n" +
		"  40321 requests in 1.50s, 141.71MB read\nRequests/sec:  26880.67\nTransfer/sec:     94.47MB\n"
	got, err := parseWrk(ok)
	if err != nil || got.Requests != 40321 || got.Elapsed != 1500*time.Millisecond {
		t.Errorf("parseWrk = %+v, %v; want 40321 requests in 1.5s", got, err)
	}
	for _, bad := range []string{
		strings.Replace(ok, "Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec", 1),
		strings.Replace(ok, "Requests/sec", "  Socket errors: connect 0, read 3, write 0, timeout 0\nRequests/sec", 1),
		"unable to connect to 127.0.0.1:1 Connection refused\n",
		strings.Replace(ok, "40321 requests", "0 requests", 1),
	} {
		if _, err := parseWrk(bad); err == nil {
			t.Errorf("parseWrk accepted %q", bad)
		}
	}
}
