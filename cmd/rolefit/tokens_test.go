package main

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestToken_AddAndList(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "r.db")
	in90 := time.Now().UTC().AddDate(0, 0, 90).Format(time.DateOnly)
	for _, args := range [][]string{
		{"token", "add", "BI tool", "--expires", "90d", "-db", dbPath},
		{"token", "add", "CRM", "-db", dbPath},
	} {
		out, stderr, err := runCmd(t, "", args...)
		if err != nil || !strings.HasPrefix(out, "rf_") {
			t.Fatalf("%v: %q %v\n%s", args, out, err, stderr)
		}
	}
	if _, _, err := runCmd(t, "", "token", "add", "x", "--expires", "someday", "-db", dbPath); err == nil ||
		!strings.Contains(err.Error(), "--expires") {
		t.Errorf("an unreadable expiry: %v, want an error naming --expires", err)
	}
	out, stderr, err := runCmd(t, "", "token", "list", "-db", dbPath)
	if err != nil {
		t.Fatalf("list: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.Contains(lines[0], "LAST USED") {
		t.Fatalf("list:\n%s", out)
	}
	if f := strings.Fields(lines[1]); f[0] != "CRM" || f[2] != "never" || f[3] != "never" {
		t.Errorf("CRM line %q", lines[1])
	}
	if !strings.HasPrefix(lines[2], "BI tool") || !strings.Contains(lines[2], in90) || !strings.HasSuffix(lines[2], "never") {
		t.Errorf("BI tool line %q, want expiry %s and never used", lines[2], in90)
	}
}
