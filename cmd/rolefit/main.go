// Command rolefit serves the rolefit web app and manages its data.
//
//	rolefit [serve] [-addr HOST:PORT] [-db FILE] [...]
//	rolefit import [--dry-run] [--json] FILE...
//	rolefit roles
//	rolefit backup FILE
//	rolefit user add EMAIL [--admin]
//	rolefit user invite EMAIL [--admin]
//	rolefit user reset EMAIL
//	rolefit user list
//	rolefit user remove EMAIL
//	rolefit token add NAME
//	rolefit purge
//	rolefit stats --verify
//	rolefit demo --checks N --days D [--role SLUG] [--tokens FILE] [--force]
//
// Flags such as -db may stand before or after the subcommand.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rolefit/rolefit/internal/config"
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

// runFunc is a subcommand: its arguments (flags anywhere among them) and
// the process's environment and streams.
type runFunc func(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error

// command is one line of the help and the function it names.
type command struct {
	name, usage, summary string
	run                  runFunc
}

// noStdin adapts a subcommand that reads nothing from standard input.
func noStdin(f func(context.Context, []string, func(string) string, io.Writer, io.Writer) error) runFunc {
	return func(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
		return f(ctx, args, getenv, stdout, stderr)
	}
}

// commands is the one list of subcommands: the dispatcher and the help
// both read it, so a new subcommand is one line here.
func commands() []command {
	return []command{
		{"serve", "[flags]", "serve the web app (also what a bare `rolefit` does)", noStdin(runServe)},
		{"import", "[--dry-run] [--json] [--source-url URL] FILE|DIR...", "import job-family pages (markdown), or every page under a folder", noStdin(runImport)},
		{"roles", "", "list the imported roles", noStdin(runRoles)},
		{"user", "add|invite|reset|list|remove ...", "manage recruiter accounts (see below)", runUser},
		{"token", "add NAME [--expires 90d|DATE] | list", "make an API token (printed once), or list them", noStdin(runToken)},
		{"backup", "FILE", "copy the live database to FILE", noStdin(runBackup)},
		{"migrate", "--from FILE --to postgres://...", "copy a SQLite database into an empty PostgreSQL one and verify the counts", noStdin(runMigrate)},
		{"purge", "", "delete submissions older than the retention period", noStdin(runPurge)},
		{"stats", "--verify", "check the dashboard counters against the rows", noStdin(runStats)},
		{"demo", "--checks N --days D [--role SLUG] [--tokens FILE]", "fill the database with synthetic applicants through the real write path", noStdin(runDemo)},
	}
}

// usage is the text of `rolefit --help`.
func usage() string {
	var b strings.Builder
	b.WriteString("rolefit: check your fit for a role before you apply.\n\nUsage: rolefit [flags] COMMAND [arguments] [flags]\n\nCommands:\n")
	for _, c := range commands() {
		if len(c.usage) > 34 {
			// A long usage takes its own line, so the summaries stay in a column.
			fmt.Fprintf(&b, "  %-8s %s\n  %-8s %-34s %s\n", c.name, c.usage, "", "", c.summary)
			continue
		}
		fmt.Fprintf(&b, "  %-8s %-34s %s\n", c.name, c.usage, c.summary)
	}
	b.WriteString(`
Accounts:
  user add EMAIL [--admin]        add an account; its password is read from standard input
  user invite EMAIL [--admin]     add an account and print a one-time link (72 hours) to set its password
  user reset EMAIL                end the account's sessions and print a one-time link for a new password
  user list                       list the accounts: e-mail, admin or not, created day
  user remove EMAIL               remove an account and end its sessions

Flags (before or after the command; each is also a ROLEFIT_… environment variable):
`)
	cfg := config.Default()
	fs := cfg.FlagSet("rolefit", func(string) string { return "" }, &b)
	fs.PrintDefaults()
	return b.String()
}

// run is the whole program, callable from tests. The flags before the
// command are handed to it, so `rolefit -db FILE user list` is
// `rolefit user list -db FILE`.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg := config.Default()
	fs := cfg.FlagSet("rolefit", getenv, io.Discard)
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(stdout, usage())
		return nil
	} else if err != nil {
		return fmt.Errorf("%w; a command's own flags go after it, as in `rolefit user add EMAIL --admin`", err)
	}
	rest := fs.Args()
	leading := args[:len(args)-len(rest)]
	if len(rest) == 0 {
		return runServe(ctx, leading, getenv, stdout, stderr)
	}
	name := rest[0]
	if name == "help" {
		fmt.Fprint(stdout, usage())
		return nil
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, append(append([]string{}, leading...), rest[1:]...), getenv, stdin, stdout, stderr)
		}
	}
	fmt.Fprint(stderr, usage())
	return fmt.Errorf("unknown command %q", name)
}
