package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// purgeBatch bounds how many rows one purge transaction deletes, so that a
// first purge of a large backlog does not hold the writer for long.
const purgeBatch = 2000

// PurgeSubmissions deletes every submission made before the given day
// (YYYY-MM-DD) and returns how many it deleted. The counters are left as
// they are: they keep the aggregates of purged days. It ends with a WAL
// checkpoint even when nothing was due, so the daily run also makes final
// any delete whose own checkpoint found the WAL busy.
func (d *DB) PurgeSubmissions(ctx context.Context, before string) (int, error) {
	if _, err := time.Parse(time.DateOnly, before); err != nil {
		return 0, fmt.Errorf("sqlite: purge: day %q: %w", before, err)
	}
	total := 0
	for {
		var n int64
		err := d.write(ctx, func(tx *sql.Tx) error {
			res, err := tx.Exec(`DELETE FROM submissions WHERE id IN
				(SELECT id FROM submissions WHERE day < ? LIMIT ?)`, before, purgeBatch)
			if err != nil {
				return err
			}
			n, err = res.RowsAffected()
			if err != nil {
				return err
			}
			// Remember how far rows are gone, so that verifying the counters
			// knows which days can be checked against rows.
			_, err = tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?)
				ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value)`, settingPurgedBefore, before)
			return err
		})
		if err != nil {
			return total, fmt.Errorf("sqlite: purge: %w", err)
		}
		total += int(n)
		if n < purgeBatch {
			// Another process's readers (a second rolefit on the file, a
			// backup) can keep the WAL busy for a moment: try again briefly
			// before reporting that the purged rows are not final yet.
			err := d.checkpoint(ctx)
			for try := 1; err != nil && try < 5 && ctx.Err() == nil; try++ {
				time.Sleep(time.Duration(try) * 50 * time.Millisecond)
				err = d.checkpoint(ctx)
			}
			if err != nil {
				return total, fmt.Errorf("sqlite: purge: %w", err)
			}
			return total, nil
		}
	}
}
