package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/submission"
)

// submissionRow checks s and returns its row's values in the order of
// submissionColumns, with a new random id, and its overrides as stored
// (see submission.RowOf). Plain JSON keeps the answers readable by
// SQLite's json_each for ad-hoc reports.
func submissionRow(s *submission.Submission) ([]any, string, error) {
	r, err := submission.RowOf(s)
	if err != nil {
		return nil, "", err
	}
	return []any{r.ID, s.TokenHash, s.RoleSlug, s.VersionID, s.Mode, s.Channel, s.EmbedHost, s.Specialty, s.Day, r.Answers, r.Fits, s.Recommended}, r.Overrides, nil
}

// CreateSubmission stores s and adds it to the dashboard counters in the
// same transaction. It returns once the transaction is durably committed.
func (d *DB) CreateSubmission(ctx context.Context, s *submission.Submission) error {
	row, overrides, err := submissionRow(s)
	if err != nil {
		return fmt.Errorf("sqlite: create submission: %w", err)
	}
	// The counters are summed here, outside the writer, and written
	// with the rest of the group's.
	counts := submission.Tally{}
	counts.Add(s, +1)
	err = d.writeCounting(ctx, counts, func(tx *sql.Tx) error {
		snapshot, err := d.snapshotID(tx, s.VersionID, overrides)
		if err != nil {
			return err
		}
		if _, err := tx.Stmt(d.stmts.insertSubmission).Exec(append(row, snapshot)...); err != nil {
			return err
		}
		s.ID = row[0].(int64)
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: create submission: %w", err)
	}
	return nil
}

// snapshotID returns the id of the snapshot of a version with the given
// overrides, adding it on first use (the writer is alone, so nothing can
// add it between the two statements).
func (d *DB) snapshotID(tx *sql.Tx, versionID int64, overrides string) (int64, error) {
	var id int64
	err := tx.Stmt(d.stmts.findSnapshot).QueryRow(versionID, overrides).Scan(&id)
	if !errors.Is(err, sql.ErrNoRows) {
		return id, err
	}
	res, err := tx.Stmt(d.stmts.addSnapshot).Exec(versionID, overrides)
	if err != nil {
		return 0, err
	}
	return res.LastInsertId()
}

const submissionColumns = `id, token_hash, role_slug, version_id, mode, channel, embed_host, specialty, day, answers, fits, recommended`

type rowScanner interface{ Scan(dest ...any) error }

func scanSubmission(row rowScanner) (*submission.Submission, error) {
	var s submission.Submission
	var answers, fits string
	if err := row.Scan(&s.ID, &s.TokenHash, &s.RoleSlug, &s.VersionID, &s.Mode, &s.Channel, &s.EmbedHost,
		&s.Specialty, &s.Day, &answers, &fits, &s.Recommended); err != nil {
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
	s, err := scanSubmission(d.r.QueryRowContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE token_hash = ?`, tokenHash))
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM deleted_results WHERE token_hash = ?`, tokenHash).Scan(&n); err != nil {
			return nil, fmt.Errorf("sqlite: find submission: %w", err)
		}
		if n > 0 {
			return nil, apperr.ErrGone
		}
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find submission: %w", err)
	}
	var overrides sql.NullString
	if err := d.r.QueryRowContext(ctx, `SELECT o.overrides FROM submissions s
		LEFT JOIN role_snapshots o ON o.id = s.snapshot_id WHERE s.id = ?`, s.ID).Scan(&overrides); err != nil {
		return nil, fmt.Errorf("sqlite: find submission: snapshot: %w", err)
	}
	if overrides.Valid {
		if s.Overrides, err = submission.DecodeOverrides(overrides.String); err != nil {
			return nil, fmt.Errorf("sqlite: find submission: snapshot: %w", err)
		}
	}
	return s, nil
}

// DeleteSubmission removes the submission whose token hashes to tokenHash
// for good and takes it out of the dashboard counters in the same
// transaction. An unknown token is apperr.ErrNotFound.
func (d *DB) DeleteSubmission(ctx context.Context, tokenHash []byte) error {
	counts := submission.Tally{}
	err := d.writeCounting(ctx, counts, func(tx *sql.Tx) error {
		s, err := scanSubmission(tx.QueryRow(`SELECT `+submissionColumns+` FROM submissions WHERE token_hash = ?`, tokenHash))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM submissions WHERE id = ?`, s.ID); err != nil {
			return err
		}
		// The tombstone lets the result's link say "deleted" (410).
		if _, err := tx.Exec(`INSERT INTO deleted_results (token_hash) VALUES (?) ON CONFLICT DO NOTHING`, tokenHash); err != nil {
			return err
		}
		counts.Add(s, -1)
		return nil
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return err
	}
	if err != nil {
		return fmt.Errorf("sqlite: delete submission: %w", err)
	}
	// The row is gone for every reader; the checkpoint takes its old bytes
	// out of the WAL too. Should readers keep it busy, the next delete or
	// the daily purge checkpoints again, so the applicant is not told the
	// delete failed.
	_ = d.checkpoint(ctx)
	return nil
}

// CountSubmissions returns how many submissions are stored for a role, or
// for every role when slug is empty.
func (d *DB) CountSubmissions(ctx context.Context, slug string) (int, error) {
	var n int
	err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM submissions WHERE ? = '' OR role_slug = ?`, slug, slug).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sqlite: count submissions: %w", err)
	}
	return n, nil
}

// RoleVersion returns one stored version of a role by id, with the role's
// current settings (apply link, archived flag, item overrides), so that a
// result made against an older version can be computed again.
func (d *DB) RoleVersion(ctx context.Context, id int64) (role.Version, error) {
	v, err := scanVersion(d.r.QueryRowContext(ctx, `
		SELECT `+versionColumns+`
		FROM role_versions v JOIN roles r ON r.slug = v.role_slug
		WHERE v.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return v, apperr.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("sqlite: role version %d: %w", id, err)
	}
	if v.Overrides, err = d.itemOverrides(ctx, v.Slug); err != nil {
		return v, err
	}
	if v.Includes, err = d.includes(ctx, v.ID); err != nil {
		return v, err
	}
	return v, nil
}
