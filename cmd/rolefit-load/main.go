// Command rolefit-load puts rolefit under the load of many applicants and
// checks that nothing acknowledged is lost.
//
// By default it builds rolefit, starts it on a new database in a temporary
// folder, and has -n applicants, -c at a time, complete the quick check as
// a browser would. Then it opens every acknowledged result, stops the
// server gracefully, and checks the database file: integrity, every
// acknowledged submission present, counters equal to the rows. With -url
// it loads a running server instead and checks the results over HTTP.
// It exits non-zero on any failed applicant, any 5xx or any lost result.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/rolefit/rolefit/internal/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "rolefit-load:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("rolefit-load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	n := fs.Int("n", 2000, "applicants")
	c := fs.Int("c", 32, "applicants at a time")
	base := fs.String("url", "", "load this running server instead of starting one")
	roleSlug := fs.String("role", "product-manager-marketing", "role to check against")
	mode := fs.String("mode", "quick", "quick or full")
	keep := fs.Bool("keep", false, "keep the temporary folder with the database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var proc *loadtest.Process
	var dir string
	if *base == "" {
		var err error
		if dir, err = os.MkdirTemp("", "rolefit-load-"); err != nil {
			return err
		}
		if *keep {
			fmt.Fprintln(stdout, "keeping", dir)
		} else {
			defer os.RemoveAll(dir)
		}
		start := time.Now()
		bin, err := loadtest.Build(ctx, dir)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "built rolefit in %v\n", time.Since(start).Round(time.Millisecond))
		if proc, err = loadtest.Start(bin, filepath.Join(dir, "rolefit.db")); err != nil {
			return err
		}
		defer func() {
			if !proc.Exited() {
				proc.Kill()
			}
		}()
		*base = proc.URL
		fmt.Fprintf(stdout, "rolefit serves on %s\n", *base)
	}

	fmt.Fprintf(stdout, "%d applicants, %d at a time, %s check of %s\n", *n, *c, *mode, *roleSlug)
	rep := loadtest.Run(ctx, loadtest.Options{BaseURL: *base, Role: *roleSlug, Mode: *mode,
		Applicants: *n, Concurrency: *c, ForwardedFor: proc != nil, Seed: 1})
	fmt.Fprintln(stdout, rep.Summary())
	var errs []error
	for _, e := range rep.Errors {
		fmt.Fprintln(stdout, "  ", e)
	}
	if rep.Failures > 0 || rep.ServerErrors() > 0 {
		errs = append(errs, fmt.Errorf("%d applicants failed, %d answers were 5xx", rep.Failures, rep.ServerErrors()))
	}

	start := time.Now()
	if err := loadtest.Verify(ctx, *base, rep.Tokens, *c); err != nil {
		errs = append(errs, err)
	} else {
		fmt.Fprintf(stdout, "all %d acknowledged results open (%v)\n", len(rep.Tokens), time.Since(start).Round(time.Millisecond))
	}
	if proc != nil {
		start := time.Now()
		if err := proc.Stop(30 * time.Second); err != nil {
			errs = append(errs, fmt.Errorf("graceful shutdown: %w\n%s", err, proc.Log()))
		} else {
			fmt.Fprintf(stdout, "rolefit shut down gracefully in %v\n", time.Since(start).Round(time.Millisecond))
		}
		stored, err := loadtest.Check(ctx, proc.DB, *roleSlug, rep.Tokens)
		if err != nil {
			errs = append(errs, err)
		} else if stored != len(rep.Tokens) {
			errs = append(errs, fmt.Errorf("%d submissions stored for %d acknowledged", stored, len(rep.Tokens)))
		} else {
			fmt.Fprintf(stdout, "database: integrity ok, %d submissions stored = %d acknowledged, counters agree\n", stored, len(rep.Tokens))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "PASS")
	return nil
}
