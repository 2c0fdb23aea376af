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
	if err := d.writeCounting(ctx, t, func(*sql.Tx) error { return nil }); err != nil {
		return fmt.Errorf("sqlite: record event: %w", err)
	}
	return nil
}

// bumpCounters adds each counter's N to its stored cell.
func (d *DB) bumpCounters(tx *sql.Tx, cs []submission.Counter) error {
	if len(cs) == 0 {
		return nil
	}
	stmt := tx.Stmt(d.stmts.bumpCounter)
	for _, c := range cs {
		if _, err := stmt.Exec(c.Role, c.Day, c.Metric, c.Key, c.Bucket, c.VersionID, c.Channel, c.Mode, c.N); err != nil {
			return fmt.Errorf("counters: %s %s: %w", c.Metric, c.Key, err)
		}
	}
	return nil
}
