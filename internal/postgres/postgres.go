// Package postgres is rolefit's storage on PostgreSQL, for several
// instances sharing one database. It keeps the same tables and the same
// semantics as internal/sqlite; every SQL statement for PostgreSQL lives
// here.
//
// One connection writes, and it commits concurrent writes in groups: each
// caller's work runs in its own savepoint inside a shared transaction, the
// counters the group changed are written once at its end, and every caller
// is answered only after the commit. A pool of connections serves reads.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/groupcommit"
	"github.com/rolefit/rolefit/internal/submission"
)

// maxBatch bounds how many writes share one transaction, so one slow
// batch cannot hold many callers for long.
const maxBatch = 256

// Advisory lock keys (pg_advisory_lock takes any bigint; these spell
// "rolefit" and a purpose, so they do not meet another program's).
const (
	lockMigrate int64 = 0x726f6c6566697401
	lockPurge   int64 = 0x726f6c6566697402
)

// batchRetries is how often a group is run again when PostgreSQL aborted
// it to break a deadlock with another instance's group: the callers' work
// is rolled back whole, so it can simply run again.
const batchRetries = 3

// DB is an open rolefit database on PostgreSQL.
type DB struct {
	pool *pgxpool.Pool
	// q gathers concurrent writes into group commits, which run on conn.
	q *groupcommit.Queue[writeFn]
	// conn is the writer's connection, used by commit alone; nil until
	// the first group and after one breaks.
	conn *pgxpool.Conn
	// ungrouped: see Options.
	ungrouped bool
	// snapshots caches snapshot ids by version and overrides text: a
	// snapshot row never changes, and nearly every submission of a version
	// shares one.
	snapshots sync.Map
	// Now is the clock; tests replace it to make dates exact.
	Now func() time.Time
}

// writeFn is one caller's work in a group transaction. It adds the
// counters it changes to t instead of writing them: the group writes the
// sum of its writes' counters once. It may run more than once (see
// batchRetries), so it changes nothing outside tx and t but its results.
type writeFn func(ctx context.Context, tx pgx.Tx, t submission.Tally) error

// Options tune a database; the zero value is what the server runs with.
type Options struct {
	// Ungrouped gives every write its own transaction on a connection of
	// the pool instead of committing concurrent writes in groups: the
	// baseline the group commit is measured against.
	Ungrouped bool
}

// Open connects to the database at the postgres:// URL addr, applies
// pending migrations (one instance at a time) and starts the writer.
func Open(ctx context.Context, addr string, o Options) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(addr)
	if err != nil {
		return nil, fmt.Errorf("postgres: %w", err)
	}
	if u, err := url.Parse(addr); err == nil && !u.Query().Has("pool_max_conns") {
		// The readers and the writer; without groups every concurrent
		// writer needs a connection of its own.
		cfg.MaxConns = 16
		if o.Ungrouped {
			cfg.MaxConns = 80
		}
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	d := &DB{pool: pool, Now: time.Now, ungrouped: o.Ungrouped}
	if err := d.migrateFrom(ctx, db.PostgresMigrations); err != nil {
		pool.Close()
		return nil, err
	}
	d.q = groupcommit.New(maxBatch, d.commit)
	return d, nil
}

// Close finishes the queued writes, stops the writer and closes the
// connections.
func (d *DB) Close() error {
	if !d.q.Close() {
		return nil
	}
	if d.conn != nil {
		d.conn.Release()
	}
	d.pool.Close()
	return nil
}

// Ping checks that the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.pool.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("postgres: ping: %w", err)
	}
	return nil
}

// ErrClosed is returned for writes after Close.
var ErrClosed = groupcommit.ErrClosed

// write runs fn in the writer's next group transaction and returns once
// that transaction is committed (or fn's own error, in which case fn's
// changes are rolled back and the others in the group are unaffected).
func (d *DB) write(ctx context.Context, fn writeFn) error {
	if d.ungrouped {
		return d.q.Alone(func() error { return d.writeAlone(ctx, fn) })
	}
	return d.q.Do(ctx, fn)
}

// writeAlone runs fn and its counters in a transaction of its own
// (Options.Ungrouped).
func (d *DB) writeAlone(ctx context.Context, fn writeFn) error {
	var err error
	for range batchRetries {
		err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
			t := submission.Tally{}
			if err := fn(ctx, tx, t); err != nil {
				return err
			}
			return bumpCounters(ctx, tx, t)
		})
		if !retryable(err) {
			break
		}
	}
	return err
}

// commit runs a group on the writer's connection, taking a new one from
// the pool when it has none or the last one broke, and returns every
// write's error.
func (d *DB) commit(batch []groupcommit.Request[writeFn]) []error {
	// The group's statements run without the callers' contexts: a caller
	// that gives up must not cancel the others' transaction. A caller whose
	// context has ended before its turn is skipped.
	ctx := context.Background()
	errs := make([]error, len(batch))
	var err error
	for range batchRetries {
		if d.conn == nil {
			if d.conn, err = d.pool.Acquire(ctx); err != nil {
				continue
			}
		}
		err = d.runBatch(ctx, d.conn, batch, errs)
		if err != nil && d.conn.Conn().IsClosed() {
			d.conn.Release()
			d.conn = nil
		}
		if !retryable(err) {
			break
		}
	}
	for i := range errs {
		if err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("postgres: commit: %w", err)
		}
	}
	return errs
}

// runBatch runs every write of batch in a savepoint of one transaction,
// then writes the counters of those that succeeded, and commits. errs
// gets each write's own error.
//
// The savepoint is kept by hand rather than as a nested pgx.Tx: releasing
// one write's and opening the next's is then one round trip, and a
// rollback to it keeps it for the next write.
func (d *DB) runBatch(ctx context.Context, conn *pgxpool.Conn, batch []groupcommit.Request[writeFn], errs []error) error {
	clear(errs)
	tx, err := conn.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, "SAVEPOINT w"); err != nil {
		return err
	}
	total := submission.Tally{}
	for i, req := range batch {
		if errs[i] = req.Ctx.Err(); errs[i] != nil {
			continue
		}
		t := submission.Tally{}
		if errs[i] = req.Write(ctx, tx, t); errs[i] != nil {
			if retryable(errs[i]) {
				// PostgreSQL broke a deadlock with another instance's
				// group: run the whole group again.
				return errs[i]
			}
			if _, err := tx.Exec(ctx, "ROLLBACK TO SAVEPOINT w"); err != nil {
				return err
			}
			continue
		}
		if _, err := tx.Exec(ctx, "RELEASE SAVEPOINT w; SAVEPOINT w"); err != nil {
			return err
		}
		total.Merge(t)
	}
	if err := bumpCounters(ctx, tx, total); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// retryable reports whether err is PostgreSQL breaking a deadlock or a
// serialization conflict: the transaction did nothing and may run again.
func retryable(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && (pe.Code == "40P01" || pe.Code == "40001")
}

// isUnique reports whether err is a unique constraint's refusal.
func isUnique(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

// migrateFrom applies the postgres/*.sql files of fsys that the database
// lacks, in name order, with db.Pending's refusals, each in its own
// transaction, while holding an advisory lock so that instances starting
// together apply them once.
func (d *DB) migrateFrom(ctx context.Context, fsys fs.FS) error {
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("postgres: migrate: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", lockMigrate); err != nil {
		return fmt.Errorf("postgres: migrate: lock: %w", err)
	}
	defer func() {
		// A failed unlock leaves the lock to the end of the session: the
		// connection goes back to the pool, so close it instead.
		if _, err := conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", lockMigrate); err != nil {
			conn.Conn().Close(context.Background())
		}
	}()
	if _, err := conn.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		name text PRIMARY KEY, applied_at text NOT NULL)`); err != nil {
		return fmt.Errorf("postgres: migrations table: %w", err)
	}
	rows, err := conn.Query(ctx, "SELECT name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("postgres: applied migrations: %w", err)
	}
	applied, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("postgres: applied migrations: %w", err)
	}
	pending, err := db.Pending(fsys, "postgres/*.sql", applied)
	if err != nil {
		return fmt.Errorf("postgres: %w", err)
	}
	for _, f := range pending {
		name := path.Base(f)
		body, err := fs.ReadFile(fsys, f)
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
		err = pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			if _, err := tx.Exec(ctx, string(body)); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, "INSERT INTO schema_migrations (name, applied_at) VALUES ($1, $2)",
				name, d.Now().UTC().Format(time.RFC3339))
			return err
		})
		if err != nil {
			return fmt.Errorf("postgres: migration %s: %w", name, err)
		}
	}
	return nil
}

// Backup refuses: PostgreSQL's own tools copy a live database
// consistently, and operators already run them.
func (d *DB) Backup(ctx context.Context, file string) error {
	return fmt.Errorf("postgres: rolefit does not back up PostgreSQL itself; use pg_dump, for example: pg_dump -Fc 'postgres://…' > %s", file)
}

// IntegrityCheck returns "ok" once the database answers a query: PostgreSQL
// checks its pages itself (with data checksums, if the cluster has them).
func (d *DB) IntegrityCheck(ctx context.Context) (string, error) {
	if err := d.Ping(ctx); err != nil {
		return "", fmt.Errorf("postgres: integrity check: %w", err)
	}
	return "ok", nil
}

// ObserveBatches has f told the size and duration of every group commit.
func (d *DB) ObserveBatches(f func(size int, took time.Duration)) { d.q.Observe(f) }
