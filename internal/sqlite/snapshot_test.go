package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"io/fs"
	"path"
	"path/filepath"
	"sort"
	"testing"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/role"
)

// TestMigration_SnapshotsExistingSubmissions: a database made before
// result snapshots existed, with an override and a submission, gets a
// snapshot for every version holding today's overrides, and the old
// submission is read back with them.
func TestMigration_SnapshotsExistingSubmissions(t *testing.T) {
	file := filepath.Join(t.TempDir(), "old.db")
	conn, err := sql.Open("sqlite3", "file:"+file+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	names, _ := fs.Glob(db.Migrations, "migrations/*.sql")
	sort.Strings(names)
	mustExec := func(q string, args ...any) {
		t.Helper()
		if _, err := conn.Exec(q, args...); err != nil {
			t.Fatalf("%.60s: %v", q, err)
		}
	}
	mustExec(`CREATE TABLE schema_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`)
	for _, name := range names {
		if path.Base(name) >= "0007" {
			break
		}
		body, _ := fs.ReadFile(db.Migrations, name)
		mustExec(string(body))
		mustExec(`INSERT INTO schema_migrations VALUES (?, '2026-01-01T00:00:00Z')`, path.Base(name))
	}
	mustExec(`INSERT INTO roles (slug, title, created_on) VALUES ('pm', 'PM', '2026-01-01')`)
	mustExec(`INSERT INTO role_versions (id, role_slug, hash, source, imported_at) VALUES (5, 'pm', 'h', '# PM', '2026-01-01T00:00:00Z')`)
	mustExec(`INSERT INTO item_overrides (role_slug, item_id, kind, weight, bonus) VALUES ('pm', 'aaaaaaaaaa', 'fact', 2, 1), ('pm', 'bbbbbbbbbb', NULL, NULL, 0)`)
	hash := sha256.Sum256([]byte("old token"))
	mustExec(`INSERT INTO submissions (id, token_hash, role_slug, version_id, mode, channel, day, answers, fits, recommended)
		VALUES (1, ?, 'pm', 5, 'quick', 'site', '2026-01-01', '{}', '{}', 'junior')`, hash[:])
	conn.Close()

	d, err := Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	sub, err := d.FindSubmission(context.Background(), hash[:])
	if err != nil {
		t.Fatal(err)
	}
	byID := map[string]role.Override{}
	for _, o := range sub.Overrides {
		byID[o.ItemID] = o
	}
	a, b := byID["aaaaaaaaaa"], byID["bbbbbbbbbb"]
	if len(sub.Overrides) != 2 || a.Kind != role.KindFact || a.Weight != 2 || a.Bonus == nil || !*a.Bonus ||
		b.Kind != "" || b.Weight != 0 || b.Bonus == nil || *b.Bonus {
		t.Errorf("overrides after migration: %+v", sub.Overrides)
	}
	// Changing an override now leaves the old submission's snapshot alone.
	err = d.write(context.Background(), func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE item_overrides SET kind = 'skill' WHERE item_id = 'aaaaaaaaaa'`)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if again, _ := d.FindSubmission(context.Background(), hash[:]); len(again.Overrides) != 2 {
		t.Errorf("snapshot moved: %+v", again.Overrides)
	}
}
