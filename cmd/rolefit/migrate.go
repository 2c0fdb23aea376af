package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/storage"
)

const migrateUsage = "migrate: usage: rolefit migrate --from rolefit.db --to postgres://USER@HOST/DB"

// runMigrate copies a SQLite database into an empty PostgreSQL one and
// checks that every table holds as many rows at both ends. The server
// must be stopped meanwhile, so that nothing is written to the source
// after its tables were read.
func runMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var from, to string
	_, rest, err := loadConfig("migrate", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.StringVar(&from, "from", "", "the SQLite database file to copy")
		fs.StringVar(&to, "to", "", "the PostgreSQL database to copy into (postgres://…); it must be empty")
	})
	if err != nil {
		return err
	}
	if len(rest) > 0 || from == "" || to == "" {
		return errors.New(migrateUsage)
	}
	if storage.IsPostgres(from) || !storage.IsPostgres(to) {
		return errors.New("migrate: copies a SQLite file (--from) into PostgreSQL (--to postgres://…)")
	}
	// Opening a SQLite path creates the file: a mistyped one must not
	// quietly copy an empty database.
	if _, err := os.Stat(from); err != nil {
		return fmt.Errorf("migrate: --from %s: no such database file", from)
	}
	src, err := storage.Open(ctx, from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := storage.Open(ctx, to)
	if err != nil {
		return err
	}
	defer dst.Close()
	copied, err := storage.Copy(ctx, src, dst)
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TABLE\tSQLITE\tPOSTGRESQL")
	var rows int64
	for _, c := range copied {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", c.Table, c.From, c.To)
		rows += c.To
	}
	tw.Flush()
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	fmt.Fprintf(stdout, "copied %d rows in %d tables; every table has the same count at both ends\n", rows, len(copied))
	return nil
}
