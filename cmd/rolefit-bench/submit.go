package main

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

// durableStats compares the group-commit writer with one transaction per
// submission.
type durableStats struct {
	Writers      int
	Group, Loop  float64 // acknowledged submissions per second
	GroupN       int
	LoopN        int
	Verified     int // acknowledged submissions found in the database afterwards
	Acknowledged int
}

func (d durableStats) Ratio() float64 { return d.Group / d.Loop }

// durableSubmissions measures CreateSubmission with synchronous=FULL (the
// store's own settings) on a fresh database in dir: first one caller at a
// time, so every submission is its own transaction and its own fsync (the
// loop), then writers concurrent callers, whose submissions the writer
// commits in groups. Both use the same rows, schema and pragmas because
// both are the same store. Afterwards every acknowledged submission must
// be in the database.
func durableSubmissions(ctx context.Context, dir string, writers int, d time.Duration) (durableStats, error) {
	path := filepath.Join(dir, "durable.db")
	store, err := sqlite.Open(path)
	if err != nil {
		return durableStats{}, err
	}
	defer store.Close()
	cat := catalog.New()
	e, err := cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		return durableStats{}, err
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

	st := durableStats{Writers: writers}
	var acked []*submission.Submission
	run := func(callers int) (int, time.Duration, error) {
		var (
			n     atomic.Int64
			stop  atomic.Bool
			wg    sync.WaitGroup
			errMu sync.Mutex
			first error
			amu   sync.Mutex
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
						if first == nil {
							first = err
						}
						errMu.Unlock()
						stop.Store(true)
						return
					}
					n.Add(1)
					amu.Lock()
					acked = append(acked, s)
					amu.Unlock()
				}
			}()
		}
		sleep(ctx, d)
		stop.Store(true)
		wg.Wait()
		return int(n.Load()), time.Since(start), first
	}
	n, took, err := run(1)
	if err != nil {
		return st, fmt.Errorf("durable loop: %w", err)
	}
	st.LoopN, st.Loop = n, float64(n)/took.Seconds()
	n, took, err = run(writers)
	if err != nil {
		return st, fmt.Errorf("durable group: %w", err)
	}
	st.GroupN, st.Group = n, float64(n)/took.Seconds()

	st.Acknowledged = len(acked)
	for _, s := range acked {
		if _, err := store.FindSubmission(ctx, s.TokenHash); err == nil {
			st.Verified++
		}
	}
	return st, nil
}
