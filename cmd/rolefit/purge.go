package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rolefit/rolefit/internal/storage"
)

// purgeCutoff is the first day whose submissions are kept.
func purgeCutoff(now time.Time, retentionDays int) string {
	return now.UTC().AddDate(0, 0, -retentionDays).Format(time.DateOnly)
}

// runPurge deletes submissions older than the retention period; the
// dashboard's counters keep their aggregates.
func runPurge(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := loadConfig("purge", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	cutoff := purgeCutoff(time.Now(), cfg.RetentionDays)
	n, err := store.PurgeSubmissions(ctx, cutoff)
	if err != nil {
		return err
	}
	s, err := store.DeleteExpiredSessions(ctx, time.Now())
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "deleted %d submissions made before %s and %d ended sessions\n", n, cutoff, s)
	return nil
}

// sweepDaily purges once at start and then every day until ctx ends.
func sweepDaily(ctx context.Context, store storage.Store, retentionDays int, log *slog.Logger) {
	t := time.NewTicker(24 * time.Hour)
	defer t.Stop()
	for {
		cutoff := purgeCutoff(time.Now(), retentionDays)
		if n, err := store.PurgeSubmissions(ctx, cutoff); err != nil {
			if ctx.Err() == nil {
				log.Error("purge failed", "err", err)
			}
		} else if n > 0 {
			log.Info("purged old submissions", "count", n, "before", cutoff)
		}
		if _, err := store.DeleteExpiredSessions(ctx, time.Now()); err != nil && ctx.Err() == nil {
			log.Error("deleting ended sessions failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
