package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/submission"
)

// submissionColumns are the columns scanSubmission reads, and those
// CreateSubmission and ImportSubmissions write but snapshot_id.
var submissionColumns = []string{"id", "token_hash", "role_slug", "version_id", "mode", "channel",
	"embed_host", "specialty", "day", "answers", "fits", "recommended"}

const selectSubmission = `s.id, s.token_hash, s.role_slug, s.version_id, s.mode, s.channel,
	s.embed_host, s.specialty, s.day, s.answers, s.fits, s.recommended`

// rowValues are a submission's values in the order of submissionColumns.
func rowValues(s *submission.Submission, r submission.Row) []any {
	return []any{r.ID, s.TokenHash, s.RoleSlug, s.VersionID, s.Mode, s.Channel, s.EmbedHost, s.Specialty, s.Day,
		r.Answers, r.Fits, s.Recommended}
}

// CreateSubmission stores s and adds it to the dashboard counters in the
// same transaction. It returns once the transaction is committed.
func (d *DB) CreateSubmission(ctx context.Context, s *submission.Submission) error {
	r, err := submission.RowOf(s)
	if err != nil {
		return fmt.Errorf("postgres: create submission: %w", err)
	}
	k := snapshotKey{s.VersionID, r.Overrides}
	var snapshot int64
	err = d.write(ctx, func(ctx context.Context, tx pgx.Tx, t submission.Tally) error {
		var err error
		if snapshot, err = d.snapshotID(ctx, tx, k); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO submissions (id, token_hash, role_slug, version_id, mode, channel,
			embed_host, specialty, day, answers, fits, recommended, snapshot_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`, append(rowValues(s, r), snapshot)...); err != nil {
			return err
		}
		t.Add(s, +1)
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: create submission: %w", err)
	}
	// Only a committed snapshot may be remembered: one of a group that
	// rolled back would not exist.
	d.snapshots.Store(k, snapshot)
	s.ID = r.ID
	return nil
}

type snapshotKey struct {
	versionID int64
	overrides string
}

// snapshotID returns the id of the snapshot of a version with the given
// overrides, adding it on first use.
func (d *DB) snapshotID(ctx context.Context, tx pgx.Tx, k snapshotKey) (int64, error) {
	if id, ok := d.snapshots.Load(k); ok {
		return id.(int64), nil
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO role_snapshots (version_id, overrides) VALUES ($1, $2)
		ON CONFLICT DO NOTHING RETURNING id`, k.versionID, k.overrides).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		// Stored already, or by a transaction that committed while this
		// insert waited for it: a new statement sees it either way.
		err = tx.QueryRow(ctx, `SELECT id FROM role_snapshots
			WHERE version_id = $1 AND md5(overrides) = md5($2) AND overrides = $2`, k.versionID, k.overrides).Scan(&id)
	}
	return id, err
}

func scanSubmission(row pgx.Row, extra ...any) (*submission.Submission, error) {
	var s submission.Submission
	var answers, fits string
	dest := append([]any{&s.ID, &s.TokenHash, &s.RoleSlug, &s.VersionID, &s.Mode, &s.Channel, &s.EmbedHost,
		&s.Specialty, &s.Day, &answers, &fits, &s.Recommended}, extra...)
	if err := row.Scan(dest...); err != nil {
		return nil, err
	}
	if err := s.DecodeValues(answers, fits); err != nil {
		return nil, err
	}
	return &s, nil
}

// FindSubmission returns the submission whose token hashes to tokenHash
// with the overrides in force when it was made, apperr.ErrGone when it
// was deleted, or apperr.ErrNotFound.
func (d *DB) FindSubmission(ctx context.Context, tokenHash []byte) (*submission.Submission, error) {
	var overrides *string
	s, err := scanSubmission(d.pool.QueryRow(ctx, `SELECT `+selectSubmission+`, o.overrides
		FROM submissions s LEFT JOIN role_snapshots o ON o.id = s.snapshot_id WHERE s.token_hash = $1`, tokenHash), &overrides)
	if errors.Is(err, pgx.ErrNoRows) {
		var gone bool
		if err := d.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM deleted_results WHERE token_hash = $1)`, tokenHash).Scan(&gone); err != nil {
			return nil, fmt.Errorf("postgres: find submission: %w", err)
		}
		if gone {
			return nil, apperr.ErrGone
		}
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find submission: %w", err)
	}
	if overrides != nil {
		if s.Overrides, err = submission.DecodeOverrides(*overrides); err != nil {
			return nil, fmt.Errorf("postgres: find submission: snapshot: %w", err)
		}
	}
	return s, nil
}

// DeleteSubmission removes the submission whose token hashes to tokenHash
// for good and takes it out of the dashboard counters in the same
// transaction. An unknown token is apperr.ErrNotFound. The row's old
// version stays in the table's pages until (auto)vacuum reclaims them.
func (d *DB) DeleteSubmission(ctx context.Context, tokenHash []byte) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, t submission.Tally) error {
		s, err := scanSubmission(tx.QueryRow(ctx, `DELETE FROM submissions s WHERE token_hash = $1 RETURNING `+selectSubmission, tokenHash))
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		// The tombstone lets the result's link say "deleted" (410).
		if _, err := tx.Exec(ctx, `INSERT INTO deleted_results (token_hash) VALUES ($1) ON CONFLICT DO NOTHING`, tokenHash); err != nil {
			return err
		}
		t.Add(s, -1)
		return nil
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("postgres: delete submission: %w", err)
	}
	return nil
}

// CountSubmissions returns how many submissions are stored for a role, or
// for every role when slug is empty.
func (d *DB) CountSubmissions(ctx context.Context, slug string) (int, error) {
	var n int
	err := d.pool.QueryRow(ctx, `SELECT count(*) FROM submissions WHERE $1 = '' OR role_slug = $1`, slug).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("postgres: count submissions: %w", err)
	}
	return n, nil
}

// RecordEvent adds one to the day's counter for ev.
func (d *DB) RecordEvent(ctx context.Context, ev submission.Event) error {
	dims, cells, err := submission.EventCells(ev)
	if err != nil {
		return fmt.Errorf("postgres: record event: %w", err)
	}
	err = d.write(ctx, func(ctx context.Context, tx pgx.Tx, t submission.Tally) error {
		for _, c := range cells {
			t[submission.Counter{Dims: dims, Cell: c}]++
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: record event: %w", err)
	}
	return nil
}

// bumpCounters adds a tally to the counters in one statement, row by row
// in the tally's fixed order, so that two instances' groups lock counter
// rows in the same order and cannot deadlock on them.
func bumpCounters(ctx context.Context, tx pgx.Tx, t submission.Tally) error {
	cs := t.Counters()
	if len(cs) == 0 {
		return nil
	}
	var (
		roles, days, metrics, keys, channels, modes = make([]string, len(cs)), make([]string, len(cs)),
			make([]string, len(cs)), make([]string, len(cs)), make([]string, len(cs)), make([]string, len(cs))
		buckets  = make([]int32, len(cs))
		versions = make([]int64, len(cs))
		ns       = make([]int64, len(cs))
	)
	for i, c := range cs {
		roles[i], days[i], metrics[i], keys[i], channels[i], modes[i] = c.Role, c.Day, c.Metric, c.Key, c.Channel, c.Mode
		buckets[i], versions[i], ns[i] = int32(c.Bucket), c.VersionID, int64(c.N)
	}
	_, err := tx.Exec(ctx, `INSERT INTO counters (role_slug, day, metric, key, bucket, version_id, channel, mode, n)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::integer[], $6::bigint[], $7::text[], $8::text[], $9::bigint[])
		ON CONFLICT (role_slug, day, metric, key, bucket, version_id, channel, mode) DO UPDATE SET n = counters.n + excluded.n`,
		roles, days, metrics, keys, buckets, versions, channels, modes, ns)
	if err != nil {
		return fmt.Errorf("counters: %w", err)
	}
	return nil
}

// ClaimNonce records nonce as used until the end of the UTC day of expires
// and reports whether it was unused, on every instance of the database.
// Nonces whose day is over by now are deleted in the same transaction, so
// the table holds about a day of them; rows another transaction is
// deleting are skipped rather than waited for.
func (d *DB) ClaimNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error) {
	today := now.UTC().Format(time.DateOnly)
	claimed := false
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		if _, err := tx.Exec(ctx, `DELETE FROM used_nonces WHERE nonce IN
			(SELECT nonce FROM used_nonces WHERE expires_on < $1 FOR UPDATE SKIP LOCKED)`, today); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `INSERT INTO used_nonces (nonce, expires_on) VALUES ($1, $2) ON CONFLICT (nonce) DO NOTHING`,
			nonce, expires.UTC().Format(time.DateOnly))
		claimed = tag.RowsAffected() == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("postgres: claim nonce: %w", err)
	}
	return claimed, nil
}

// ReleaseNonce forgets a claimed nonce whose submission failed, so that
// the same form can be sent again.
func (d *DB) ReleaseNonce(ctx context.Context, nonce string) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		_, err := tx.Exec(ctx, `DELETE FROM used_nonces WHERE nonce = $1`, nonce)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: release nonce: %w", err)
	}
	return nil
}

// purgeBatch bounds how many rows one purge transaction deletes, so that a
// first purge of a large backlog holds its row locks briefly.
const purgeBatch = 2000

// settingPurgedBefore holds the first day whose submissions are all still
// stored; counters of earlier days outlive their purged rows.
const settingPurgedBefore = "purged_before"

// PurgeSubmissions deletes every submission made before the given day
// (YYYY-MM-DD) and returns how many it deleted. The counters are left as
// they are: they keep the aggregates of purged days. It holds an advisory
// lock for the whole sweep, so instances sharing the database sweep one at
// a time (the second finds nothing left). It runs beside the group writer,
// in transactions of its own, so a long sweep never holds up submissions.
func (d *DB) PurgeSubmissions(ctx context.Context, before string) (int, error) {
	if _, err := time.Parse(time.DateOnly, before); err != nil {
		return 0, fmt.Errorf("postgres: purge: day %q: %w", before, err)
	}
	conn, err := d.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("postgres: purge: %w", err)
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, lockPurge); err != nil {
		return 0, fmt.Errorf("postgres: purge: lock: %w", err)
	}
	defer func() {
		if _, err := conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, lockPurge); err != nil {
			conn.Conn().Close(context.Background())
		}
	}()
	total := 0
	for {
		var n int64
		err := pgx.BeginFunc(ctx, conn, func(tx pgx.Tx) error {
			tag, err := tx.Exec(ctx, `DELETE FROM submissions WHERE id IN
				(SELECT id FROM submissions WHERE day < $1 LIMIT $2)`, before, purgeBatch)
			if err != nil {
				return err
			}
			n = tag.RowsAffected()
			// Remember how far rows are gone, so that verifying the counters
			// knows which days can be checked against rows.
			_, err = tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2)
				ON CONFLICT (key) DO UPDATE SET value = greatest(settings.value, excluded.value)`, settingPurgedBefore, []byte(before))
			return err
		})
		if err != nil {
			return total, fmt.Errorf("postgres: purge: %w", err)
		}
		total += int(n)
		if n < purgeBatch {
			return total, nil
		}
	}
}

// VerifyCounters recomputes the counters that submissions feed from the
// submission rows and returns every difference, skipping the days before
// the last purge (see the SQLite store's VerifyCounters).
func (d *DB) VerifyCounters(ctx context.Context) ([]submission.CounterDiff, error) {
	from, err := d.Setting(ctx, settingPurgedBefore)
	if err != nil {
		return nil, err
	}
	r := submission.NewRecount()
	rows, err := d.pool.Query(ctx, `SELECT `+selectSubmission+` FROM submissions s WHERE day >= $1`, string(from))
	if err != nil {
		return nil, fmt.Errorf("postgres: verify counters: %w", err)
	}
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("postgres: verify counters: %w", err)
		}
		r.Submission(s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: verify counters: %w", err)
	}
	crows, err := d.pool.Query(ctx, `SELECT role_slug, day, metric, key, bucket, version_id, channel, mode, n
		FROM counters WHERE day >= $1 AND metric = ANY($2) AND n <> 0`, string(from), submission.SubmissionMetrics)
	if err != nil {
		return nil, fmt.Errorf("postgres: verify counters: %w", err)
	}
	for crows.Next() {
		var c submission.Counter
		if err := crows.Scan(&c.Role, &c.Day, &c.Metric, &c.Key, &c.Bucket, &c.VersionID, &c.Channel, &c.Mode, &c.N); err != nil {
			crows.Close()
			return nil, fmt.Errorf("postgres: verify counters: %w", err)
		}
		r.Counted(c)
	}
	crows.Close()
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: verify counters: %w", err)
	}
	return r.Diffs(), nil
}
