package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/submission"
)

// RoleVersionList returns the stored versions of a role, newest first.
func (d *DB) RoleVersionList(ctx context.Context, slug string) ([]role.VersionInfo, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT id, number, hash, imported_at FROM role_versions
		WHERE role_slug = ? ORDER BY imported_at DESC, id DESC`, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []role.VersionInfo
	for rows.Next() {
		var v role.VersionInfo
		var at string
		if err := rows.Scan(&v.ID, &v.Number, &v.Hash, &at); err != nil {
			return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
		}
		v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// settingPurgedBefore holds the first day whose submissions are all still
// stored; counters of earlier days outlive their purged rows.
const settingPurgedBefore = "purged_before"

// VerifyCounters recomputes the counters that submissions feed (completed,
// also per embedding host, answers, fits, recommended levels) from the submission rows and returns
// every difference. Days before the last purge are skipped: their counters
// keep the aggregates of rows that are gone on purpose. Funnel events
// (started, steps, apply clicks) have no rows to check against.
func (d *DB) VerifyCounters(ctx context.Context) ([]submission.CounterDiff, error) {
	from, err := d.Setting(ctx, settingPurgedBefore)
	if err != nil {
		return nil, err
	}
	r := submission.NewRecount()
	rows, err := d.r.QueryContext(ctx, `SELECT `+submissionColumns+` FROM submissions WHERE day >= ?`, string(from))
	if err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: verify counters: %w", err)
		}
		r.Submission(s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	rows.Close()
	metrics := submission.SubmissionMetrics
	args := []any{string(from)}
	for _, m := range metrics {
		args = append(args, m)
	}
	crows, err := d.r.QueryContext(ctx, `SELECT role_slug, day, metric, key, bucket, version_id, channel, mode, n
		FROM counters WHERE day >= ? AND metric IN (?`+strings.Repeat(", ?", len(metrics)-1)+`) AND n <> 0`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var c submission.Counter
		if err := crows.Scan(&c.Role, &c.Day, &c.Metric, &c.Key, &c.Bucket, &c.VersionID, &c.Channel, &c.Mode, &c.N); err != nil {
			return nil, fmt.Errorf("sqlite: verify counters: %w", err)
		}
		r.Counted(c)
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	return r.Diffs(), nil
}
