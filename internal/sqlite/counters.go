package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/rolefit/rolefit/internal/submission"
)

// RecordEvent adds one to the day's counter for ev.
func (d *DB) RecordEvent(ctx context.Context, ev submission.Event) error {
	dims, cells, err := submission.EventCells(ev)
	if err != nil {
		return fmt.Errorf("sqlite: record event: %w", err)
	}
	t := make(submission.Tally, len(cells))
	for _, c := range cells {
		t[submission.Counter{Dims: dims, Cell: c}]++
	}
	if err := d.write(ctx, func(tx *sql.Tx) error { return bumpCounters(tx, t.Counters()) }); err != nil {
		return fmt.Errorf("sqlite: record event: %w", err)
	}
	return nil
}

// addSubmissionCounters adds sign (+1 or -1) times the submission to the
// day's aggregate counters, inside the transaction that stores or deletes
// it, so that counters and rows never disagree.
func addSubmissionCounters(tx *sql.Tx, s *submission.Submission, sign int) error {
	t := submission.Tally{}
	t.Add(s, sign)
	return bumpCounters(tx, t.Counters())
}

func bumpCounters(tx *sql.Tx, cs []submission.Counter) error {
	stmt, err := tx.Prepare(`INSERT INTO counters (role_slug, day, metric, key, bucket, version_id, channel, mode, n)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT DO UPDATE SET n = n + excluded.n`)
	if err != nil {
		return fmt.Errorf("counters: %w", err)
	}
	defer stmt.Close()
	for _, c := range cs {
		if _, err := stmt.Exec(c.Role, c.Day, c.Metric, c.Key, c.Bucket, c.VersionID, c.Channel, c.Mode, c.N); err != nil {
			return fmt.Errorf("counters: %s %s: %w", c.Metric, c.Key, err)
		}
	}
	return nil
}
