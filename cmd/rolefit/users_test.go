package main

import (
	"context"

	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/storage"
)

const cliPassword = "violet tram carries seven owls"

// runReturns runs the CLI and fails the test if it has not returned within
// a few seconds: a command that starts a server instead never returns.
func runReturns(t *testing.T, stdin string, args ...string) (string, string, error) {
	t.Helper()
	type result struct {
		out, errOut string
		err         error
	}
	done := make(chan result, 1)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		var out, errb strings.Builder
		err := run(ctx, args, func(string) string { return "" }, strings.NewReader(stdin), &out, &errb)
		done <- result{out.String(), errb.String(), err}
	}()
	select {
	case r := <-done:
		return r.out, r.errOut, r.err
	case <-time.After(20 * time.Second):
		cancel()
		<-done
		t.Fatalf("rolefit %s did not return: it served instead of running the command", strings.Join(args, " "))
		return "", "", nil
	}
}

// accounts opens the database file and returns its accounts.
func accounts(t *testing.T, dbPath string) []account.User {
	t.Helper()
	store, err := storage.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	users, err := store.ListUsers(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return users
}

func TestHelp_NamesEverySubcommand(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}, {"-db", "x.db", "--help"}} {
		out, _, err := runCmd(t, "", args...)
		if err != nil {
			t.Fatalf("rolefit %v: %v", args, err)
		}
		lines := strings.Split(out, "\n")
		for _, name := range []string{"serve", "import", "roles", "user", "token", "backup", "purge", "stats"} {
			found := false
			for _, l := range lines {
				if f := strings.Fields(l); len(f) > 1 && f[0] == name {
					found = true
				}
			}
			if !found {
				t.Errorf("rolefit %v: no line for %q in\n%s", args, name, out)
			}
		}
		for _, want := range []string{"user add EMAIL", "user invite EMAIL", "user list", "user remove EMAIL", "-db", "-log-level"} {
			if !strings.Contains(out, want) {
				t.Errorf("rolefit %v: help lacks %q", args, want)
			}
		}
	}
	// Every command in the dispatcher is in the help.
	out, _, _ := runCmd(t, "", "--help")
	for _, c := range commands() {
		if !strings.Contains(out, "\n  "+c.name+" ") {
			t.Errorf("help lacks the command %q", c.name)
		}
	}
}

// TestUserAdd_FlagsBeforeOrAfter: wherever the flags stand, `user add`
// adds the account to the named file and returns; it never serves.
func TestUserAdd_FlagsBeforeOrAfter(t *testing.T) {
	for name, args := range map[string][]string{
		"Before":  {"-addr", "127.0.0.1:0", "-db", "FILE", "user", "add", "ada@example.com", "--admin"},
		"After":   {"user", "add", "ada@example.com", "--admin", "-db", "FILE", "-addr", "127.0.0.1:0"},
		"Between": {"user", "add", "-db", "FILE", "ada@example.com", "-admin"},
		"Mixed":   {"-log-level", "debug", "user", "-db", "FILE", "add", "--admin", "ada@example.com"},
	} {
		t.Run(name, func(t *testing.T) {
			dbPath := filepath.Join(t.TempDir(), "r.db")
			for i, a := range args {
				if a == "FILE" {
					args[i] = dbPath
				}
			}
			out, stderr, err := runReturns(t, cliPassword+"\n", args...)
			if err != nil {
				t.Fatalf("rolefit %v: %v\n%s", args, err, stderr)
			}
			if !strings.Contains(out, "added admin ada@example.com") {
				t.Errorf("output %q", out)
			}
			if u := accounts(t, dbPath); len(u) != 1 || u[0].Email != "ada@example.com" || !u[0].Admin {
				t.Errorf("accounts in %s: %+v", dbPath, u)
			}
		})
	}
}

// TestCLI_FailsClearly: a mistake is an error at once, naming the fix,
// and nothing is written or served.
func TestCLI_FailsClearly(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "r.db")
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"CommandFlagBeforeCommand", cliPassword, []string{"--admin", "-db", dbPath, "user", "add", "ada@example.com"}, "go after it"},
		{"UnknownFlag", cliPassword, []string{"user", "add", "ada@example.com", "--root", "-db", dbPath}, "not defined: -root"},
		{"WeakPassword", "password1234", []string{"-db", dbPath, "user", "add", "ada@example.com"}, "password refused"},
		{"NoPassword", "", []string{"-db", dbPath, "user", "add", "ada@example.com"}, "standard input"},
		{"NotAnEmail", cliPassword, []string{"-db", dbPath, "user", "add", "ada"}, "not an e-mail"},
		{"NoAction", "", []string{"-db", dbPath, "user"}, "usage"},
		{"UnknownAction", "", []string{"-db", dbPath, "user", "delete", "ada@example.com"}, "usage"},
		{"AdminWithList", "", []string{"-db", dbPath, "user", "list", "--admin"}, "--admin goes with"},
		{"ServeArgument", "", []string{"-db", dbPath, "serve", "user"}, "no argument"},
		{"UnknownCommand", "", []string{"-db", dbPath, "users", "list"}, `unknown command "users"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runReturns(t, tc.stdin, tc.args...)
			if err == nil || !strings.Contains(err.Error()+stderr, tc.want) {
				t.Errorf("rolefit %v: err %v, stderr %q; want an error saying %q", tc.args, err, stderr, tc.want)
			}
		})
	}
	if u := accounts(t, dbPath); len(u) != 0 {
		t.Errorf("refused commands left accounts: %+v", u)
	}
}

func TestUser_InviteListResetRemove(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "r.db")
	out, stderr, err := runReturns(t, "", "user", "invite", "rita@example.com", "-db", dbPath)
	if err != nil {
		t.Fatalf("invite: %v %s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "http://127.0.0.1:8080/password/") || len(last) < 60 {
		t.Errorf("the last line is not a link on the default address: %q", last)
	}
	out, _, err = runReturns(t, "", "-base-url", "https://fit.example.com/", "-db", dbPath, "user", "invite", "--admin", "ada@example.com")
	if err != nil {
		t.Fatal(err)
	}
	lines = strings.Split(strings.TrimSpace(out), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "https://fit.example.com/password/") {
		t.Errorf("-base-url not used: %q", last)
	}
	if _, _, err := runReturns(t, "", "-db", dbPath, "user", "invite", "RITA@example.com"); err == nil || !strings.Contains(err.Error(), "user reset") {
		t.Errorf("a second invitation to the same address: %v", err)
	}

	out, _, err = runReturns(t, "", "user", "list", "-db", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSpace(out), "\n")
	today := time.Now().UTC().Format(time.DateOnly)
	if len(rows) != 3 || !strings.HasPrefix(rows[0], "EMAIL") ||
		!strings.Contains(rows[1], "ada@example.com") || !strings.Contains(rows[1], "yes") || !strings.Contains(rows[1], today) || !strings.Contains(rows[1], "invited") ||
		!strings.Contains(rows[2], "rita@example.com") || !strings.Contains(rows[2], "no") {
		t.Errorf("user list:\n%s", out)
	}

	out, _, err = runReturns(t, "", "user", "reset", "rita@example.com", "-db", dbPath)
	if err != nil || !strings.Contains(out, "/password/") {
		t.Errorf("reset: %v %q", err, out)
	}
	if _, _, err := runReturns(t, "", "user", "reset", "nobody@example.com", "-db", dbPath); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("reset of no account: %v", err)
	}

	if out, _, err := runReturns(t, "", "user", "remove", "rita@example.com", "-db", dbPath); err != nil || !strings.Contains(out, "removed") {
		t.Fatalf("remove: %v %q", err, out)
	}
	if u := accounts(t, dbPath); len(u) != 1 || u[0].Email != "ada@example.com" {
		t.Errorf("after remove: %+v", u)
	}
	if _, _, err := runReturns(t, "", "user", "remove", "rita@example.com", "-db", dbPath); err == nil || !strings.Contains(err.Error(), "no account") {
		t.Errorf("removing twice: %v", err)
	}
}
