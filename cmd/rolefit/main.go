// Command rolefit serves the rolefit web app and manages its data.
//
//	rolefit [serve] [-addr HOST:PORT] [-db FILE] [...]
//	rolefit import [--dry-run] [--json] FILE...
//	rolefit roles
//	rolefit backup FILE
//	rolefit user add EMAIL [--admin]
//	rolefit token add NAME
//	rolefit purge
//	rolefit stats --verify
//	rolefit demo --checks N --days D [--role SLUG] [--tokens FILE] [--force]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) && !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "rolefit:", err)
		}
		os.Exit(1)
	}
}

// errReported means the command has already told the user what failed.
var errReported = errors.New("reported")

const usage = `rolefit: check your fit for a role before you apply.

Usage:
  rolefit [serve] [flags]            serve the web app (the default)
  rolefit import [--dry-run] [--json] FILE...
                                     import job-family pages (markdown)
  rolefit roles                      list the imported roles
  rolefit backup FILE                copy the live database to FILE
  rolefit user add EMAIL [--admin]   add a recruiter account (password on stdin)
  rolefit token add NAME             make an API token (printed once)
  rolefit purge                      delete submissions older than the retention
  rolefit stats --verify             check the dashboard counters against the rows
  rolefit demo --checks N --days D [--role SLUG] [--tokens FILE] [--force]
                                     fill the database with synthetic applicants

Run "rolefit serve -h" for the flags; each is also a ROLEFIT_… environment variable.
`

// run is the whole program, callable from tests.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 && (args[0] == "" || args[0][0] != '-') {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return runServe(ctx, args, getenv, stdout, stderr)
	case "import":
		return runImport(ctx, args, getenv, stdout, stderr)
	case "roles":
		return runRoles(ctx, args, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, args, getenv, stdout, stderr)
	case "user":
		return runUser(ctx, args, getenv, stdin, stdout, stderr)
	case "token":
		return runToken(ctx, args, getenv, stdout, stderr)
	case "purge":
		return runPurge(ctx, args, getenv, stdout, stderr)
	case "stats":
		return runStats(ctx, args, getenv, stdout, stderr)
	case "demo":
		return runDemo(ctx, args, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return fmt.Errorf("unknown command %q", cmd)
}
