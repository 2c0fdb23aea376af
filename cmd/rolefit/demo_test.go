package main

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

// TestDemo: rolefit demo fills a new database with the checks asked for,
// on the days before today, writes their result paths, may add more to
// its own database, and refuses one holding real checks unless --force.
func TestDemo(t *testing.T) {
	dir := t.TempDir()
	dbPath, tokens := filepath.Join(dir, "demo.db"), filepath.Join(dir, "tokens.txt")
	if _, stderr, err := runCmd(t, "", "demo", "-db", dbPath, "--checks", "12", "--days", "5", "--tokens", tokens); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	b, err := os.ReadFile(tokens)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Fields(string(b))
	if len(lines) != 12 || !strings.HasPrefix(lines[0], "/results/") {
		t.Fatalf("tokens file: %d lines, first %q", len(lines), lines[0])
	}
	store, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	token := strings.TrimPrefix(lines[3], "/results/")
	h := sha256.Sum256([]byte(token))
	sub, err := store.FindSubmission(ctx, h[:])
	if err != nil {
		t.Fatalf("a listed result is not stored: %v", err)
	}
	today := time.Now().UTC().Format(time.DateOnly)
	if first := time.Now().UTC().AddDate(0, 0, -5).Format(time.DateOnly); sub.Day >= today || sub.Day < first {
		t.Errorf("a demo check on %s, want one of the 5 days before %s", sub.Day, today)
	}
	if nodes, err := store.ReleasedNodes(ctx, sub.RoleSlug); err != nil || len(nodes) == 0 {
		t.Errorf("demo released no figures: %v", err)
	}
	if _, _, err := runCmd(t, "", "demo", "-db", dbPath, "--checks", "3", "--days", "2"); err != nil {
		t.Errorf("demo refused to add to its own database: %v", err)
	}

	real := filepath.Join(dir, "real.db")
	if _, stderr, err := runCmd(t, "", "import", "-db", real, refRole(t)); err != nil {
		t.Fatalf("import: %v\n%s", err, stderr)
	}
	rs, err := storage.Open(context.Background(), real)
	if err != nil {
		t.Fatal(err)
	}
	rh := sha256.Sum256([]byte("a real applicant"))
	if err := rs.CreateSubmission(ctx, &submission.Submission{TokenHash: rh[:], RoleSlug: "product-manager-marketing", VersionID: 1,
		Mode: "quick", Channel: "site", Day: today}); err != nil {
		t.Fatal(err)
	}
	rs.Close()
	if _, _, err := runCmd(t, "", "demo", "-db", real, "--checks", "3"); err == nil || !strings.Contains(err.Error(), "--force") {
		t.Errorf("demo on a database with a real check: %v, want a refusal naming --force", err)
	}
	if _, stderr, err := runCmd(t, "", "demo", "-db", real, "--checks", "3", "--force"); err != nil {
		t.Errorf("demo --force: %v\n%s", err, stderr)
	}
	if _, _, err := runCmd(t, "", "demo", "-db", real, "--checks", "0"); err == nil {
		t.Error("demo --checks 0 was accepted")
	}
}
