package sqlite

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/report"
)

// The stats value types belong to the report they feed; the storage keeps
// their names so that its methods implement report.Store.
type (
	// StatsFilter is report.StatsFilter.
	StatsFilter = report.StatsFilter
	// RoleStats is report.RoleStats.
	RoleStats = report.RoleStats
	// DayCounts is report.DayCounts.
	DayCounts = report.DayCounts
	// Slice is report.Slice.
	Slice = report.Slice
	// RoleSummary is report.RoleSummary.
	RoleSummary = report.RoleSummary
	// DayCompleted is report.DayCompleted.
	DayCompleted = report.DayCompleted
)

var _ report.Store = (*DB)(nil)

func filterWhere(f StatsFilter) (string, []any) {
	var b strings.Builder
	args := []any{f.Role, f.From, f.To}
	b.WriteString(`role_slug = ? AND day BETWEEN ? AND ?`)
	if f.Channel != "" {
		b.WriteString(` AND channel = ?`)
		args = append(args, f.Channel)
	}
	if f.Mode != "" {
		b.WriteString(` AND mode = ?`)
		args = append(args, f.Mode)
	}
	if f.VersionID != 0 {
		b.WriteString(` AND version_id = ?`)
		args = append(args, f.VersionID)
	}
	return b.String(), args
}

// roleStats reads the counters for f from the database (RoleStats keeps
// what it read of days that are over).
func (d *DB) roleStats(ctx context.Context, f StatsFilter) (*RoleStats, error) {
	where, args := filterWhere(f)
	rows, err := d.r.QueryContext(ctx, `SELECT metric, key, bucket, SUM(n) FROM counters WHERE `+where+`
		GROUP BY metric, key, bucket`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: role stats %q: %w", f.Role, err)
	}
	defer rows.Close()
	st := &RoleStats{Steps: map[int]int{}, Answers: map[string][]int{}, Fits: map[string][]int{}, Recommended: map[string]int{}}
	for rows.Next() {
		var metric, key string
		var bucket, n int
		if err := rows.Scan(&metric, &key, &bucket, &n); err != nil {
			return nil, fmt.Errorf("sqlite: role stats %q: %w", f.Role, err)
		}
		switch metric {
		case MetricStarted:
			st.Started += n
		case MetricCompleted:
			st.Completed += n
		case MetricApply:
			st.Apply += n
		case MetricStep:
			if s, err := strconv.Atoi(key); err == nil {
				st.Steps[s] += n
			}
		case MetricAnswer:
			if bucket >= 0 && bucket <= MaxAnswerBucket {
				if st.Answers[key] == nil {
					st.Answers[key] = make([]int, MaxAnswerBucket+1)
				}
				st.Answers[key][bucket] += n
			}
		case MetricFit:
			if bucket >= 0 && bucket < FitBands {
				if st.Fits[key] == nil {
					st.Fits[key] = make([]int, FitBands)
				}
				st.Fits[key][bucket] += n
			}
		case MetricRecommended:
			st.Recommended[key] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: role stats %q: %w", f.Role, err)
	}
	rows.Close()

	drows, err := d.r.QueryContext(ctx, `SELECT day, metric, SUM(n) FROM counters WHERE `+where+`
		AND metric IN ('started', 'completed', 'apply') GROUP BY day, metric ORDER BY day`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: role stats %q by day: %w", f.Role, err)
	}
	defer drows.Close()
	for drows.Next() {
		var day, metric string
		var n int
		if err := drows.Scan(&day, &metric, &n); err != nil {
			return nil, fmt.Errorf("sqlite: role stats %q by day: %w", f.Role, err)
		}
		if len(st.Daily) == 0 || st.Daily[len(st.Daily)-1].Day != day {
			st.Daily = append(st.Daily, DayCounts{Day: day})
		}
		dc := &st.Daily[len(st.Daily)-1]
		switch metric {
		case MetricStarted:
			dc.Started = n
		case MetricCompleted:
			dc.Completed = n
		case MetricApply:
			dc.Apply = n
		}
	}
	return st, drows.Err()
}

// roleSlices reads the slices of RoleSlices from the database.
func (d *DB) roleSlices(ctx context.Context, f StatsFilter) ([]Slice, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT channel, mode, version_id, SUM(n) FROM counters
		WHERE role_slug = ? AND day BETWEEN ? AND ? AND metric = 'completed'
		GROUP BY channel, mode, version_id`, f.Role, f.From, f.To)
	if err != nil {
		return nil, fmt.Errorf("sqlite: role slices %q: %w", f.Role, err)
	}
	defer rows.Close()
	var out []Slice
	for rows.Next() {
		var s Slice
		if err := rows.Scan(&s.Channel, &s.Mode, &s.VersionID, &s.Completed); err != nil {
			return nil, fmt.Errorf("sqlite: role slices %q: %w", f.Role, err)
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// RoleSummaries returns the funnel totals of every role with any counts
// between from and to (inclusive), by role slug.
func (d *DB) RoleSummaries(ctx context.Context, from, to string) (map[string]RoleSummary, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT role_slug, metric, SUM(n) FROM counters
		WHERE day BETWEEN ? AND ? AND metric IN ('started', 'completed', 'apply')
		GROUP BY role_slug, metric`, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: role summaries: %w", err)
	}
	defer rows.Close()
	out := map[string]RoleSummary{}
	for rows.Next() {
		var slug, metric string
		var n int
		if err := rows.Scan(&slug, &metric, &n); err != nil {
			return nil, fmt.Errorf("sqlite: role summaries: %w", err)
		}
		s := out[slug]
		s.Role = slug
		switch metric {
		case MetricStarted:
			s.Started = n
		case MetricCompleted:
			s.Completed = n
		case MetricApply:
			s.Apply = n
		}
		out[slug] = s
	}
	return out, rows.Err()
}

// VersionInfo describes one stored version of a role.
type VersionInfo struct {
	ID int64
	// Number is the version's number within its role, from 1.
	Number     int
	Hash       string
	ImportedAt time.Time
}

// RoleVersionList returns the stored versions of a role, newest first.
func (d *DB) RoleVersionList(ctx context.Context, slug string) ([]VersionInfo, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT id, number, hash, imported_at FROM role_versions
		WHERE role_slug = ? ORDER BY imported_at DESC, id DESC`, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []VersionInfo
	for rows.Next() {
		var v VersionInfo
		var at string
		if err := rows.Scan(&v.ID, &v.Number, &v.Hash, &at); err != nil {
			return nil, fmt.Errorf("sqlite: versions of %q: %w", slug, err)
		}
		v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		out = append(out, v)
	}
	return out, rows.Err()
}

// CounterDiff is a counter that disagrees with the submissions it should
// sum up.
type CounterDiff struct {
	Role, Day     string
	VersionID     int64
	Channel, Mode string
	Metric, Key   string
	Bucket        int
	// Counted is the stored counter, Recomputed the sum over submissions.
	Counted, Recomputed int
}

func (c CounterDiff) String() string {
	return fmt.Sprintf("%s %s v%d %s/%s %s %q[%d]: counted %d, submissions say %d",
		c.Role, c.Day, c.VersionID, c.Channel, c.Mode, c.Metric, c.Key, c.Bucket, c.Counted, c.Recomputed)
}

// settingPurgedBefore holds the first day whose submissions are all still
// stored; counters of earlier days outlive their purged rows.
const settingPurgedBefore = "purged_before"

// VerifyCounters recomputes the counters that submissions feed (completed,
// answers, fits, recommended levels) from the submission rows and returns
// every difference. Days before the last purge are skipped: their counters
// keep the aggregates of rows that are gone on purpose. Funnel events
// (started, steps, apply clicks) have no rows to check against.
func (d *DB) VerifyCounters(ctx context.Context) ([]CounterDiff, error) {
	from, err := d.Setting(ctx, settingPurgedBefore)
	if err != nil {
		return nil, err
	}
	type key struct {
		counterDims
		counterCell
	}
	want := map[key]int{}
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
		dims := counterDims{Role: s.RoleSlug, Day: s.Day, VersionID: s.VersionID, Channel: s.Channel, Mode: s.Mode}
		for _, c := range submissionCells(s) {
			want[key{dims, c}]++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	rows.Close()
	got := map[key]int{}
	crows, err := d.r.QueryContext(ctx, `SELECT role_slug, day, metric, key, bucket, version_id, channel, mode, n
		FROM counters WHERE day >= ? AND metric IN ('completed', 'answer', 'fit', 'recommended') AND n <> 0`, string(from))
	if err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	defer crows.Close()
	for crows.Next() {
		var k key
		var n int
		if err := crows.Scan(&k.Role, &k.Day, &k.Metric, &k.Key, &k.Bucket, &k.VersionID, &k.Channel, &k.Mode, &n); err != nil {
			return nil, fmt.Errorf("sqlite: verify counters: %w", err)
		}
		got[k] = n
	}
	if err := crows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: verify counters: %w", err)
	}
	var diffs []CounterDiff
	add := func(k key) {
		if got[k] != want[k] {
			diffs = append(diffs, CounterDiff{Role: k.Role, Day: k.Day, VersionID: k.VersionID, Channel: k.Channel, Mode: k.Mode,
				Metric: k.Metric, Key: k.Key, Bucket: k.Bucket, Counted: got[k], Recomputed: want[k]})
		}
	}
	for k := range want {
		add(k)
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			add(k)
		}
	}
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].String() < diffs[j].String() })
	return diffs, nil
}

// dailyCompleted reads the rows of DailyCompleted from the days from to
// to (inclusive) from the database.
func (d *DB) dailyCompleted(ctx context.Context, role, from, to string) ([]DayCompleted, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT day, channel, mode, version_id, SUM(n) FROM counters
		WHERE role_slug = ? AND day BETWEEN ? AND ? AND metric = 'completed'
		GROUP BY day, channel, mode, version_id ORDER BY day`, role, from, to)
	if err != nil {
		return nil, fmt.Errorf("sqlite: daily completed %q: %w", role, err)
	}
	defer rows.Close()
	var out []DayCompleted
	for rows.Next() {
		var c DayCompleted
		if err := rows.Scan(&c.Day, &c.Channel, &c.Mode, &c.VersionID, &c.Completed); err != nil {
			return nil, fmt.Errorf("sqlite: daily completed %q: %w", role, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}
