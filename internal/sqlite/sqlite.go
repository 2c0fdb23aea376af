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
	"sort"
	"sync"
	"time"

	_ "github.com/mattn/go-sqlite3" // registers the "sqlite3" driver

	"github.com/rolefit/rolefit/db"
)

// maxBatch bounds how many writes share one transaction, so one slow
// batch cannot hold many callers for long.
const maxBatch = 256

// DB is an open rolefit database.
type DB struct {
	w, r   *sql.DB
	path   string
	writes chan writeReq
	stop   chan struct{}
	wg     sync.WaitGroup
	// Now is the clock; tests replace it to make date buckets exact.
	Now func() time.Time

	// BatchObserver, if set, is told the size and duration of every group
	// commit (for metrics).
	BatchObserver func(size int, d time.Duration)
}

type writeReq struct {
	ctx context.Context
	fn  func(*sql.Tx) error
	res chan error
}

// Open opens (creating if needed) the database at path, applies pending
// migrations and starts the writer.
func Open(path string) (*DB, error) {
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	dsn := func(extra string) string {
		// WAL lets readers run beside the writer; foreign keys are off by
		// default in SQLite; the busy timeout covers the rare moments when
		// a checkpoint or backup holds a lock; synchronous=FULL makes a
		// commit durable before it returns, which is what an
		// acknowledgement promises.
		return "file:" + url.PathEscape(path) + "?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=FULL" + extra
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
	d := &DB{w: w, path: path, writes: make(chan writeReq, maxBatch), stop: make(chan struct{}), Now: time.Now}
	if err := d.migrate(); err != nil {
		w.Close()
		return nil, err
	}
	r, err := sql.Open("sqlite3", dsn("&_query_only=true"))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open readers %s: %w", path, err)
	}
	r.SetMaxOpenConns(8)
	r.SetMaxIdleConns(8)
	d.r = r
	d.wg.Add(1)
	go d.writer()
	return d, nil
}

// Path is the database file.
func (d *DB) Path() string { return d.path }

// Close finishes the queued writes, stops the writer and closes the
// connections.
func (d *DB) Close() error {
	select {
	case <-d.stop:
		return nil
	default:
	}
	close(d.stop)
	d.wg.Wait()
	return errors.Join(d.r.Close(), d.w.Close())
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
var ErrClosed = errors.New("sqlite: database is closed")

// write runs fn in the writer's next group transaction and returns once
// that transaction is committed (or fn's own error, in which case fn's
// changes are rolled back and the others in the group are unaffected).
func (d *DB) write(ctx context.Context, fn func(*sql.Tx) error) error {
	req := writeReq{ctx: ctx, fn: fn, res: make(chan error, 1)}
	select {
	case <-d.stop:
		return ErrClosed
	default:
	}
	select {
	case d.writes <- req:
	case <-ctx.Done():
		return ctx.Err()
	case <-d.stop:
		return ErrClosed
	}
	// Wait for the commit even if ctx ends meanwhile: the caller must not
	// report failure for a write that will land.
	return <-req.res
}

func (d *DB) writer() {
	defer d.wg.Done()
	batch := make([]writeReq, 0, maxBatch)
	for {
		batch = batch[:0]
		select {
		case req := <-d.writes:
			batch = append(batch, req)
		case <-d.stop:
			// Drain what was queued before Close.
			for {
				select {
				case req := <-d.writes:
					batch = append(batch, req)
					if len(batch) == maxBatch {
						d.commit(batch)
						batch = batch[:0]
					}
				default:
					if len(batch) > 0 {
						d.commit(batch)
					}
					return
				}
			}
		}
	fill:
		for len(batch) < maxBatch {
			select {
			case req := <-d.writes:
				batch = append(batch, req)
			default:
				break fill
			}
		}
		d.commit(batch)
	}
}

func (d *DB) commit(batch []writeReq) {
	start := time.Now()
	errs := make([]error, len(batch))
	err := func() error {
		tx, err := d.w.Begin()
		if err != nil {
			return err
		}
		defer tx.Rollback()
		for i, req := range batch {
			if err := req.ctx.Err(); err != nil {
				errs[i] = err
				continue
			}
			if _, err := tx.Exec("SAVEPOINT w"); err != nil {
				return err
			}
			if errs[i] = req.fn(tx); errs[i] != nil {
				if _, err := tx.Exec("ROLLBACK TO w"); err != nil {
					return err
				}
			}
			if _, err := tx.Exec("RELEASE w"); err != nil {
				return err
			}
		}
		return tx.Commit()
	}()
	// Observe before answering: the answers then order the observer's
	// read after any assignment the callers made before writing.
	if d.BatchObserver != nil {
		d.BatchObserver(len(batch), time.Since(start))
	}
	for i, req := range batch {
		if err != nil && errs[i] == nil {
			errs[i] = fmt.Errorf("sqlite: commit: %w", err)
		}
		req.res <- errs[i]
	}
}

func (d *DB) migrate() error {
	if _, err := d.w.Exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
		name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)`); err != nil {
		return fmt.Errorf("sqlite: migrations table: %w", err)
	}
	names, err := fs.Glob(db.Migrations, "migrations/*.sql")
	if err != nil {
		return fmt.Errorf("sqlite: list migrations: %w", err)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := d.migrateOne(name); err != nil {
			return err
		}
	}
	return nil
}

func (d *DB) migrateOne(file string) error {
	name := path.Base(file)
	tx, err := d.w.Begin()
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRow("SELECT count(*) FROM schema_migrations WHERE name = ?", name).Scan(&n); err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
	}
	if n > 0 {
		return nil
	}
	body, err := fs.ReadFile(db.Migrations, file)
	if err != nil {
		return fmt.Errorf("sqlite: migration %s: %w", name, err)
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
