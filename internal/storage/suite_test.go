package storage_test

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"fmt"
	mathrand "math/rand/v2"
	"net/url"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/pgtest"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

// testDB is what a test knows of a store beyond its interface: where it
// lives (to open it again) and a way to read or change rows behind the
// store's back (to tamper with a counter, or see how a value is kept).
type testDB struct {
	addr string
	// name is addr without a password, for messages.
	name string
	// exec runs one statement without arguments.
	exec func(ctx context.Context, q string) error
	// strings runs a query of one text column.
	strings func(ctx context.Context, q string) ([]string, error)
}

// testDBs maps each store a test opened to its testDB.
var testDBs sync.Map

// forEachStore runs f on a fresh SQLite file, and on a fresh PostgreSQL
// database when ROLEFIT_TEST_POSTGRES is set (see pgtest); each subtest
// has its own.
func forEachStore(t *testing.T, f func(t *testing.T, st storage.Store)) {
	t.Helper()
	t.Run("SQLite", func(t *testing.T) { f(t, openStore(t, newSQLite(t))) })
	t.Run("PostgreSQL", func(t *testing.T) { f(t, openStore(t, newPostgres(t))) })
}

// openStore opens the database of db, closing it when the test ends.
func openStore(t *testing.T, db *testDB) storage.Store {
	t.Helper()
	st, err := storage.Open(context.Background(), db.addr)
	if err != nil {
		t.Fatalf("open %s: %v", db.name, err)
	}
	testDBs.Store(st, db)
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return st
}

// reopen opens the database of st again, as a restarted server would.
func reopen(t *testing.T, st storage.Store) storage.Store {
	t.Helper()
	return openStore(t, dbOf(t, st))
}

func dbOf(t *testing.T, st storage.Store) *testDB {
	t.Helper()
	db, ok := testDBs.Load(st)
	if !ok {
		t.Fatal("a store not opened by forEachStore")
	}
	return db.(*testDB)
}

// mustExec changes rows behind the store's back.
func mustExec(t *testing.T, st storage.Store, q string) {
	t.Helper()
	if err := dbOf(t, st).exec(context.Background(), q); err != nil {
		t.Fatalf("%.60s: %v", q, err)
	}
}

// mustStrings reads one text column behind the store's back.
func mustStrings(t *testing.T, st storage.Store, q string) []string {
	t.Helper()
	out, err := dbOf(t, st).strings(context.Background(), q)
	if err != nil {
		t.Fatalf("%.60s: %v", q, err)
	}
	return out
}

func newSQLite(t *testing.T) *testDB {
	file := filepath.Join(t.TempDir(), "rolefit.db")
	// A connection of its own beside the store's: the busy timeout lets
	// it wait for the store's writer instead of failing.
	raw := func(f func(*sql.DB) error) error {
		conn, err := sql.Open("sqlite3", "file:"+file+"?_busy_timeout=5000&_foreign_keys=on")
		if err != nil {
			return err
		}
		defer conn.Close()
		return f(conn)
	}
	return &testDB{
		addr: file,
		name: file,
		exec: func(ctx context.Context, q string) error {
			return raw(func(conn *sql.DB) error {
				_, err := conn.ExecContext(ctx, q)
				return err
			})
		},
		strings: func(ctx context.Context, q string) ([]string, error) {
			var out []string
			err := raw(func(conn *sql.DB) error {
				rows, err := conn.QueryContext(ctx, q)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					var s string
					if err := rows.Scan(&s); err != nil {
						return err
					}
					out = append(out, s)
				}
				return rows.Err()
			})
			return out, err
		},
	}
}

// newPostgres is a throwaway database on the server of
// ROLEFIT_TEST_POSTGRES (see pgtest): the test skips when the variable is
// unset and fails when the server cannot be reached, so a CI that sets it
// cannot pass on SQLite alone.
func newPostgres(t *testing.T) *testDB {
	addr := pgtest.Database(t)
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	raw := func(ctx context.Context, f func(*pgx.Conn) error) error {
		conn, err := pgx.Connect(ctx, addr)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		return f(conn)
	}
	return &testDB{
		addr: addr,
		name: u.Redacted(),
		exec: func(ctx context.Context, q string) error {
			return raw(ctx, func(conn *pgx.Conn) error {
				_, err := conn.Exec(ctx, q)
				return err
			})
		},
		strings: func(ctx context.Context, q string) ([]string, error) {
			var out []string
			err := raw(ctx, func(conn *pgx.Conn) error {
				rows, err := conn.Query(ctx, q)
				if err != nil {
					return err
				}
				out, err = pgx.CollectRows(rows, pgx.RowTo[string])
				return err
			})
			return out, err
		},
	}
}

// seedRole stores version 1 of the role "pm" and returns its id.
func seedRole(t testing.TB, st storage.Store) int64 {
	t.Helper()
	v, err := st.SaveRoleVersionWith(context.Background(), "pm", "Product Manager", []byte("# PM\n"), "h1", nil, role.Edits{})
	if err != nil {
		t.Fatalf("save role: %v", err)
	}
	return v.ID
}

// tokenHash is the hash of a result token.
func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// randomSubmission is the i-th of a mix of checks of "pm" spread over 60
// days of 2026, with every kind of answer and fit the counters bucket.
func randomSubmission(rng *mathrand.Rand, i int, vid int64) *submission.Submission {
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(60)).Format(time.DateOnly)
	s := &submission.Submission{TokenHash: tokenHash(fmt.Sprint("token", i)), RoleSlug: "pm", VersionID: vid,
		Mode: []string{"quick", "full"}[rng.IntN(2)], Channel: []string{"site", "embed"}[rng.IntN(2)], Day: day,
		Answers: map[string]float64{}, Fits: map[string]float64{}, Recommended: []string{"intermediate", "senior"}[rng.IntN(2)]}
	if s.Channel == "embed" {
		s.EmbedHost = []string{"jobs.example.com", "other"}[rng.IntN(2)]
	}
	for _, id := range []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"} {
		if rng.IntN(4) > 0 {
			s.Answers[id] = float64(rng.IntN(5))
		}
	}
	s.Answers["yyyyyyyyyy"] = rng.Float64() * 30 // years, capped in its bucket
	s.Fits["intermediate"] = rng.Float64() * 100
	s.Fits["senior"] = float64(rng.IntN(101))
	return s
}
