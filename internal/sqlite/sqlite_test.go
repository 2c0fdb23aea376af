package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
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

func TestSetSettingOnce(t *testing.T) {
	d := mustOpenDB(t)
	ctx := context.Background()
	v, err := d.SetSettingOnce(ctx, "k", []byte("first"))
	if err != nil || string(v) != "first" {
		t.Fatalf("first: %q %v", v, err)
	}
	v, err = d.SetSettingOnce(ctx, "k", []byte("second"))
	if err != nil || string(v) != "first" {
		t.Fatalf("second: %q %v", v, err)
	}
}

func TestWrite_AfterClose(t *testing.T) {
	d := mustOpenDB(t)
	d.Close()
	if err := d.write(context.Background(), func(*sql.Tx) error { return nil }); !errors.Is(err, ErrClosed) {
		t.Fatalf("err %v, want ErrClosed", err)
	}
}
