package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/submission"
)

// importRowsPerInsert is how many submissions one INSERT carries: 13
// columns each, well under SQLite's 32,766 parameters.
const importRowsPerInsert = 128

// ImportSubmissions stores subs and events in one transaction, with their
// counters summed in memory first: a bulk load writes each distinct
// counter once, not once per submission.
func (d *DB) ImportSubmissions(ctx context.Context, subs []*submission.Submission, events []submission.EventCount) error {
	rows := make([][]any, 0, len(subs))
	for _, s := range subs {
		r, _, err := submissionRow(s)
		if err != nil {
			return fmt.Errorf("sqlite: import submissions: %w", err)
		}
		rows = append(rows, r)
	}
	t, err := submission.TallyOf(subs, events)
	if err != nil {
		return fmt.Errorf("sqlite: import submissions: %w", err)
	}
	err = d.writeCounting(ctx, t, func(tx *sql.Tx) error {
		// A bulk load dirties pages all over the table and its indexes
		// (row ids and token hashes are random): with the default cache
		// of 2 MB, SQLite writes each page to the WAL again and again
		// within the transaction. A larger cache for the load keeps them
		// until the commit writes each once.
		if _, err := tx.Exec(`PRAGMA cache_size = -131072`); err != nil {
			return err
		}
		defer tx.Exec(`PRAGMA cache_size = -2000`)
		cols := "(" + submissionColumns + ")"
		row := "(?" + strings.Repeat(", ?", 11) + ")"
		for chunk := range slices.Chunk(rows, importRowsPerInsert) {
			args := make([]any, 0, len(chunk)*12)
			for _, r := range chunk {
				args = append(args, r...)
			}
			q := `INSERT INTO submissions ` + cols + ` VALUES ` + row + strings.Repeat(", "+row, len(chunk)-1)
			if _, err := tx.Exec(q, args...); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("sqlite: import submissions: %w", err)
	}
	for i, s := range subs {
		s.ID = rows[i][0].(int64)
	}
	return nil
}

// Tables lists the tables a copy carries, parents first.
func (d *DB) Tables() []string { return slices.Clone(db.Tables) }

// CountRows counts a table's rows.
func (d *DB) CountRows(ctx context.Context, table string) (int64, error) {
	if !slices.Contains(db.Tables, table) {
		return 0, fmt.Errorf("sqlite: count rows: unknown table %q", table)
	}
	var n int64
	if err := d.r.QueryRowContext(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: count rows of %s: %w", table, err)
	}
	return n, nil
}

// ReadTable calls each with every row of a table, as the driver gives its
// values, and the table's column names.
func (d *DB) ReadTable(ctx context.Context, table string, each func(cols []string, row []any) error) error {
	if !slices.Contains(db.Tables, table) {
		return fmt.Errorf("sqlite: read table: unknown table %q", table)
	}
	rows, err := d.r.QueryContext(ctx, `SELECT * FROM `+table)
	if err != nil {
		return fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("sqlite: read %s: %w", table, err)
		}
		if err := each(cols, vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: read %s: %w", table, err)
	}
	return nil
}
