package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
)

var _ release.Store = (*DB)(nil)

// RoleVersions returns every stored version of a role, oldest first, each
// with the role's current settings and overrides.
func (d *DB) RoleVersions(ctx context.Context, slug string) ([]role.Version, error) {
	rows, err := d.r.QueryContext(ctx, `
		SELECT v.id, r.slug, v.hash, v.source, v.imported_at, r.apply_url, r.archived
		FROM roles r JOIN role_versions v ON v.role_slug = r.slug
		WHERE r.slug = ? ORDER BY v.imported_at, v.id`, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []role.Version
	for rows.Next() {
		var v role.Version
		var at string
		if err := rows.Scan(&v.ID, &v.Slug, &v.Hash, &v.Source, &at, &v.ApplyURL, &v.Archived); err != nil {
			return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
		}
		v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
	}
	rows.Close()
	overrides, err := d.itemOverrides(ctx, slug)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Overrides = overrides
	}
	return out, nil
}

// FirstDay returns the first day released for a role: the earlier of the
// UTC day of its first import and its first counter's day; "" for a role
// that is not stored.
func (d *DB) FirstDay(ctx context.Context, slug string) (string, error) {
	var day sql.NullString
	err := d.r.QueryRowContext(ctx, `SELECT min(d) FROM (
		SELECT min(day) AS d FROM counters WHERE role_slug = ?
		UNION ALL SELECT min(substr(imported_at, 1, 10)) FROM role_versions WHERE role_slug = ?)`, slug, slug).Scan(&day)
	if err != nil {
		return "", fmt.Errorf("sqlite: first day of %q: %w", slug, err)
	}
	return day.String, nil
}

// ReleasedNodes returns the nodes of the role released so far.
func (d *DB) ReleasedNodes(ctx context.Context, slug string) ([]release.Node, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT start, days FROM release_nodes WHERE role_slug = ?`, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlite: released nodes of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []release.Node
	for rows.Next() {
		var n release.Node
		if err := rows.Scan(&n.Start, &n.Days); err != nil {
			return nil, fmt.Errorf("sqlite: released nodes of %q: %w", slug, err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// CounterSums returns the role's counters summed over the days from–to
// (inclusive) per version, channel, mode, metric, key and bucket: the true
// counts a release adds its noise to.
func (d *DB) CounterSums(ctx context.Context, slug, from, to string) ([]release.Count, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT version_id, channel, mode, metric, key, bucket, SUM(n) FROM counters
		WHERE role_slug = ? AND day BETWEEN ? AND ?
		GROUP BY version_id, channel, mode, metric, key, bucket`, slug, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: counter sums of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []release.Count
	for rows.Next() {
		var c release.Count
		if err := rows.Scan(&c.VersionID, &c.Channel, &c.Mode, &c.Metric, &c.Key, &c.Bucket, &c.N); err != nil {
			return nil, fmt.Errorf("sqlite: counter sums of %q: %w", slug, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// SaveRelease stores a node's noisy cells in one transaction. A node that
// is released already (by another run) is left as it was: a release is
// never redrawn.
func (d *DB) SaveRelease(ctx context.Context, slug string, n release.Node, p release.Params, cells []release.Count) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO release_nodes (role_slug, start, days, epsilon, delta, sigma)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, slug, n.Start, n.Days, p.Epsilon, p.Delta, p.Sigma)
		if err != nil {
			return err
		}
		if added, err := res.RowsAffected(); err != nil || added == 0 {
			return err
		}
		stmt, err := tx.Prepare(`INSERT INTO releases (role_slug, start, days, version_id, channel, mode, metric, key, bucket, value)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, c := range cells {
			if _, err := stmt.Exec(slug, n.Start, n.Days, c.VersionID, c.Channel, c.Mode, c.Metric, c.Key, c.Bucket, c.N); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: save release %q %s: %w", slug, n, err)
	}
	return nil
}

// ReleasedSums returns the released values of the role summed over nodes,
// per version, channel, mode, metric, key and bucket, with the variance of
// each sum's noise. metrics, when given, limits the metrics read. Each node
// is read on its own, along the primary key, so that the cost grows with
// the nodes asked for, not with the role's history.
func (d *DB) ReleasedSums(ctx context.Context, slug string, nodes []release.Node, metrics ...string) ([]release.Released, error) {
	q := `SELECT r.version_id, r.channel, r.mode, r.metric, r.key, r.bucket, r.value, n.sigma
		FROM release_nodes n JOIN releases r ON r.role_slug = n.role_slug AND r.start = n.start AND r.days = n.days
		WHERE n.role_slug = ? AND n.start = ? AND n.days = ?`
	if len(metrics) > 0 {
		q += ` AND r.metric IN (?` + strings.Repeat(", ?", len(metrics)-1) + `)`
	}
	sums := map[release.Count]*release.Released{}
	var order []release.Count
	for _, n := range nodes {
		args := []any{slug, n.Start, n.Days}
		for _, m := range metrics {
			args = append(args, m)
		}
		if err := func() error {
			rows, err := d.r.QueryContext(ctx, q, args...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var c release.Count
				var sigma float64
				if err := rows.Scan(&c.VersionID, &c.Channel, &c.Mode, &c.Metric, &c.Key, &c.Bucket, &c.N, &sigma); err != nil {
					return err
				}
				v := c.N
				c.N = 0
				r := sums[c]
				if r == nil {
					r = &release.Released{Count: c}
					sums[c] = r
					order = append(order, c)
				}
				r.N += v
				r.Var += sigma * sigma
			}
			return rows.Err()
		}(); err != nil {
			return nil, fmt.Errorf("sqlite: released sums of %q %s: %w", slug, n, err)
		}
	}
	out := make([]release.Released, len(order))
	for i, c := range order {
		out[i] = *sums[c]
	}
	return out, nil
}
