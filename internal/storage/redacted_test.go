package storage

import "testing"

func TestRedacted(t *testing.T) {
	for addr, want := range map[string]string{
		"rolefit.db": "rolefit.db",
		"postgres://rolefit:s3cret@db.internal:5432/rolefit?sslmode=require": "postgres://rolefit:xxxxx@db.internal:5432/rolefit?sslmode=require",
		"postgresql://rolefit@db/rolefit":                                    "postgresql://rolefit@db/rolefit",
	} {
		if got := Redacted(addr); got != want {
			t.Errorf("Redacted(%q) = %q, want %q", addr, got, want)
		}
	}
}
