package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/web"
)

// runToken makes an API token: `rolefit token add NAME` prints the token
// once; only its SHA-256 is stored.
func runToken(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("token: usage: rolefit token add NAME")
	}
	flags, rest := leadingArg(args[1:])
	cfg, more, err := loadConfig("token add", flags, getenv, stderr, nil)
	if err != nil {
		return err
	}
	name := strings.TrimSpace(strings.Join(append(rest, more...), " "))
	if name == "" || len(name) > 100 {
		return errors.New("token add: name the token (up to 100 characters), such as the tool that uses it")
	}
	store, err := sqlite.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	token, hash := web.NewAPIToken()
	if _, err := store.CreateAPIToken(ctx, name, hash); err != nil {
		return err
	}
	fmt.Fprintln(stdout, token)
	fmt.Fprintf(stderr, "made API token %q; it is shown this once\n", name)
	return nil
}

// leadingArg splits off a leading positional argument (an e-mail, a name)
// so that flags may follow it: "user add EMAIL --admin -db FILE".
func leadingArg(args []string) (flags, rest []string) {
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		return args[1:], args[:1]
	}
	return args, nil
}
