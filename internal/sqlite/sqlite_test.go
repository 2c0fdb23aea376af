package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/rolefit/rolefit/db"
)

func mustOpenDB(tb testing.TB) *DB {
	tb.Helper()
	d, err := Open(filepath.Join(tb.TempDir(), "rolefit.db"))
	if err != nil {
		tb.Fatalf("open: %v", err)
	}
	tb.Cleanup(func() { d.Close() })
	return d
}

func TestOpen_Pragmas(t *testing.T) {
	d := mustOpenDB(t)
	var mode string
	if err := d.r.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode %q, %v", mode, err)
	}
	var fk int
	if err := d.r.QueryRow("PRAGMA foreign_keys").Scan(&fk); err != nil || fk != 1 {
		t.Errorf("foreign_keys %d, %v", fk, err)
	}
	var sync int
	if err := d.w.QueryRow("PRAGMA synchronous").Scan(&sync); err != nil || sync != 2 {
		t.Errorf("synchronous %d (want 2 = FULL), %v", sync, err)
	}
	var secure int
	if err := d.w.QueryRow("PRAGMA secure_delete").Scan(&secure); err != nil || secure != 1 {
		t.Errorf("secure_delete %d (want 1), %v", secure, err)
	}
}

func TestOpen_MigrationsOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rolefit.db")
	for i := 0; i < 2; i++ {
		d, err := Open(path)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		var n int
		if err := d.r.QueryRow("SELECT count(*) FROM schema_migrations WHERE name = '0001_init.sql'").Scan(&n); err != nil || n != 1 {
			t.Errorf("open %d: 0001 recorded %d times, %v", i, n, err)
		}
		d.Close()
	}
}

// TestWrite_Group shows that concurrent writes commit, and that one
// caller's failure rolls back only its own changes.
func TestWrite_Group(t *testing.T) {
	d := mustOpenDB(t)
	ctx := context.Background()
	const n = 200
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = d.write(ctx, func(tx *sql.Tx) error {
				if _, err := tx.Exec("INSERT INTO settings (key, value) VALUES (?, 'x')", fmt.Sprint("k", i)); err != nil {
					return err
				}
				if i%10 == 0 {
					return errors.New("refused")
				}
				return nil
			})
		}(i)
	}
	wg.Wait()
	for i, err := range errs {
		if (i%10 == 0) != (err != nil) {
			t.Errorf("write %d: err %v", i, err)
		}
	}
	var got int
	if err := d.r.QueryRow("SELECT count(*) FROM settings").Scan(&got); err != nil || got != n-n/10 {
		t.Errorf("%d rows, want %d (%v)", got, n-n/10, err)
	}
}

func TestWrite_AfterClose(t *testing.T) {
	d := mustOpenDB(t)
	d.Close()
	if err := d.write(context.Background(), func(*sql.Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v, want ErrClosed", err)
	}
}

// migrationsWith returns the shipped migrations plus extra files.
func migrationsWith(t *testing.T, extra map[string]string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	names, err := fs.Glob(db.Migrations, "migrations/*.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range names {
		b, err := fs.ReadFile(db.Migrations, n)
		if err != nil {
			t.Fatal(err)
		}
		fsys[n] = &fstest.MapFile{Data: b}
	}
	for n, body := range extra {
		fsys["migrations/"+n] = &fstest.MapFile{Data: []byte(body)}
	}
	return fsys
}

func TestMigrate_Refuses(t *testing.T) {
	t.Run("UnknownApplied", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "rolefit.db")
		d, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		// A newer rolefit applied a migration this one does not have.
		err = d.migrateFrom(migrationsWith(t, map[string]string{"9999_future.sql": "CREATE TABLE future (x INTEGER);"}))
		d.Close()
		if err != nil {
			t.Fatal(err)
		}
		_, err = Open(path)
		if err == nil || !strings.Contains(err.Error(), "9999_future.sql") || !strings.Contains(err.Error(), "does not know") {
			t.Fatalf("open: %v, want a refusal naming 9999_future.sql", err)
		}
	})
	t.Run("NewFileSortsBeforeApplied", func(t *testing.T) {
		d := mustOpenDB(t)
		err := d.migrateFrom(migrationsWith(t, map[string]string{"0000_early.sql": "CREATE TABLE early (x INTEGER);"}))
		if err == nil || !strings.Contains(err.Error(), "0000_early.sql sorts before") {
			t.Fatalf("migrate: %v, want a refusal of 0000_early.sql", err)
		}
		var n int
		if err := d.r.QueryRow("SELECT count(*) FROM sqlite_master WHERE name = 'early'").Scan(&n); err != nil || n != 0 {
			t.Errorf("the refused migration ran: %d tables, %v", n, err)
		}
	})
	t.Run("NewFileAfterApplied", func(t *testing.T) {
		d := mustOpenDB(t)
		if err := d.migrateFrom(migrationsWith(t, map[string]string{"9999_next.sql": "CREATE TABLE next (x INTEGER);"})); err != nil {
			t.Fatalf("migrate: %v", err)
		}
	})
}
