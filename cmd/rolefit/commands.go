package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/sqlite"
)

type flagSet = flag.FlagSet

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var dryRun, asJSON bool
	cfg, files, err := loadConfig("import", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "parse and print, store nothing")
		fs.BoolVar(&asJSON, "json", false, "print the parsed role as JSON")
	})
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("import: name at least one markdown file")
	}
	var store *sqlite.DB
	var cat *catalog.Catalog
	if !dryRun {
		if store, err = sqlite.Open(cfg.DB); err != nil {
			return err
		}
		defer store.Close()
		if cat, err = catalog.Load(ctx, store); err != nil {
			return err
		}
	}
	failed := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			failed++
			continue
		}
		res, err := jobfamily.Parse(src, filepath.Base(f))
		if err != nil {
			fmt.Fprintf(stderr, "%s: refused: %v\n", f, err)
			failed++
			continue
		}
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "%s:%d: warning: %s\n", f, w.Line, w.Message)
		}
		if asJSON {
			b, err := res.JSON()
			if err != nil {
				return err
			}
			stdout.Write(append(b, '\n'))
		}
		if dryRun {
			if !asJSON {
				printSummary(stdout, f, &res.Role, "would import")
			}
			continue
		}
		e, err := cat.Import(ctx, store, src, filepath.Base(f))
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			failed++
			continue
		}
		if !asJSON {
			printSummary(stdout, f, e.Role, fmt.Sprintf("imported as version %d", e.VersionID))
		}
	}
	if failed > 0 {
		return fmt.Errorf("%w: %d of %d files failed", errReported, failed, len(files))
	}
	return nil
}

func printSummary(w io.Writer, file string, r *role.Role, what string) {
	fmt.Fprintf(w, "%s: %s %q (%s): %d levels, %d items\n", file, what, r.Title, r.Slug, len(r.Levels),
		r.ItemCount(role.Requirements, role.Responsibilities))
}

func runRoles(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, _, err := loadConfig("roles", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	store, err := sqlite.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	cat, err := catalog.Load(ctx, store)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SLUG\tTITLE\tLEVELS\tITEMS\tVERSION\tIMPORTED\tSTATUS")
	for _, e := range cat.List() {
		status := "published"
		if e.Archived {
			status = "archived"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d (%s)\t%s\t%s\n", e.Role.Slug, e.Role.Title, len(e.Role.Levels),
			e.Role.ItemCount(role.Requirements, role.Responsibilities), e.Number, e.Hash[:12],
			e.ImportedAt.UTC().Format("2006-01-02 15:04"), status)
	}
	return tw.Flush()
}

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := loadConfig("backup", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return errors.New("backup: name one file to write, e.g. rolefit backup rolefit-backup.db")
	}
	if _, err := os.Stat(rest[0]); err == nil {
		return fmt.Errorf("backup: %s exists already; choose a new file", rest[0])
	}
	store, err := sqlite.Open(cfg.DB)
	if err != nil {
		return err
	}
	defer store.Close()
	if err := store.Backup(ctx, rest[0]); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "backed up %s to %s\n", cfg.DB, rest[0])
	return nil
}
