package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/storage"
)

// runStats checks the dashboard's counters: `rolefit stats --verify`
// recomputes them from the stored submissions and lists every difference.
// Days before the last purge are skipped: their counters rightly outlive
// the purged rows.
func runStats(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var verify bool
	cfg, _, err := loadConfig("stats", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.BoolVar(&verify, "verify", false, "recompute the counters from the submissions and report differences")
	})
	if err != nil {
		return err
	}
	if !verify {
		return errors.New("stats: use --verify")
	}
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	diffs, err := store.VerifyCounters(ctx)
	if err != nil {
		return err
	}
	for _, d := range diffs {
		fmt.Fprintln(stdout, d)
	}
	if len(diffs) > 0 {
		return fmt.Errorf("%w: %d counters differ from the submissions", errReported, len(diffs))
	}
	fmt.Fprintln(stdout, "counters match the submissions")
	return nil
}
