package main

import (
	"context"
	"crypto/sha256"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/pgtest"
	"github.com/rolefit/rolefit/internal/storage"
)

// TestMigrate copies a SQLite database with checks, an account and
// released figures into PostgreSQL: every table is counted at both ends,
// every result opens from PostgreSQL, its counters verify, the account
// signs in with the same hash; a second copy into the now full database
// is refused, as is a copy the wrong way round.
func TestMigrate(t *testing.T) {
	pg := pgtest.Database(t)
	dir := t.TempDir()
	file, tokens := filepath.Join(dir, "rolefit.db"), filepath.Join(dir, "tokens.txt")
	if _, stderr, err := runCmd(t, "", "demo", "-db", file, "--checks", "40", "--days", "6", "--tokens", tokens); err != nil {
		t.Fatalf("demo: %v\n%s", err, stderr)
	}
	if _, stderr, err := runCmd(t, "a long enough passphrase\n", "user", "add", "ada@example.com", "--admin", "-db", file); err != nil {
		t.Fatalf("user add: %v\n%s", err, stderr)
	}

	out, stderr, err := runCmd(t, "", "migrate", "--from", file, "--to", pg)
	if err != nil {
		t.Fatalf("migrate: %v\n%s%s", err, out, stderr)
	}
	if !strings.Contains(out, "every table has the same count at both ends") || !strings.Contains(out, "submissions") {
		t.Errorf("migrate printed:\n%s", out)
	}

	ctx := context.Background()
	st, err := storage.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	b, err := os.ReadFile(tokens)
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Fields(string(b)) {
		h := sha256.Sum256([]byte(strings.TrimPrefix(line, "/results/")))
		if _, err := st.FindSubmission(ctx, h[:]); err != nil {
			t.Fatalf("result %s does not open from PostgreSQL: %v", line, err)
		}
	}
	if diffs, err := st.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("counters after the copy: %v %v", diffs, err)
	}
	if u, err := st.UserByEmail(ctx, "ada@example.com"); err != nil || !u.Admin || !strings.HasPrefix(u.PasswordHash, "$argon2id$") {
		t.Errorf("the account after the copy: %+v %v", u, err)
	}
	st.Close()

	if _, _, err := runCmd(t, "", "migrate", "--from", file, "--to", pg); err == nil || !strings.Contains(err.Error(), "copy into an empty database") {
		t.Errorf("a second copy into the full database: %v", err)
	}
	if _, _, err := runCmd(t, "", "migrate", "--from", pg, "--to", file); err == nil {
		t.Error("a copy from PostgreSQL into SQLite was not refused")
	}
	missing := filepath.Join(dir, "typo.db")
	if _, _, err := runCmd(t, "", "migrate", "--from", missing, "--to", pg); err == nil || !strings.Contains(err.Error(), "no such database file") {
		t.Errorf("a copy from a file that does not exist: %v", err)
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("migrate created the missing source file")
	}
}
