package main

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

// durableStats compares the group-commit writer with one transaction per
// submission, at the same number of concurrent callers.
type durableStats struct {
	Writers      int
	Group, Alone float64 // acknowledged submissions per second
	GroupN       int
	AloneN       int
	Verified     int // acknowledged submissions found in the database afterwards
	Acknowledged int
}

func (d durableStats) Ratio() float64 { return d.Group / d.Alone }

// durableSubmissions measures CreateSubmission with the store's own
// durability (synchronous=FULL on SQLite), writers concurrent callers each
// way, each on a fresh database made by newDB: first with every
// submission in a transaction of its own (storage.Options.Ungrouped, the
// baseline), then with the writer committing them in groups. Both are the
// same store with the same rows, schema and settings; only the grouping
// differs. Afterwards every acknowledged submission must be in its
// database and the counters must match the rows, or the run fails.
func durableSubmissions(ctx context.Context, newDB func(name string) (string, error), writers int, d time.Duration) (durableStats, error) {
	st := durableStats{Writers: writers}
	for _, ungrouped := range []bool{true, false} {
		name := "grouped"
		if ungrouped {
			name = "ungrouped"
		}
		addr, err := newDB("durable-" + name)
		if err != nil {
			return st, err
		}
		n, took, acked, err := submitFor(ctx, addr, storage.Options{Ungrouped: ungrouped}, writers, d)
		if err != nil {
			return st, fmt.Errorf("%s: %w", name, err)
		}
		rate := float64(n) / took.Seconds()
		if ungrouped {
			st.AloneN, st.Alone = n, rate
		} else {
			st.GroupN, st.Group = n, rate
		}
		st.Acknowledged += n
		st.Verified += acked
	}
	if st.Verified != st.Acknowledged {
		return st, fmt.Errorf("only %d of %d acknowledged submissions are stored", st.Verified, st.Acknowledged)
	}
	return st, nil
}

// submitFor has callers store submissions for d and returns how many were
// acknowledged, in what time, and how many of them it found afterwards.
func submitFor(ctx context.Context, addr string, o storage.Options, callers int, d time.Duration) (int, time.Duration, int, error) {
	store, err := storage.OpenWith(ctx, addr, o)
	if err != nil {
		return 0, 0, 0, err
	}
	defer store.Close()
	cat := catalog.New()
	e, err := cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		return 0, 0, 0, err
	}
	g := newSynth(e.Role, e.VersionID, 2)
	day := days(time.Now(), 1)[0]
	// Answer sets come from the generator's pool, scored in advance, so
	// that the timed part is the store.
	var mu sync.Mutex
	nextSub := func() *submission.Submission {
		mu.Lock()
		defer mu.Unlock()
		s := &submission.Submission{}
		g.fill(s, day, false)
		return s
	}
	var (
		n     atomic.Int64
		stop  atomic.Bool
		wg    sync.WaitGroup
		errMu sync.Mutex
		first error
		acked []*submission.Submission
	)
	start := time.Now()
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for !stop.Load() {
				s := nextSub()
				if err := store.CreateSubmission(ctx, s); err != nil {
					errMu.Lock()
					first = cmp.Or(first, err)
					errMu.Unlock()
					stop.Store(true)
					return
				}
				n.Add(1)
				errMu.Lock()
				acked = append(acked, s)
				errMu.Unlock()
			}
		}()
	}
	sleep(ctx, d)
	stop.Store(true)
	wg.Wait()
	took := time.Since(start)
	if first != nil {
		return 0, 0, 0, first
	}
	found := 0
	for _, s := range acked {
		if _, err := store.FindSubmission(ctx, s.TokenHash); err == nil {
			found++
		}
	}
	diffs, err := store.VerifyCounters(ctx)
	if err != nil {
		return 0, 0, 0, err
	}
	if len(diffs) > 0 {
		return 0, 0, 0, fmt.Errorf("%d counters disagree with the rows, first: %s", len(diffs), diffs[0])
	}
	return int(n.Load()), took, found, nil
}
