package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/submission"
)

// FirstDay returns the first day released for a role: the earlier of the
// UTC day of its first import and its first counter's day; "" for a role
// that is not stored.
func (d *DB) FirstDay(ctx context.Context, slug string) (string, error) {
	var day *string
	err := d.pool.QueryRow(ctx, `SELECT min(x) FROM (
		SELECT min(day) AS x FROM counters WHERE role_slug = $1
		UNION ALL SELECT min(substr(imported_at, 1, 10)) FROM role_versions WHERE role_slug = $1) AS firsts`, slug).Scan(&day)
	if err != nil {
		return "", fmt.Errorf("postgres: first day of %q: %w", slug, err)
	}
	if day == nil {
		return "", nil
	}
	return *day, nil
}

// ReleasedNodes returns the nodes of the role released so far.
func (d *DB) ReleasedNodes(ctx context.Context, slug string) ([]release.Node, error) {
	rows, err := d.pool.Query(ctx, `SELECT start, days FROM release_nodes WHERE role_slug = $1`, slug)
	if err != nil {
		return nil, fmt.Errorf("postgres: released nodes of %q: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (release.Node, error) {
		var n release.Node
		err := row.Scan(&n.Start, &n.Days)
		return n, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: released nodes of %q: %w", slug, err)
	}
	return out, nil
}

// CounterSums returns the role's counters summed over the days from–to
// (inclusive) per version, channel, mode, metric, key and bucket: the true
// counts a release adds its noise to.
func (d *DB) CounterSums(ctx context.Context, slug, from, to string) ([]release.Count, error) {
	rows, err := d.pool.Query(ctx, `SELECT version_id, channel, mode, metric, key, bucket, sum(n)::bigint FROM counters
		WHERE role_slug = $1 AND day BETWEEN $2 AND $3
		GROUP BY version_id, channel, mode, metric, key, bucket`, slug, from, to)
	if err != nil {
		return nil, fmt.Errorf("postgres: counter sums of %q: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (release.Count, error) {
		var c release.Count
		err := row.Scan(&c.VersionID, &c.Channel, &c.Mode, &c.Metric, &c.Key, &c.Bucket, &c.N)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: counter sums of %q: %w", slug, err)
	}
	return out, nil
}

// SaveRelease stores a node's noisy cells in one transaction. A node that
// is released already (by another run, on any instance) is left as it
// was: a release is never redrawn. The node's row is inserted first, so
// a second instance releasing it at once waits for the first's commit and
// then adds nothing.
func (d *DB) SaveRelease(ctx context.Context, slug string, n release.Node, p release.Params, cells []release.Count) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		tag, err := tx.Exec(ctx, `INSERT INTO release_nodes (role_slug, start, days, epsilon, delta, sigma)
			VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING`, slug, n.Start, n.Days, p.Epsilon, p.Delta, p.Sigma)
		if err != nil || tag.RowsAffected() == 0 {
			return err
		}
		_, err = tx.CopyFrom(ctx, pgx.Identifier{"releases"},
			[]string{"role_slug", "start", "days", "version_id", "channel", "mode", "metric", "key", "bucket", "value"},
			pgx.CopyFromSlice(len(cells), func(i int) ([]any, error) {
				c := cells[i]
				return []any{slug, n.Start, n.Days, c.VersionID, c.Channel, c.Mode, c.Metric, c.Key, c.Bucket, c.N}, nil
			}))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: save release %q %s: %w", slug, n, err)
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
		WHERE n.role_slug = $1 AND n.start = $2 AND n.days = $3`
	if len(metrics) > 0 {
		q += ` AND r.metric = ANY($4)`
	}
	sums := map[release.Count]*release.Released{}
	var order []release.Count
	for _, n := range nodes {
		args := []any{slug, n.Start, n.Days}
		if len(metrics) > 0 {
			args = append(args, metrics)
		}
		rows, err := d.pool.Query(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("postgres: released sums of %q %s: %w", slug, n, err)
		}
		var c release.Count
		var sigma float64
		_, err = pgx.ForEachRow(rows, []any{&c.VersionID, &c.Channel, &c.Mode, &c.Metric, &c.Key, &c.Bucket, &c.N, &sigma}, func() error {
			k := c
			k.N = 0
			r := sums[k]
			if r == nil {
				r = &release.Released{Count: k}
				sums[k] = r
				order = append(order, k)
			}
			r.N += c.N
			r.Var += sigma * sigma
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("postgres: released sums of %q %s: %w", slug, n, err)
		}
	}
	out := make([]release.Released, len(order))
	for i, c := range order {
		out[i] = *sums[c]
	}
	return out, nil
}
