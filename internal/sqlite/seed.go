package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/rolefit/rolefit/internal/submission"
)

// SyntheticSetting is the settings key that marks a database as holding
// synthetic data written by SeedSynthetic. Its value says how it was made.
const SyntheticSetting = "synthetic_data"

// seedRowsPerInsert is how many submissions one INSERT statement carries:
// 12 columns each, well under SQLite's 32,766 parameters.
const seedRowsPerInsert = 128

// seedRowsPerTx is how many submissions one seeding transaction holds.
const seedRowsPerTx = 100_000

// SeedSynthetic fills the database at path with synthetic submissions for
// benchmarks, as fast as SQLite allows: it fills each submission by calling
// next until next reports false, inserts them many rows per statement in
// large transactions, and adds to the daily counters exactly what
// CreateSubmission would (the same cells, summed in memory first), plus the
// events that events returns once next is done. It returns how many submissions it wrote.
//
// Durability is traded for speed: the seeding connection runs with
// synchronous=OFF, so a crash while seeding can lose or corrupt the seeded
// database. Never use it on a database that serves applicants: it refuses a
// database that holds submissions it did not make, and it marks the ones it
// fills with SyntheticSetting. The database must exist (Open it first, so
// that its migrations are applied) and must not be open elsewhere for
// writing.
func SeedSynthetic(ctx context.Context, path, note string, next func(s *submission.Submission) bool, events func() []submission.EventCount) (int, error) {
	// synchronous=OFF: nothing here is acknowledged to anyone, and a
	// failed seed is simply run again. A large page cache keeps the random
	// inserts into the token index in memory.
	conn, err := sql.Open("sqlite3", "file:"+url.PathEscape(path)+
		"?_journal_mode=WAL&_foreign_keys=on&_busy_timeout=10000&_synchronous=OFF&_cache_size=-262144&_txlock=immediate")
	if err != nil {
		return 0, fmt.Errorf("sqlite: seed %s: %w", path, err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)

	var mark string
	err = conn.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, SyntheticSetting).Scan(&mark)
	if errors.Is(err, sql.ErrNoRows) {
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM submissions`).Scan(&n); err != nil {
			return 0, fmt.Errorf("sqlite: seed %s: %w", path, err)
		}
		if n > 0 {
			return 0, fmt.Errorf("sqlite: seed %s: it holds %d real submissions; seed an empty database", path, n)
		}
	} else if err != nil {
		return 0, fmt.Errorf("sqlite: seed %s: %w", path, err)
	}
	if _, err := conn.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, SyntheticSetting, []byte(note)); err != nil {
		return 0, fmt.Errorf("sqlite: seed %s: mark: %w", path, err)
	}

	sd := &seeder{counts: map[seedCounter]int{}, encoded: map[seedTemplate]*seedEncoded{},
		cellIDs: map[counterCell]int{}, dimIDs: map[counterDims]int{}}
	total := 0
	for done := false; !done; {
		n, err := sd.fillTx(ctx, conn, next)
		total += n
		if err != nil {
			return total, fmt.Errorf("sqlite: seed %s: %w", path, err)
		}
		done = n < seedRowsPerTx
	}
	for d, row := range sd.grid {
		for c, n := range row {
			if n > 0 {
				sd.counts[seedCounter{sd.dims[d], sd.cells[c]}] += n
			}
		}
	}
	if events != nil {
		for _, ev := range events() {
			dims := counterDims{Role: ev.RoleSlug, Day: ev.Day, VersionID: ev.VersionID, Channel: ev.Channel, Mode: ev.Mode}
			cell := counterCell{Metric: ev.Name}
			if ev.Name == submission.MetricStep {
				cell.Key = strconv.Itoa(ev.Step)
			}
			sd.counts[seedCounter{dims, cell}] += ev.N
		}
	}
	if err := sd.writeCounters(ctx, conn); err != nil {
		return total, fmt.Errorf("sqlite: seed %s: counters: %w", path, err)
	}
	return total, nil
}

type seedCounter struct {
	dims counterDims
	cell counterCell
}

type seeder struct {
	counts  map[seedCounter]int
	encoded map[seedTemplate]*seedEncoded
	// grid[d][c] counts cell c (cells[c]) on dimensions dims[d].
	cells   []counterCell
	cellIDs map[counterCell]int
	dims    []counterDims
	dimIDs  map[counterDims]int
	grid    [][]int
	args    []any
}

// fillTx writes up to seedRowsPerTx submissions in one transaction.
func (sd *seeder) fillTx(ctx context.Context, conn *sql.DB, next func(*submission.Submission) bool) (int, error) {
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	const cols = `(token_hash, role_slug, version_id, mode, channel, embed_host, specialty, day, answers, fits, recommended)`
	row := "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
	many, err := tx.PrepareContext(ctx, `INSERT INTO submissions `+cols+` VALUES `+
		strings.TrimSuffix(strings.Repeat(row+",", seedRowsPerInsert), ","))
	if err != nil {
		return 0, err
	}
	defer many.Close()
	one, err := tx.PrepareContext(ctx, `INSERT INTO submissions `+cols+` VALUES `+row)
	if err != nil {
		return 0, err
	}
	defer one.Close()

	n, pending := 0, 0
	sd.args = sd.args[:0]
	var s submission.Submission
	for n < seedRowsPerTx {
		s = submission.Submission{}
		if !next(&s) {
			break
		}
		if err := sd.add(&s); err != nil {
			return n, err
		}
		n++
		if pending++; pending == seedRowsPerInsert {
			if _, err := many.ExecContext(ctx, sd.args...); err != nil {
				return n, err
			}
			sd.args, pending = sd.args[:0], 0
		}
	}
	for i := 0; i < pending; i++ {
		if _, err := one.ExecContext(ctx, sd.args[i*11:(i+1)*11]...); err != nil {
			return n, err
		}
	}
	return n, tx.Commit()
}

// add queues one submission's row and counts it, checking it as
// CreateSubmission does. Synthetic sources draw their answers from a pool
// of answer sets, so a set's JSON and counter cells are made once per set
// (by map identity), and its cells are counted in a dense grid per day and
// dimension rather than a map: that is what makes a million rows quick.
func (sd *seeder) add(s *submission.Submission) error {
	if len(s.TokenHash) != 32 {
		return errors.New("token hash must be 32 bytes")
	}
	key := seedTemplate{answers: reflect.ValueOf(s.Answers).UnsafePointer(), fits: reflect.ValueOf(s.Fits).UnsafePointer(),
		recommended: s.Recommended, embedHost: hostOf(s)}
	enc, ok := sd.encoded[key]
	if !ok {
		answers, err := encodeJSON(s.Answers, false)
		if err != nil {
			return err
		}
		fits, err := encodeJSON(s.Fits, true)
		if err != nil {
			return err
		}
		enc = &seedEncoded{answers: answers, fits: fits}
		for _, c := range submissionCells(s) {
			id, ok := sd.cellIDs[c]
			if !ok {
				id = len(sd.cells)
				sd.cellIDs[c] = id
				sd.cells = append(sd.cells, c)
			}
			enc.cells = append(enc.cells, id)
		}
		sd.encoded[key] = enc
	}
	sd.args = append(sd.args, s.TokenHash, s.RoleSlug, s.VersionID, s.Mode, s.Channel, s.EmbedHost,
		s.Specialty, s.Day, enc.answers, enc.fits, s.Recommended)
	dims := counterDims{Role: s.RoleSlug, Day: s.Day, VersionID: s.VersionID, Channel: s.Channel, Mode: s.Mode}
	d, ok := sd.dimIDs[dims]
	if !ok {
		d = len(sd.dims)
		sd.dimIDs[dims] = d
		sd.dims = append(sd.dims, dims)
		sd.grid = append(sd.grid, nil)
	}
	if len(sd.grid[d]) < len(sd.cells) {
		sd.grid[d] = append(sd.grid[d], make([]int, len(sd.cells)-len(sd.grid[d]))...)
	}
	for _, id := range enc.cells {
		sd.grid[d][id]++
	}
	return nil
}

// seedTemplate identifies an answer set by the maps that hold it.
type seedTemplate struct {
	answers, fits unsafe.Pointer
	recommended   string
	// embedHost is "" on the site: a widget submission also counts its host.
	embedHost string
}

type seedEncoded struct {
	answers, fits string
	// cells are positions in seeder.cells.
	cells []int
}

// writeCounters adds the summed counters to any already there, through
// the same upsert as the live path: cells that share their dimensions and
// count go in one call.
func (sd *seeder) writeCounters(ctx context.Context, conn *sql.DB) error {
	type group struct {
		dims counterDims
		n    int
	}
	groups := map[group][]counterCell{}
	for k, n := range sd.counts {
		g := group{k.dims, n}
		groups[g] = append(groups[g], k.cell)
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for g, cells := range groups {
		if err := bumpCounters(tx, g.dims, cells, g.n); err != nil {
			return err
		}
	}
	return tx.Commit()
}
