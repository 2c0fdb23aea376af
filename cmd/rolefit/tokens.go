package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/web"
)

const tokenUsage = "token: usage: rolefit token add NAME [--expires 90d|YYYY-MM-DD] | rolefit token list"

// runToken manages API tokens. `rolefit token add NAME` prints a new token
// once (only its SHA-256 is stored), optionally expiring after some days
// or on a date; `rolefit token list` shows each token's expiry and the
// day it was last used.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		return errors.New(tokenUsage)
	}
	switch args[0] {
	case "add":
		return runTokenAdd(ctx, args[1:], getenv, stdout, stderr)
	case "list":
		return runTokenList(ctx, args[1:], getenv, stdout, stderr)
	}
	return errors.New(tokenUsage)
}

func runTokenAdd(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	flags, rest := leadingArg(args)
	var expires string
	cfg, more, err := loadConfig("token add", flags, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.StringVar(&expires, "expires", "", "refuse the token after this many days (90d) or from this date (YYYY-MM-DD, UTC)")
	})
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(append(rest, more...), " "))
	if name == "" || len(name) > 100 {
		return errors.New("token add: name the token (up to 100 characters), such as the tool that uses it")
	}
	expiresOn, err := web.TokenExpiry(expires, time.Now())
	if err != nil {
		return fmt.Errorf("token add: --expires %q: %w", expires, err)
	}
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	token, hash := web.NewAPIToken()
	if _, err := store.CreateAPIToken(ctx, name, hash, expiresOn); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	if expiresOn != "" {
		fmt.Fprintf(stderr, "made API token %q, refused from %s; it is shown this once\n", name, expiresOn)
	} else {
		fmt.Fprintf(stderr, "made API token %q; it is shown this once\n", name)
	}
	return nil
}

func runTokenList(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := loadConfig("token list", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return errors.New(tokenUsage)
	}
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	toks, err := store.ListAPITokens(ctx)
	if err != nil {
		return err
	}
	today := time.Now().UTC().Format(time.DateOnly)
	tw := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tMADE ON\tEXPIRES\tLAST USED")
	for _, t := range toks {
		expires, used := t.ExpiresOn, t.LastUsedOn
		switch {
		case expires == "":
			expires = "never"
		case t.Expired(today):
			expires += " (expired)"
		}
		if used == "" {
			used = "never"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", t.Name, t.CreatedOn, expires, used)
	}
	return tw.Flush()
}

// leadingArg splits off a leading positional argument (an e-mail, a name)
// so that flags may follow it: "user add EMAIL --admin -db FILE".
func leadingArg(args []string) (flags, rest []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[1:], args[:1]
	}
	return args, nil
}
