// Package storage opens rolefit's database from its address: a file path
// is SQLite (the default), a postgres:// URL is PostgreSQL. Everything
// above it (the web server, the reports, the commands) uses the Store
// interface and never a driver.
package storage

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/postgres"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

// Store is a rolefit database: everything the server and the commands
// keep.
type Store interface {
	submission.Store
	submission.Keeper
	account.Store
	role.Store
	release.Store
	// ReleasedSums sums the released cells of a role over nodes.
	ReleasedSums(ctx context.Context, slug string, nodes []release.Node, metrics ...string) ([]release.Released, error)
	// Setting returns a server setting, nil when unset; SetSettingOnce
	// stores one unless it is set already, and returns the stored value
	// (so that instances starting together agree on, say, the keys).
	Setting(ctx context.Context, key string) ([]byte, error)
	SetSettingOnce(ctx context.Context, key string, value []byte) ([]byte, error)
	// Backup writes a consistent copy to a new file, where the database
	// can; PostgreSQL says to use pg_dump instead.
	Backup(ctx context.Context, file string) error
	// IntegrityCheck returns "ok" when the database finds no damage.
	IntegrityCheck(ctx context.Context) (string, error)
	// Tables lists the tables a copy carries, parents first.
	Tables() []string
	// CountRows counts a table's rows.
	CountRows(ctx context.Context, table string) (int64, error)
	// ObserveBatches has f told the size and duration of every group
	// commit (for metrics).
	ObserveBatches(f func(size int, took time.Duration))
	Ping(ctx context.Context) error
	Close() error
}

// IsPostgres reports whether addr is a PostgreSQL URL.
func IsPostgres(addr string) bool {
	return strings.HasPrefix(addr, "postgres://") || strings.HasPrefix(addr, "postgresql://")
}

// Options tune a store; the zero value is what the server runs with.
type Options struct {
	// Ungrouped gives every write its own transaction instead of
	// committing concurrent writes in groups: the baseline the group
	// commit is measured against.
	Ungrouped bool
}

// Open opens the database at addr, applying its pending migrations.
func Open(ctx context.Context, addr string) (Store, error) {
	return OpenWith(ctx, addr, Options{})
}

// OpenWith is Open with options.
func OpenWith(ctx context.Context, addr string, o Options) (Store, error) {
	if addr == "" {
		return nil, fmt.Errorf("storage: no database given")
	}
	// A failed open returns a nil Store: a nil *sqlite.DB or *postgres.DB
	// in the interface would not be one.
	if IsPostgres(addr) {
		d, err := postgres.Open(ctx, addr, postgres.Options{Ungrouped: o.Ungrouped})
		if err != nil {
			return nil, err
		}
		return d, nil
	}
	d, err := sqlite.OpenWith(addr, sqlite.Options{Ungrouped: o.Ungrouped})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// Redacted is addr fit to print: a PostgreSQL URL without its password.
func Redacted(addr string) string {
	if !IsPostgres(addr) {
		return addr
	}
	u, err := url.Parse(addr)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}
