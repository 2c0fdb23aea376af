package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// runUser manages recruiter accounts: `rolefit user add EMAIL [--admin]`
// reads the password from standard input (one line), so that it never
// appears in the process list or the shell history.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "add" {
		return errors.New("user: usage: rolefit user add EMAIL [--admin] (password on standard input)")
	}
	var admin bool
	// Flags may follow the e-mail, as the usage shows.
	flags, rest := leadingArg(args[1:])
	cfg, more, err := loadConfig("user add", flags, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.BoolVar(&admin, "admin", false, "make the account an admin")
	})
	if err != nil {
		return err
	}
	rest = append(rest, more...)
	if len(rest) != 1 {
		return errors.New("user add: name one e-mail address")
	}
	email := strings.TrimSpace(rest[0])
	if local, domain, ok := strings.Cut(email, "@"); !ok || local == "" || !strings.Contains(domain, ".") {
		return fmt.Errorf("user add: %q is not an e-mail address", email)
	}
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("user add: read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if why := password.Weak(pw, email); why != "" {
		return fmt.Errorf("user add: password refused: %s", why)
	}
	hash, err := password.NewHasher(password.Default, runtime.NumCPU()).Hash(ctx, pw)
	if err != nil {
		return err
	}
	store, err := sqlite.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	u, err := store.CreateUser(ctx, email, hash, admin)
	if errors.Is(err, apperr.ErrConflict) {
		return fmt.Errorf("user add: %s has an account already", email)
	}
	if err != nil {
		return err
	}
	kind := "recruiter"
	if u.Admin {
		kind = "admin"
	}
	fmt.Fprintf(stdout, "added %s %s\n", kind, u.Email)
	return nil
}
