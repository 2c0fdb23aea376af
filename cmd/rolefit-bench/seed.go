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
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

// runSeed is `rolefit-bench seed`: it fills a database with synthetic
// submissions of the reference role, for the dashboard benchmark.
func runSeed(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rolefit-bench seed", flag.ContinueOnError)
	fs.SetOutput(stderr)
	path := fs.String("db", "", "database to fill: a file (created when missing) or a postgres:// URL")
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

// syntheticSetting is the settings key that marks a database as holding
// synthetic data written by seed. Its value says how it was made.
const syntheticSetting = "synthetic_data"

// seedChunk is how many submissions one import transaction carries.
const seedChunk = 20_000

// seed writes n synthetic submissions over ndays days ending at now into
// the database at addr, with the started and step counters that
// applicants who got that far (and a quarter more who gave up on the way)
// would have left. It refuses a database that holds real submissions and
// marks the ones it fills with syntheticSetting.
func seed(ctx context.Context, addr string, n, ndays int, now time.Time) error {
	store, err := storage.Open(ctx, addr)
	if err != nil {
		return err
	}
	defer store.Close()
	mark, err := store.Setting(ctx, syntheticSetting)
	if err != nil {
		return err
	}
	if mark == nil {
		if real, err := store.CountSubmissions(ctx, ""); err != nil || real > 0 {
			if err == nil {
				err = fmt.Errorf("seed: %s holds %d real submissions; seed an empty database", addr, real)
			}
			return err
		}
	}
	note := fmt.Sprintf("SYNTHETIC: made-up submissions written by rolefit-bench seed on %s; not real applicants",
		now.UTC().Format(time.DateOnly))
	if _, err := store.SetSettingOnce(ctx, syntheticSetting, []byte(note)); err != nil {
		return err
	}
	cat, err := catalog.Load(ctx, store)
	if err == nil && len(cat.List()) == 0 {
		_, err = cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	}
	if err != nil {
		return err
	}
	e := cat.List()[0]

	g := newSynth(e.Role, e.VersionID, 1)
	dayList := days(now, ndays)
	events := map[submission.Event]int{}
	chunk := make([]*submission.Submission, 0, seedChunk)
	for i := 1; i <= n; i++ {
		s := &submission.Submission{}
		g.fill(s, dayList[(i-1)*ndays/n], false)
		chunk = append(chunk, s)
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
		if len(chunk) == seedChunk || i == n {
			var evs []submission.EventCount
			if i == n {
				for ev, c := range events {
					evs = append(evs, submission.EventCount{Event: ev, N: c})
				}
			}
			if err := store.ImportSubmissions(ctx, chunk, evs); err != nil {
				return fmt.Errorf("seed: %w", err)
			}
			chunk = chunk[:0]
		}
	}
	return nil
}
