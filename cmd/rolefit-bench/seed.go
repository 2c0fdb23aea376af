package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

// runSeed is `rolefit-bench seed`: it fills a database with synthetic
// submissions of the reference role, for the dashboard benchmark.
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rolefit-bench seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "database file to fill (created when missing)")
	n := fs.Int("n", 10_000, "number of synthetic submissions")
	ndays := fs.Int("days", 365, "spread the submissions over this many days, ending today")
	cpuprofile := fs.String("cpuprofile", "", "write a CPU profile of the seeding to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if *path == "" {
		return fmt.Errorf("seed: -db is required")
	}
	start := time.Now()
	if err := seed(ctx, *path, *n, *ndays, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "seeded %d synthetic submissions into %s in %s\n", *n, *path, time.Since(start).Round(time.Millisecond))
	return nil
}

// seed writes n synthetic submissions over ndays days ending at now, with
// the started and step counters that applicants who got that far (and a
// quarter more who gave up on the way) would have left.
func seed(ctx context.Context, path string, n, ndays int, now time.Time) error {
	store, err := sqlite.Open(path)
	if err != nil {
		return err
	}
	cat, err := catalog.Load(ctx, store)
	if err == nil && len(cat.List()) == 0 {
		_, err = cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	}
	if err != nil {
		store.Close()
		return err
	}
	e := cat.List()[0]
	if err := store.Close(); err != nil {
		return err
	}

	g := newSynth(e.Role, e.VersionID, 1)
	dayList := days(now, ndays)
	events := map[submission.Event]int{}
	i := 0
	next := func(s *submission.Submission) bool {
		if i == n {
			return false
		}
		g.fill(s, dayList[i*ndays/n], false)
		i++
		ev := submission.Event{Day: s.Day, RoleSlug: s.RoleSlug, VersionID: s.VersionID, Channel: s.Channel, Mode: s.Mode}
		steps := g.steps[score.Mode(s.Mode)]
		started := ev
		started.Name = submission.MetricStarted
		events[started]++
		for k := 1; k <= steps; k++ {
			st := ev
			st.Name, st.Step = submission.MetricStep, k
			events[st]++
		}
		if i%4 == 0 {
			// One who started and stopped after a step or two.
			events[started]++
			for k := 1; k <= min(1+i%3, steps-1); k++ {
				st := ev
				st.Name, st.Step = submission.MetricStep, k
				events[st]++
			}
		}
		return true
	}
	list := func() []submission.EventCount {
		out := make([]submission.EventCount, 0, len(events))
		for ev, c := range events {
			out = append(out, submission.EventCount{Event: ev, N: c})
		}
		return out
	}
	note := fmt.Sprintf("SYNTHETIC: %d made-up submissions written by rolefit-bench seed on %s; not real applicants",
		n, now.UTC().Format(time.DateOnly))
	_, err = sqlite.SeedSynthetic(ctx, path, note, next, list)
	return err
}
