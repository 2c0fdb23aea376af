package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/password"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/web"
)

// defaultBaseURL is where links point when -base-url is not set: the
// address a bare `rolefit` serves on.
const defaultBaseURL = "http://127.0.0.1:8080"

const userUsage = "user: usage: rolefit user add|invite EMAIL [--admin], rolefit user reset|remove EMAIL, rolefit user list"

// runUser manages recruiter accounts. `user add` reads the password from
// standard input (one line), so that it never appears in the process list
// or the shell history; `user invite` and `user reset` print a one-time
// link instead, with which the person sets their own.
func runUser(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	var admin bool
	cfg, rest, err := loadConfig("user", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.BoolVar(&admin, "admin", false, "make the account an admin (user add, user invite)")
	})
	if err != nil {
		return err
	}
	if len(rest) == 0 {
		return errors.New(userUsage)
	}
	action, rest := rest[0], rest[1:]
	wantArgs := 1
	switch action {
	case "add", "invite":
	case "reset", "remove":
		if admin {
			return fmt.Errorf("user %s: --admin goes with user add or user invite", action)
		}
	case "list":
		wantArgs = 0
		if admin {
			return errors.New("user list: --admin goes with user add or user invite")
		}
	default:
		return fmt.Errorf("%s (not %q)", userUsage, action)
	}
	if len(rest) != wantArgs {
		if wantArgs == 0 {
			return fmt.Errorf("user list takes no argument, not %q", rest[0])
		}
		return fmt.Errorf("user %s: name one e-mail address", action)
	}
	var email string
	if wantArgs == 1 {
		email = strings.TrimSpace(rest[0])
		if local, domain, ok := strings.Cut(email, "@"); !ok || local == "" || !strings.Contains(domain, ".") {
			return fmt.Errorf("user %s: %q is not an e-mail address", action, email)
		}
	}
	// The password is read and checked before the database is opened, so
	// that a refused one leaves nothing behind.
	var pw string
	if action == "add" {
		if pw, err = readPassword(stdin, email); err != nil {
			return err
		}
	}
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	hasher := password.NewHasher(password.Default, runtime.NumCPU())
	base := cfg.BaseURL
	if base == "" {
		base = defaultBaseURL
	}
	switch action {
	case "add":
		return addUser(ctx, store, hasher, email, pw, admin, stdout)
	case "invite":
		return inviteUser(ctx, store, hasher, base, email, admin, stdout)
	case "reset":
		return resetUser(ctx, store, hasher, base, email, stdout)
	case "remove":
		return removeUser(ctx, store, email, stdout)
	}
	return listUsers(ctx, store, stdout)
}

func readPassword(stdin io.Reader, email string) (string, error) {
	line, err := bufio.NewReader(io.LimitReader(stdin, 4096)).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("user add: read password: %w", err)
	}
	pw := strings.TrimRight(line, "\r\n")
	if why := password.Weak(pw, email); why != "" {
		return "", fmt.Errorf("user add: password refused (it is read from standard input, one line): %s", why)
	}
	return pw, nil
}

func kindOf(admin bool) string {
	if admin {
		return "admin"
	}
	return "recruiter"
}

func addUser(ctx context.Context, store storage.Store, hasher *password.Hasher, email, pw string, admin bool, stdout io.Writer) error {
	hash, err := hasher.Hash(ctx, pw)
	if err != nil {
		return err
	}
	u, err := store.CreateUser(ctx, email, hash, admin)
	if errors.Is(err, apperr.ErrConflict) {
		return fmt.Errorf("user add: %s has an account already", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "added %s %s\n", kindOf(u.Admin), u.Email)
	return nil
}

func inviteUser(ctx context.Context, store storage.Store, hasher *password.Hasher, base, email string, admin bool, stdout io.Writer) error {
	locked, err := hasher.Locked(ctx)
	if err != nil {
		return err
	}
	link, hash := web.NewPasswordLink(base)
	expires := time.Now().Add(web.PasswordLinkLifetime)
	u, err := store.InviteUser(ctx, email, admin, locked, hash, expires)
	if errors.Is(err, apperr.ErrConflict) {
		return fmt.Errorf("user invite: %s has an account already; `rolefit user reset %s` sends a new link", email, email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "invited %s %s; give them this link, which works once, until %s:\n%s\n",
		kindOf(u.Admin), u.Email, web.LinkExpiry(expires), link)
	return nil
}

func resetUser(ctx context.Context, store storage.Store, hasher *password.Hasher, base, email string, stdout io.Writer) error {
	u, err := store.UserByEmail(ctx, email)
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("user reset: %s has no account", email)
	}
	if err != nil {
		return err
	}
	locked, err := hasher.Locked(ctx)
	if err != nil {
		return err
	}
	link, hash := web.NewPasswordLink(base)
	expires := time.Now().Add(web.PasswordLinkLifetime)
	if err := store.ResetUserPassword(ctx, u.ID, locked, hash, expires); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "reset the password of %s and ended their sessions; give them this link, which works once, until %s:\n%s\n",
		u.Email, web.LinkExpiry(expires), link)
	return nil
}

func removeUser(ctx context.Context, store storage.Store, email string, stdout io.Writer) error {
	u, err := store.UserByEmail(ctx, email)
	if err == nil {
		err = store.DeleteUser(ctx, u.ID)
	}
	if errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("user remove: %s has no account", email)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s; their sessions have ended\n", u.Email)
	return nil
}

func listUsers(ctx context.Context, store storage.Store, stdout io.Writer) error {
	users, err := store.ListUsers(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "EMAIL\tADMIN\tCREATED\tSTATUS")
	for _, u := range users {
		admin := "no"
		if u.Admin {
			admin = "yes"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", u.Email, admin, u.CreatedOn, web.AccountStatus(u.Link, now))
	}
	return tw.Flush()
}
