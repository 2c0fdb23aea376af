// Package pgtest gives tests a throwaway PostgreSQL database on the
// server that ROLEFIT_TEST_POSTGRES names. Tests that need one skip when
// the variable is unset, so that a plain `go test ./...` needs no server.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Env is the variable that names the test server: a URL of a server where
// its user may CREATE DATABASE.
const Env = "ROLEFIT_TEST_POSTGRES"

// Database creates a database with a random name, drops it when the test
// ends, and returns its URL. Without Env the test is skipped; a server
// that Env names but that cannot be reached fails it.
func Database(t testing.TB) string {
	t.Helper()
	admin := os.Getenv(Env)
	if admin == "" {
		t.Skip(Env + " is not set: set it to a URL of a server where the user may CREATE DATABASE")
	}
	u, err := url.Parse(admin)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	b := make([]byte, 8)
	rand.Read(b)
	name := "rolefit_test_" + hex.EncodeToString(b)
	exec := func(q string) error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, admin)
		if err != nil {
			return err
		}
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, q)
		return err
	}
	if err := exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database on %s: %v", u.Redacted(), err)
	}
	t.Cleanup(func() {
		if err := exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	u.Path = "/" + name
	return u.String()
}
