package postgres

import (
	"context"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/submission"
)

// ImportSubmissions stores subs and events in one transaction of its own,
// beside the group writer: the rows go in with COPY, and the counters they
// add are summed in memory first and written once.
func (d *DB) ImportSubmissions(ctx context.Context, subs []*submission.Submission, events []submission.EventCount) error {
	rows := make([][]any, 0, len(subs))
	for _, s := range subs {
		r, err := submission.RowOf(s)
		if err != nil {
			return fmt.Errorf("postgres: import submissions: %w", err)
		}
		rows = append(rows, rowValues(s, r))
	}
	counts, err := submission.TallyOf(subs, events)
	if err != nil {
		return fmt.Errorf("postgres: import submissions: %w", err)
	}
	err = d.writeAlone(ctx, func(ctx context.Context, tx pgx.Tx, t submission.Tally) error {
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"submissions"}, submissionColumns, pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		t.Merge(counts)
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: import submissions: %w", err)
	}
	for i, s := range subs {
		s.ID = rows[i][0].(int64)
	}
	return nil
}

// Tables lists the tables a copy carries, parents first.
func (d *DB) Tables() []string { return slices.Clone(db.Tables) }

func knownTable(what, table string) error {
	if !slices.Contains(db.Tables, table) {
		return fmt.Errorf("postgres: %s: unknown table %q", what, table)
	}
	return nil
}

// CountRows counts a table's rows.
func (d *DB) CountRows(ctx context.Context, table string) (int64, error) {
	if err := knownTable("count rows", table); err != nil {
		return 0, err
	}
	var n int64
	if err := d.pool.QueryRow(ctx, `SELECT count(*) FROM `+table).Scan(&n); err != nil {
		return 0, fmt.Errorf("postgres: count rows of %s: %w", table, err)
	}
	return n, nil
}

// ReadTable calls each with every row of a table and the table's column
// names. Values come as SQLite's driver gives them where the types allow
// (int64 for every integer), and as booleans and byte slices otherwise.
func (d *DB) ReadTable(ctx context.Context, table string, each func(cols []string, row []any) error) error {
	if err := knownTable("read table", table); err != nil {
		return err
	}
	rows, err := d.pool.Query(ctx, `SELECT * FROM `+table)
	if err != nil {
		return fmt.Errorf("postgres: read %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for _, f := range rows.FieldDescriptions() {
		cols = append(cols, f.Name)
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return fmt.Errorf("postgres: read %s: %w", table, err)
		}
		for i, v := range vals {
			if n, ok := v.(int32); ok {
				vals[i] = int64(n)
			}
		}
		if err := each(cols, vals); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: read %s: %w", table, err)
	}
	return nil
}

// column is a column of a table as the catalog describes it.
type column struct {
	typ      string
	identity bool
}

// WriteTable appends rows to a table with COPY, in one transaction,
// converting the values SQLite's driver gives (int64, float64, string,
// []byte, nil; 0/1 for booleans) to the columns' types. The table's
// identity sequence then continues after the largest id, so rows added
// later do not collide with copied ones.
func (d *DB) WriteTable(ctx context.Context, table string, cols []string, rows [][]any) error {
	if err := knownTable("write table", table); err != nil {
		return err
	}
	types := map[string]column{}
	crows, err := d.pool.Query(ctx, `SELECT column_name, data_type, is_identity = 'YES' FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1`, table)
	if err != nil {
		return fmt.Errorf("postgres: write %s: %w", table, err)
	}
	var name string
	var c column
	if _, err := pgx.ForEachRow(crows, []any{&name, &c.typ, &c.identity}, func() error { types[name] = c; return nil }); err != nil {
		return fmt.Errorf("postgres: write %s: %w", table, err)
	}
	for _, col := range cols {
		if _, ok := types[col]; !ok {
			return fmt.Errorf("postgres: write %s: no column %q: run the same rolefit on both databases", table, col)
		}
	}
	err = pgx.BeginFunc(ctx, d.pool, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(len(rows), func(i int) ([]any, error) {
			out := make([]any, len(cols))
			for j, v := range rows[i] {
				out[j] = convert(v, types[cols[j]].typ)
			}
			return out, nil
		}))
		if err != nil {
			return err
		}
		for _, col := range cols {
			if !types[col].identity {
				continue
			}
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, $2),
				(SELECT coalesce(max(`+pgx.Identifier{col}.Sanitize()+`), 0) + 1 FROM `+table+`), false)`, table, col); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("postgres: write %s: %w", table, err)
	}
	return nil
}

// convert turns a value as SQLite's driver gives it into one for a column
// of PostgreSQL type typ.
func convert(v any, typ string) any {
	switch typ {
	case "boolean":
		if n, ok := v.(int64); ok {
			return n != 0
		}
	case "bytea":
		if s, ok := v.(string); ok {
			return []byte(s)
		}
	case "text":
		if b, ok := v.([]byte); ok {
			return string(b)
		}
	case "double precision":
		if n, ok := v.(int64); ok {
			return float64(n)
		}
	}
	return v
}
