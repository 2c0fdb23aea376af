package postgres

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/pgtest"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

// mustOpen opens the database at addr and closes it when the test ends.
func mustOpen(t testing.TB, addr string, o Options) *DB {
	t.Helper()
	d, err := Open(context.Background(), addr, o)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func seedRole(t *testing.T, d *DB) int64 {
	t.Helper()
	v, err := d.SaveRoleVersion(context.Background(), "pm", "Product Manager", []byte("# PM\n"), "h1", role.Edits{})
	if err != nil {
		t.Fatalf("save role: %v", err)
	}
	return v.ID
}

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

func newSubmission(token string, vid int64) *submission.Submission {
	return &submission.Submission{TokenHash: tokenHash(token), RoleSlug: "pm", VersionID: vid, Mode: "quick",
		Channel: "site", Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3, "bbbbbbbbbb": 1},
		Fits: map[string]float64{"intermediate": 81.25, "senior": 40}, Recommended: "intermediate",
		Overrides: []role.Override{{ItemID: "aaaaaaaaaa", Kind: "skill", Weight: 2}}}
}

func TestOpen_TwoAtOnce(t *testing.T) {
	addr := pgtest.Database(t)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range errs {
		wg.Go(func() {
			d, err := Open(context.Background(), addr, Options{})
			if err == nil {
				err = d.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("two instances starting at once: %v", err)
	}
	d := mustOpen(t, addr, Options{})
	var names []string
	rows, err := d.pool.Query(context.Background(), "SELECT name FROM schema_migrations")
	if err == nil {
		names, err = pgx.CollectRows(rows, pgx.RowTo[string])
	}
	if err != nil || !slices.Equal(names, []string{"0001_schema.sql"}) {
		t.Fatalf("applied migrations: %q %v, want the schema once", names, err)
	}
}

func TestMigrate_Refusals(t *testing.T) {
	d := mustOpen(t, pgtest.Database(t), Options{})
	ctx := context.Background()
	file := func(q string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(q)} }
	fsys := fstest.MapFS{
		"postgres/0001_schema.sql": file("SELECT 1"),
		"postgres/0003_b.sql":      file("CREATE TABLE b (x int)"),
	}
	if err := d.migrateFrom(ctx, fsys); err != nil {
		t.Fatalf("a new migration: %v", err)
	}
	fsys["postgres/0002_a.sql"] = file("CREATE TABLE a (x int)")
	if err := d.migrateFrom(ctx, fsys); err == nil || !strings.Contains(err.Error(), "sorts before 0003_b.sql") {
		t.Errorf("a file sorting before an applied one: %v", err)
	}
	delete(fsys, "postgres/0002_a.sql")
	delete(fsys, "postgres/0003_b.sql")
	if err := d.migrateFrom(ctx, fsys); err == nil || !strings.Contains(err.Error(), "0003_b.sql, which this rolefit does not know") {
		t.Errorf("a database from a newer rolefit: %v", err)
	}
}

// TestGroupCommit writes from 64 callers at once, in groups and without:
// every acknowledged submission is found, with its overrides, and the
// counters agree with the rows.
func TestGroupCommit(t *testing.T) {
	for _, o := range []Options{{}, {Ungrouped: true}} {
		t.Run(fmt.Sprintf("Ungrouped=%v", o.Ungrouped), func(t *testing.T) {
			d := mustOpen(t, pgtest.Database(t), o)
			var batches, written atomic.Int64
			d.ObserveBatches(func(size int, _ time.Duration) { batches.Add(1); written.Add(int64(size)) })
			vid := seedRole(t, d)
			ctx := context.Background()
			const callers = 64
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() {
					if err := d.CreateSubmission(ctx, newSubmission(fmt.Sprint("t", i), vid)); err != nil {
						t.Error(err)
					}
					if err := d.RecordEvent(ctx, submission.Event{Day: "2026-11-29", RoleSlug: "pm", VersionID: vid,
						Channel: "site", Mode: "quick", Name: "started"}); err != nil {
						t.Error(err)
					}
				})
			}
			wg.Wait()
			for i := range callers {
				s, err := d.FindSubmission(ctx, tokenHash(fmt.Sprint("t", i)))
				if err != nil {
					t.Fatalf("submission %d: %v", i, err)
				}
				if s.Fits["intermediate"] != 81.3 || len(s.Overrides) != 1 || s.Overrides[0].Weight != 2 {
					t.Fatalf("submission %d read back as %+v", i, s)
				}
			}
			if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
				t.Errorf("counters: %v %v", diffs, err)
			}
			sums, err := d.CounterSums(ctx, "pm", "2026-11-29", "2026-11-29")
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]int64{"started": callers, "completed": callers}
			for _, c := range sums {
				if n, ok := want[c.Metric]; ok && c.N != n {
					t.Errorf("%s counted %d, want %d", c.Metric, c.N, n)
				}
			}
			if o.Ungrouped {
				if batches.Load() != 0 {
					t.Errorf("ungrouped writes were grouped %d times", batches.Load())
				}
				return
			}
			// The role's save, 64 submissions and 64 events.
			if written.Load() != 2*callers+1 {
				t.Errorf("groups carried %d writes, want %d", written.Load(), 2*callers+1)
			}
			if batches.Load() >= written.Load() {
				t.Logf("no two writes shared a group (%d groups)", batches.Load())
			}
		})
	}
}

// TestGroupCommit_FailedWrite: a write that fails inside a group leaves
// no row and no counter behind, and the group's other writes land.
func TestGroupCommit_FailedWrite(t *testing.T) {
	d := mustOpen(t, pgtest.Database(t), Options{})
	vid := seedRole(t, d)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 32 {
		wg.Go(func() {
			s := newSubmission(fmt.Sprint("t", i), vid)
			if i%2 == 1 {
				s.VersionID = 999 // no such version: refused by the foreign key
			}
			err := d.CreateSubmission(ctx, s)
			if (err == nil) != (i%2 == 0) {
				t.Errorf("write %d: %v", i, err)
			}
		})
	}
	wg.Wait()
	if n, err := d.CountSubmissions(ctx, ""); err != nil || n != 16 {
		t.Errorf("%d submissions (%v), want 16", n, err)
	}
	if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("counters: %v %v", diffs, err)
	}
}

// TestWriteTable_FromSQLite copies every table of a SQLite database with
// a role, submissions, a deletion, a release and accounts, and finds them
// all through the PostgreSQL store; new rows then take fresh ids.
func TestWriteTable_FromSQLite(t *testing.T) {
	d := mustOpen(t, pgtest.Database(t), Options{})
	ctx := context.Background()
	src, err := sqlite.Open(filepath.Join(t.TempDir(), "rolefit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	v, err := src.SaveRoleVersionWith(ctx, "pm", "Product Manager", []byte("# PM\n"), "h1",
		[]role.Include{{Path: "base.md", Source: []byte("# Base\n")}}, role.Edits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := src.SetRoleArchived(ctx, "pm", true); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if err := src.CreateSubmission(ctx, newSubmission(fmt.Sprint("s", i), v.ID)); err != nil {
			t.Fatal(err)
		}
	}
	if err := src.DeleteSubmission(ctx, tokenHash("s2")); err != nil {
		t.Fatal(err)
	}
	if err := src.SaveRelease(ctx, "pm", release.Node{Start: "2026-11-01", Days: 2}, release.Params{Epsilon: 1, Delta: 1e-6, Sigma: 3},
		[]release.Count{{Slice: release.Slice{VersionID: v.ID, Channel: "site", Mode: "quick"}, Cell: release.Cell{Metric: "completed"}, N: 7}}); err != nil {
		t.Fatal(err)
	}
	admin, err := src.CreateUser(ctx, "Admin@Example.com", "hash", true)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := src.CreateAPIToken(ctx, "ci", tokenHash("api"), "2027-01-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := src.SetSettingOnce(ctx, "session_keys", []byte{0, 1, 2}); err != nil {
		t.Fatal(err)
	}
	for _, table := range d.Tables() {
		var cols []string
		var rows [][]any
		if err := src.ReadTable(ctx, table, func(c []string, r []any) error { cols, rows = c, append(rows, r); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(rows) > 0 {
			if err := d.WriteTable(ctx, table, cols, rows); err != nil {
				t.Fatalf("write %s: %v", table, err)
			}
		}
		from, _ := src.CountRows(ctx, table)
		if to, err := d.CountRows(ctx, table); err != nil || to != from {
			t.Errorf("%s: %d rows copied of %d (%v)", table, to, from, err)
		}
	}
	got, err := d.CurrentRoleVersion(ctx, "pm")
	if err != nil || !got.Archived || got.ID != v.ID || got.Number != 1 || len(got.Includes) != 1 || !got.ImportedAt.Equal(v.ImportedAt) {
		t.Errorf("copied role: %+v %v", got, err)
	}
	if s, err := d.FindSubmission(ctx, tokenHash("s0")); err != nil || len(s.Overrides) != 1 || s.Answers["aaaaaaaaaa"] != 3 {
		t.Errorf("copied submission: %+v %v", s, err)
	}
	if _, err := d.FindSubmission(ctx, tokenHash("s2")); !errors.Is(err, apperr.ErrGone) {
		t.Errorf("copied deletion: %v, want gone", err)
	}
	if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		t.Errorf("copied counters: %v %v", diffs, err)
	}
	if u, err := d.UserByEmail(ctx, "admin@example.COM"); err != nil || u.ID != admin.ID || !u.Admin {
		t.Errorf("copied user: %+v %v", u, err)
	}
	if _, err := d.CreateUser(ctx, "ADMIN@example.com", "h", false); !errors.Is(err, apperr.ErrConflict) {
		t.Errorf("same e-mail in another case: %v, want conflict", err)
	}
	if u, err := d.CreateUser(ctx, "new@example.com", "h", false); err != nil || u.ID <= admin.ID {
		t.Errorf("a user added after the copy: %+v %v", u, err)
	}
	if tok, err := d.APITokenByHash(ctx, tokenHash("api")); err != nil || tok.ExpiresOn != "2027-01-01" {
		t.Errorf("copied token: %+v %v", tok, err)
	}
	if k, err := d.Setting(ctx, "session_keys"); err != nil || string(k) != "\x00\x01\x02" {
		t.Errorf("copied setting: %q %v", k, err)
	}
	v2, err := d.SaveRoleVersion(ctx, "pm", "Product Manager", []byte("# PM 2\n"), "h2", role.Edits{})
	if err != nil || v2.Number != 2 || v2.ID <= v.ID {
		t.Errorf("a version added after the copy: %+v %v", v2, err)
	}
	sums, err := d.ReleasedSums(ctx, "pm", []release.Node{{Start: "2026-11-01", Days: 2}})
	if err != nil || len(sums) != 1 || sums[0].N != 7 {
		t.Errorf("copied release: %+v %v", sums, err)
	}
}

func TestBackup_SaysPgDump(t *testing.T) {
	d := mustOpen(t, pgtest.Database(t), Options{})
	if err := d.Backup(context.Background(), "copy.db"); err == nil || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("backup: %v, want a pointer to pg_dump", err)
	}
	if ok, err := d.IntegrityCheck(context.Background()); err != nil || ok != "ok" {
		t.Errorf("integrity check: %q %v", ok, err)
	}
}

// TestSchema_SameAsSQLite: every table of the SQLite schema, after all its
// migrations, is here with the same columns in the same order, so that a
// copy moves rows as they are. A new SQLite migration needs its
// PostgreSQL twin.
func TestSchema_SameAsSQLite(t *testing.T) {
	d := mustOpen(t, pgtest.Database(t), Options{})
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "rolefit.db")
	src, err := sqlite.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
	lite, err := sql.Open("sqlite3", file)
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	columns := func(rows *sql.Rows, err error) map[string][]string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		m := map[string][]string{}
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				t.Fatal(err)
			}
			m[table] = append(m[table], col)
		}
		return m
	}
	want := columns(lite.QueryContext(ctx, `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' ORDER BY m.name, c.cid`))
	if len(want) < len(db.Tables) {
		t.Fatalf("SQLite has %d tables, fewer than it copies", len(want))
	}
	got := map[string][]string{}
	rows, err := d.pool.Query(ctx, `SELECT table_name::text, column_name::text FROM information_schema.columns
		WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	var table, col string
	if _, err := pgx.ForEachRow(rows, []any{&table, &col}, func() error { got[table] = append(got[table], col); return nil }); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tables and columns (-SQLite +PostgreSQL):\n%s", diff)
	}
}
