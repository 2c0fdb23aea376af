// Package sqlite is rolefit's storage: every SQL statement lives here.
//
// One connection writes, and it commits concurrent writes in groups: each
// caller's work runs in its own savepoint inside a shared transaction, and
// every caller is answered only after that transaction's commit is on disk.
// A pool of read-only connections serves the pages.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/groupcommit"
	"github.com/rolefit/rolefit/internal/submission"
)

// maxBatch bounds how many writes share one transaction, so one slow
// batch cannot hold many callers for long.
const maxBatch = 256

// DB is an open rolefit database.
type DB struct {
	w, r *sql.DB
	path string
	// q gathers concurrent writes into group commits.
	q *groupcommit.Queue[writeReq]
	// ungrouped: see Options.
	ungrouped bool
	// stmts are the write path's statements, prepared once on the writer
	// instead of on every submission (see prepare).
	stmts writeStmts
	// Now is the clock; tests replace it to make date buckets exact.
	Now func() time.Time
}

type writeReq struct {
	fn func(*sql.Tx) error
	// counts are the counter deltas of the write, added to its group's
	// tally once fn has succeeded (fn may still add to them): the group
	// writes each distinct counter once, before its commit, instead of
	// every write upserting its own.
	counts submission.Tally
}

// Options tune a database; the zero value is what the server runs with.
type Options struct {
	// Ungrouped gives every write its own transaction, committed by its
	// caller on a connection of its own, instead of committing concurrent
	// writes in groups: the baseline the group commit is measured against.
	Ungrouped bool
}

// Open opens (creating if needed) the database at path, applies pending
// migrations and starts the writer.
func Open(path string) (*DB, error) { return OpenWith(path, Options{}) }

// OpenWith is Open with options.
func OpenWith(path string, o Options) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	dsn := func(extra string) string {
		// WAL lets readers run beside the writer; foreign keys are off by
		// default in SQLite; the busy timeout covers the rare moments when
		// a checkpoint or backup holds a lock; synchronous=FULL makes a
		// commit durable before it returns, which is what an
		// acknowledgement promises; secure_delete overwrites a deleted
		// row's bytes with zeros, so "Delete my answers" and the retention
		// purge leave nothing in the file's free pages to be read back.
		return "file:" + url.PathEscape(path) + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=FULL&_secure_delete=on" + extra
	}
	w, err := sql.Open("sqlite3", dsn("&_txlock=immediate"))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	// One writer: SQLite allows one at a time anyway, and a single
	// connection makes group commit possible.
	w.SetMaxOpenConns(1)
	w.SetConnMaxLifetime(0)
	if err := w.Ping(); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	d := &DB{w: w, path: path, Now: time.Now}
	if err := d.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	if err := d.stmts.prepare(w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	r, err := sql.Open("sqlite3", dsn("&_query_only=true"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	d.r = r
	if o.Ungrouped {
		// Each writer waits for SQLite's write lock (BEGIN IMMEDIATE, up to
		// the busy timeout) and commits on its own.
		w.SetMaxOpenConns(maxBatch)
		w.SetMaxIdleConns(maxBatch)
		d.ungrouped = true
	}
	d.q = groupcommit.New(maxBatch, d.commit)
	return d, nil
}

// Path is the database file.
func (d *DB) Path() string { return d.path }

// Close finishes the queued writes, stops the writer and closes the
// connections.
func (d *DB) Close() error {
	if !d.q.Close() {
		return nil
	}
	return errors.Join(d.stmts.close(), d.r.Close(), d.w.Close())
}

// Ping checks that the database answers a query.
func (d *DB) Ping(ctx context.Context) error {
	var one int
	if err := d.r.QueryRowContext(ctx, "SELECT 1").Scan(&one); err != nil {
		return fmt.Errorf("sqlite: ping: %w", err)
	}
	return nil
}

// ErrClosed is returned for writes after Close.
var ErrClosed = groupcommit.ErrClosed

// write runs fn in the writer's next group transaction and returns once
// that transaction is committed (or fn's own error, in which case fn's
// changes are rolled back and the others in the group are unaffected).
func (d *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	return d.writeCounting(ctx, nil, fn)
}

// writeCounting is write for a change that also moves the counters by
// counts: they are added in the same transaction, and only if fn succeeds.
func (d *DB) writeCounting(ctx context.Context, counts submission.Tally, fn func(*sql.Tx) error) error {
	if d.ungrouped {
		return d.q.Alone(func() error { return d.writeAlone(ctx, counts, fn) })
	}
	return d.q.Do(ctx, writeReq{fn: fn, counts: counts})
}

// writeAlone runs fn in a transaction of its own (Options.Ungrouped).
func (d *DB) writeAlone(ctx context.Context, counts submission.Tally, fn func(*sql.Tx) error) error {
	tx, err := d.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	if err := d.bumpCounters(tx, counts.Counters()); err != nil {
		return err
	}
	return tx.Commit()
}

// commit runs a group in one transaction, each write in a savepoint of its
// own, so that a failed write leaves the others in.
func (d *DB) commit(batch []groupcommit.Request[writeReq]) []error {
	errs := make([]error, len(batch))
	tally := submission.Tally{}
	err := func() error {
		tx, err := d.w.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for i, req := range batch {
			if err := req.Ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			if _, err := tx.Exec("SAVEPOINT w"); err != nil {
				return err
			}
			if errs[i] = req.Write.fn(tx); errs[i] != nil {
				if _, err := tx.Exec("ROLLBACK TO w"); err != nil {
					return err
				}
			}
			if _, err := tx.Exec("RELEASE w"); err != nil {
				return err
			}
			if errs[i] == nil {
				tally.Merge(req.Write.counts)
			}
		}
		if err := d.bumpCounters(tx, tally.Counters()); err != nil {
			return err
		}
		return tx.Commit()
	}()
	for i := range errs {
		if err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("sqlite: commit: %w", err)
		}
	}
	return errs
}

// writeStmts are the statements every submission runs. Prepared on the
// writer's pool, a transaction takes them with tx.Stmt, which reuses the
// statement its connection has prepared already.
type writeStmts struct {
	insertSubmission, findSnapshot, addSnapshot, bumpCounter *sql.Stmt
}

func (s *writeStmts) prepare(w *sql.DB) error {
	for _, p := range []struct {
		dst *(*sql.Stmt)
		sql string
	}{
		{&s.insertSubmission, `INSERT INTO submissions (` + submissionColumns + `, snapshot_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`},
		{&s.findSnapshot, `SELECT id FROM role_snapshots WHERE version_id = ? AND overrides = ?`},
		{&s.addSnapshot, `INSERT INTO role_snapshots (version_id, overrides) VALUES (?, ?)`},
		{&s.bumpCounter, `INSERT INTO counters (role_slug, day, metric, key, bucket, version_id, channel, mode, n)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT DO UPDATE SET n = n + excluded.n`},
	} {
		st, err := w.Prepare(p.sql)
		if err != nil {
			s.close()
			return err
		}
		*p.dst = st
	}
	return nil
}

func (s *writeStmts) close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.insertSubmission, s.findSnapshot, s.addSnapshot, s.bumpCounter} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	return errors.Join(errs...)
}

func (d *DB) migrate() error {
	return d.migrateFrom(db.Migrations)
}

// migrateFrom applies the migrations/*.sql files of fsys that the database
// lacks, in name order, with db.Pending's refusals.
func (d *DB) migrateFrom(fsys fs.FS) error {
	if _, err := d.w.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	rows, err := d.w.Query("SELECT name FROM schema_migrations")
	if err != nil {
		return fmt.Errorf("sqlite: applied migrations: %w", err)
	}
	var applied []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			rows.Close()
			return fmt.Errorf("sqlite: applied migrations: %w", err)
		}
		applied = append(applied, name)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: applied migrations: %w", err)
	}
	pending, err := db.Pending(fsys, "migrations/*.sql", applied)
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	for _, f := range pending {
		if err := d.migrateOne(fsys, f); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) migrateOne(fsys fs.FS, file string) error {
	name := path.Base(file)
	body, err := fs.ReadFile(fsys, file)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	tx, err := d.w.Begin()
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	// Another process may have applied it since the list was read.
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil || n > 0 {
		if err != nil {
			return fmt.Errorf("sqlite: migration %s: %w", name, err)
		}
		return nil
	}
	if _, err := tx.Exec(string(body)); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if _, err := tx.Exec("INSERT INTO schema_migrations (name, applied_at) VALUES (?, ?)",
		name, d.Now().UTC().Format(time.RFC3339)); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	return tx.Commit()
}

// checkpoint copies the WAL into the database file and truncates the WAL
// to zero bytes. After a delete it is what makes the delete final on disk:
// secure_delete zeroes the row in the new page, but the page as it was,
// with the row, stays in the WAL until a checkpoint has copied the new one
// over the file and the WAL is emptied. It runs on the writer's connection
// between group commits and waits (up to the busy timeout) for readers of
// older snapshots to finish.
func (d *DB) checkpoint(ctx context.Context) error {
	var busy, logPages, done int
	if err := d.w.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logPages, &done); err != nil {
		return fmt.Errorf("sqlite: checkpoint: %w", err)
	}
	if busy != 0 {
		return fmt.Errorf("sqlite: checkpoint: readers kept the WAL busy")
	}
	return nil
}

// Backup writes a consistent copy of the live database to path, which must
// not exist yet. VACUUM INTO reads one snapshot, so writes may go on: it
// runs on a read-only connection of its own, since on the writer's it would
// hold up every group commit until the copy is done, and the pool's
// query_only connections refuse it.
func (d *DB) Backup(ctx context.Context, file string) error {
	c, err := sql.Open("sqlite3", "file:"+url.PathEscape(d.path)+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", file, err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "VACUUM INTO ?", file); err != nil {
		return fmt.Errorf("sqlite: backup to %s: %w", file, err)
	}
	return nil
}

// IntegrityCheck runs PRAGMA integrity_check and returns its verdict.
func (d *DB) IntegrityCheck(ctx context.Context) (string, error) {
	var s string
	if err := d.r.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&s); err != nil {
		return "", fmt.Errorf("sqlite: integrity check: %w", err)
	}
	return s, nil
}

// ObserveBatches has f told the size and duration of every group commit.
func (d *DB) ObserveBatches(f func(size int, took time.Duration)) { d.q.Observe(f) }
