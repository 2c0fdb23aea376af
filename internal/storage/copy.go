package storage

import (
	"context"
	"errors"
	"fmt"
)

// copyChunk is how many rows one write of a copy carries.
const copyChunk = 5000

// tableReader and tableWriter are what a copy needs of its ends: every
// store reads its tables; PostgreSQL also writes them in bulk.
type tableReader interface {
	ReadTable(ctx context.Context, table string, each func(cols []string, row []any) error) error
}

type tableWriter interface {
	WriteTable(ctx context.Context, table string, cols []string, rows [][]any) error
}

// Copied is one table of a copy, with its rows counted at both ends.
type Copied struct {
	Table    string
	From, To int64
}

// Copy copies every table of from into to, parents first, and then counts
// each table's rows at both ends. The destination must hold nothing yet:
// a copy into a database in use would mix two histories. It returns the
// counts; any table whose counts differ is an error.
func Copy(ctx context.Context, from, to Store) ([]Copied, error) {
	r, ok := from.(tableReader)
	if !ok {
		return nil, errors.New("storage: copy: the source cannot be read table by table")
	}
	w, ok := to.(tableWriter)
	if !ok {
		return nil, errors.New("storage: copy: the destination cannot take a copy; copy into PostgreSQL")
	}
	tables := from.Tables()
	for _, t := range tables {
		n, err := to.CountRows(ctx, t)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			return nil, fmt.Errorf("storage: copy: the destination already holds %d rows in %s; copy into an empty database", n, t)
		}
	}
	out := make([]Copied, 0, len(tables))
	for _, t := range tables {
		var cols []string
		rows := make([][]any, 0, copyChunk)
		flush := func() error {
			if len(rows) == 0 {
				return nil
			}
			err := w.WriteTable(ctx, t, cols, rows)
			rows = rows[:0]
			return err
		}
		err := r.ReadTable(ctx, t, func(c []string, row []any) error {
			cols = c
			rows = append(rows, row)
			if len(rows) == copyChunk {
				return flush()
			}
			return nil
		})
		if err == nil {
			err = flush()
		}
		if err != nil {
			return out, fmt.Errorf("storage: copy %s: %w", t, err)
		}
		c := Copied{Table: t}
		if c.From, err = from.CountRows(ctx, t); err != nil {
			return out, err
		}
		if c.To, err = to.CountRows(ctx, t); err != nil {
			return out, err
		}
		out = append(out, c)
		if c.From != c.To {
			return out, fmt.Errorf("storage: copy %s: %d rows in the source, %d in the destination", t, c.From, c.To)
		}
	}
	return out, nil
}
