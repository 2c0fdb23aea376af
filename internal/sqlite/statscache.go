package sqlite

import (
	"context"
	"maps"
	"slices"
	"sync"
	"time"
)

// statsCache keeps the counter sums of days that are over. Applicants only
// ever add to today's counters, so the sums of earlier days change only
// when a submission is deleted (or a write lands just after midnight):
// every such write bumps gen after its commit, which drops what was kept.
// The dashboard then reads the closed days from memory and only today's
// counters from the database, and its latency stops growing with how
// densely the counter table is filled.
type statsCache struct {
	mu     sync.Mutex
	gen    uint64
	stats  map[StatsFilter]*RoleStats
	slices map[StatsFilter][]Slice
	daily  map[StatsFilter][]DayCompleted
}

// statsCacheMax bounds the filters kept; beyond it the cache starts over.
const statsCacheMax = 256

// countersWritten is called after a committed write to the counters of
// day: a day before today invalidates the kept sums.
func (d *DB) countersWritten(day string) {
	if day >= d.Now().UTC().Format(time.DateOnly) {
		return
	}
	c := &d.statsCache
	c.mu.Lock()
	c.gen++
	c.stats, c.slices, c.daily = nil, nil, nil
	c.mu.Unlock()
}

// splitClosed cuts f into the days before today and the rest. ok is false
// when f holds no day before today.
func (d *DB) splitClosed(f StatsFilter) (closed, open StatsFilter, hasOpen, ok bool) {
	today := d.Now().UTC()
	yesterday := today.AddDate(0, 0, -1).Format(time.DateOnly)
	if f.From > yesterday {
		return f, f, true, false
	}
	closed, open = f, f
	if f.To <= yesterday {
		return closed, open, false, true
	}
	closed.To = yesterday
	open.From = today.Format(time.DateOnly)
	return closed, open, true, true
}

// RoleStats reads the counters for f. It reads counter rows only, never
// submissions, and the rows of days before today only once (see
// statsCache): its cost grows with days × items, not with submissions.
func (d *DB) RoleStats(ctx context.Context, f StatsFilter) (*RoleStats, error) {
	closed, open, hasOpen, ok := d.splitClosed(f)
	if !ok {
		return d.roleStats(ctx, f)
	}
	c := &d.statsCache
	c.mu.Lock()
	kept, hit := c.stats[closed]
	gen := c.gen
	c.mu.Unlock()
	if !hit {
		var err error
		if kept, err = d.roleStats(ctx, closed); err != nil {
			return nil, err
		}
		c.mu.Lock()
		// Keep it only if no past counter changed meanwhile: the read may
		// have seen the database before that change.
		if c.gen == gen {
			if c.stats == nil || len(c.stats) >= statsCacheMax {
				c.stats = map[StatsFilter]*RoleStats{}
			}
			c.stats[closed] = kept
		}
		c.mu.Unlock()
	}
	out := cloneStats(kept)
	if hasOpen {
		st, err := d.roleStats(ctx, open)
		if err != nil {
			return nil, err
		}
		addStats(out, st)
	}
	return out, nil
}

// RoleSlices returns the completed counts of a role per channel, mode and
// version over the filter's dates (its other fields are ignored), keeping
// the sums of days before today as RoleStats does.
func (d *DB) RoleSlices(ctx context.Context, f StatsFilter) ([]Slice, error) {
	f = StatsFilter{Role: f.Role, From: f.From, To: f.To}
	closed, open, hasOpen, ok := d.splitClosed(f)
	if !ok {
		return d.roleSlices(ctx, f)
	}
	c := &d.statsCache
	c.mu.Lock()
	kept, hit := c.slices[closed]
	gen := c.gen
	c.mu.Unlock()
	if !hit {
		var err error
		if kept, err = d.roleSlices(ctx, closed); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.gen == gen {
			if c.slices == nil || len(c.slices) >= statsCacheMax {
				c.slices = map[StatsFilter][]Slice{}
			}
			c.slices[closed] = kept
		}
		c.mu.Unlock()
	}
	out := slices.Clone(kept)
	if hasOpen {
		more, err := d.roleSlices(ctx, open)
		if err != nil {
			return nil, err
		}
	next:
		for _, m := range more {
			for i := range out {
				if out[i].Channel == m.Channel && out[i].Mode == m.Mode && out[i].VersionID == m.VersionID {
					out[i].Completed += m.Completed
					continue next
				}
			}
			out = append(out, m)
		}
	}
	return out, nil
}

// DailyCompleted returns a role's completed counts per day, channel, mode
// and version over its whole history, in date order: the input of the
// dashboard's k-blocks. It reads counter rows only, and those of days
// before today only once (see statsCache).
func (d *DB) DailyCompleted(ctx context.Context, role string) ([]DayCompleted, error) {
	f := StatsFilter{Role: role, From: "0000-01-01", To: "9999-12-31"}
	closed, open, _, _ := d.splitClosed(f)
	c := &d.statsCache
	c.mu.Lock()
	kept, hit := c.daily[closed]
	gen := c.gen
	c.mu.Unlock()
	if !hit {
		var err error
		if kept, err = d.dailyCompleted(ctx, role, closed.From, closed.To); err != nil {
			return nil, err
		}
		c.mu.Lock()
		if c.gen == gen {
			if c.daily == nil || len(c.daily) >= statsCacheMax {
				c.daily = map[StatsFilter][]DayCompleted{}
			}
			c.daily[closed] = kept
		}
		c.mu.Unlock()
	}
	today, err := d.dailyCompleted(ctx, role, open.From, open.To)
	if err != nil {
		return nil, err
	}
	return append(slices.Clone(kept), today...), nil
}

// cloneStats returns a copy of st that shares nothing with it.
func cloneStats(st *RoleStats) *RoleStats {
	out := &RoleStats{Started: st.Started, Completed: st.Completed, Apply: st.Apply,
		Steps: maps.Clone(st.Steps), Answers: make(map[string][]int, len(st.Answers)),
		Fits: make(map[string][]int, len(st.Fits)), Recommended: maps.Clone(st.Recommended),
		Daily: slices.Clone(st.Daily)}
	for k, v := range st.Answers {
		out.Answers[k] = slices.Clone(v)
	}
	for k, v := range st.Fits {
		out.Fits[k] = slices.Clone(v)
	}
	return out
}

// addStats adds to st the counts of more, whose days all come after st's.
func addStats(st, more *RoleStats) {
	st.Started += more.Started
	st.Completed += more.Completed
	st.Apply += more.Apply
	for k, n := range more.Steps {
		st.Steps[k] += n
	}
	for k, n := range more.Recommended {
		st.Recommended[k] += n
	}
	sumInto := func(dst map[string][]int, src map[string][]int) {
		for k, v := range src {
			if dst[k] == nil {
				dst[k] = make([]int, len(v))
			}
			for i, n := range v {
				dst[k][i] += n
			}
		}
	}
	sumInto(st.Answers, more.Answers)
	sumInto(st.Fits, more.Fits)
	st.Daily = append(st.Daily, more.Daily...)
}
