package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/demo"
	"github.com/rolefit/rolefit/internal/release"
)

// runDemo fills the database with synthetic applicants over past days
// (see internal/demo) and releases their days' aggregates, so that the
// dashboard has something to show at once.
func runDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var checks, days int
	var slug, tokens string
	var force bool
	cfg, rest, err := loadConfig("demo", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.IntVar(&checks, "checks", 20, "completed checks to make")
		fs.IntVar(&days, "days", 14, "days before today to spread them over")
		fs.StringVar(&slug, "role", "", "the role's slug (default: the first role)")
		fs.StringVar(&tokens, "tokens", "", "write each check's result path (/results/TOKEN) to this file, one a line")
		fs.BoolVar(&force, "force", false, "add demo checks to a database that holds real ones")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("demo: unexpected argument %q", rest[0])
	}
	store, cat, err := openStore(ctx, cfg, slog.New(slog.NewTextHandler(stderr, nil)))
	if err != nil {
		return err
	}
	defer store.Close()
	entries := cat.List()
	if slug == "" && len(entries) > 0 {
		slug = entries[0].Role.Slug
	}
	e, ok := cat.Get(slug)
	if !ok {
		return fmt.Errorf("demo: there is no role %q (see rolefit roles)", slug)
	}
	now := time.Now()
	paths, err := demo.Run(ctx, store, e, demo.Options{Checks: checks, Days: days, Force: force, Now: now})
	if err != nil {
		return fmt.Errorf("demo: %w", err)
	}
	if tokens != "" {
		if err := os.WriteFile(tokens, []byte(strings.Join(paths, "\n")+"\n"), 0o600); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	if err := release.NewReleaser(store, time.Now).Release(ctx, slug); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "made %d demo checks of %s over the %d days before %s and released their figures\n",
		len(paths), slug, days, now.UTC().Format(time.DateOnly))
	return nil
}
