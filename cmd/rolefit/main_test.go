package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/storage"
)

// runCmd runs the CLI as a user would, with an empty environment.
func runCmd(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	err := run(context.Background(), args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
	return out.String(), errb.String(), err
}

func refRole(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "product-manager-marketing.md")
	src, err := os.ReadFile("../../db/roles/product-manager-marketing.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, src, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestImport_DryRunJSON(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "r.db")
	out, stderr, err := runCmd(t, "", "import", "--dry-run", "--json", "-db", dbPath, refRole(t))
	if err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	var got struct {
		Slug   string `json:"slug"`
		Levels []struct {
			Slug     string `json:"slug"`
			Grade    *int   `json:"grade"`
			Extends  string `json:"extends"`
			Requires []struct {
				Kind string `json:"kind"`
			} `json:"requirements"`
		} `json:"levels"`
		Warnings []any `json:"warnings"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	if got.Slug != "product-manager-marketing" || len(got.Levels) != 2 || got.Levels[1].Extends != "intermediate" ||
		got.Levels[0].Grade == nil || *got.Levels[0].Grade != 8 || len(got.Levels[0].Requires) != 12 {
		t.Errorf("unexpected role: %+v", got)
	}
	if _, err := os.Stat(dbPath); err == nil {
		t.Error("a dry run created the database")
	}
}

func TestImport_Refused(t *testing.T) {
	p := filepath.Join(t.TempDir(), "empty.md")
	os.WriteFile(p, []byte("---\ntitle: Nothing here\n---\n\nJust a [link](/elsewhere).\n"), 0o644)
	_, stderr, err := runCmd(t, "", "import", "--dry-run", p)
	if err == nil {
		t.Fatal("a page with no items was accepted")
	}
	if !strings.Contains(stderr, "refused") {
		t.Errorf("stderr does not say why: %q", stderr)
	}
}

func TestImportRolesBackup(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "r.db")
	if _, stderr, err := runCmd(t, "", "import", "-db", dbPath, refRole(t)); err != nil {
		t.Fatalf("import: %v %s", err, stderr)
	}
	out, _, err := runCmd(t, "", "roles", "-db", dbPath)
	if err != nil || !strings.Contains(out, "product-manager-marketing") || !strings.Contains(out, "published") {
		t.Fatalf("roles: %v\n%s", err, out)
	}
	backup := filepath.Join(dir, "copy.db")
	if _, _, err := runCmd(t, "", "backup", "-db", dbPath, backup); err != nil {
		t.Fatalf("backup: %v", err)
	}
	out, _, err = runCmd(t, "", "roles", "-db", backup)
	if err != nil || !strings.Contains(out, "product-manager-marketing") {
		t.Fatalf("roles of the backup: %v\n%s", err, out)
	}
	if _, _, err := runCmd(t, "", "backup", "-db", dbPath, backup); err == nil {
		t.Error("backup overwrote an existing file")
	}
}

// TestImport_SourceURL imports a page with the address it is published at,
// which its new version keeps, and refuses an address that is not one.
func TestImport_SourceURL(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "r.db")
	const src = "https://handbook.example.com/job-families/marketing/pm/"
	if _, stderr, err := runCmd(t, "", "import", "-db", dbPath, "--source-url", src, refRole(t)); err != nil {
		t.Fatalf("import: %v %s", err, stderr)
	}
	store, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	vs, err := store.CurrentRoleVersions(context.Background())
	if err != nil || len(vs) != 1 || vs[0].SourceURL != src {
		t.Fatalf("stored versions %+v, %v; want one with the source page", vs, err)
	}
	for _, bad := range []string{"/job-families/pm/", "javascript:alert(1)"} {
		if _, _, err := runCmd(t, "", "import", "-db", dbPath, "--source-url", bad, refRole(t)); err == nil {
			t.Errorf("--source-url %q accepted", bad)
		}
	}
}

func TestUnknownCommand(t *testing.T) {
	if _, stderr, err := runCmd(t, "", "frobnicate"); err == nil || !strings.Contains(stderr, "Usage") {
		t.Fatalf("err %v stderr %q", err, stderr)
	}
}

// TestServe starts the server as `rolefit serve` would on a free port,
// with a new database: the reference role is served, and cancelling the
// context shuts the server down cleanly.
func TestServe(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"-addr", addr, "-db", filepath.Join(t.TempDir(), "r.db")},
			func(string) string { return "" }, strings.NewReader(""), io.Discard, io.Discard)
	}()
	var res *http.Response
	for i := 0; i < 100; i++ {
		if res, err = http.Get("http://" + addr + "/roles/product-manager-marketing"); err == nil {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("server did not answer: %v", err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("role page status %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}
