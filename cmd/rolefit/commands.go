package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/storage"
)

type flagSet = flag.FlagSet

func runImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var dryRun, asJSON bool
	var sourceURL string
	cfg, files, err := loadConfig("import", args, getenv, stderr, func(_ *config.Config, fs *flagSet) {
		fs.BoolVar(&dryRun, "dry-run", false, "parse and print, store nothing")
		fs.BoolVar(&asJSON, "json", false, "print the parsed role as JSON")
		fs.StringVar(&sourceURL, "source-url", "", "the address the page is published at, for its relative links")
	})
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return errors.New("import: name at least one markdown file or folder")
	}
	pages, failed, err := readPages(files, stderr)
	if err != nil {
		return err
	}
	if sourceURL != "" {
		u, err := url.Parse(sourceURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return errors.New("import: --source-url must be a full address starting with https://")
		}
		if len(files) != 1 {
			return errors.New("import: --source-url is the address of one page; import one file with it")
		}
	}
	var store storage.Store
	var cat *catalog.Catalog
	if !dryRun {
		if store, err = storage.Open(ctx, cfg.DB); err != nil {
			return err
		}
		defer store.Close()
		if cat, err = catalog.Load(ctx, store); err != nil {
			return err
		}
	}
	// Pages are parsed together so that "Extends" resolves across them.
	out := jobfamily.ParseSet(ctx, pages)
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("import: stopped: %w", err)
	}
	var imported, unchangedN, refused, warned int
	for i, o := range out {
		f := o.Path
		if o.Err != nil {
			fmt.Fprintf(stderr, "%s: refused: %v\n", f, o.Err)
			refused++
			continue
		}
		res := o.Result
		for _, w := range res.Warnings {
			fmt.Fprintf(stderr, "%s:%d: warning: %s\n", f, w.Line, w.Message)
		}
		if len(res.Warnings) > 0 {
			warned++
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
			imported++
			continue
		}
		e, unchanged, err := cat.ImportSet(ctx, store, pages, out, i)
		if err == nil && sourceURL != "" {
			err = store.SetRoleSourceURL(ctx, e.Role.Slug, sourceURL)
		}
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", f, err)
			failed++
			continue
		}
		imported++
		what := fmt.Sprintf("imported as version %d", e.Number)
		if unchanged {
			unchangedN++
			what = fmt.Sprintf("unchanged, still version %d", e.Number)
		}
		if !asJSON {
			printSummary(stdout, f, e.Role, what)
		}
	}
	if len(pages) > 1 {
		verb := "imported"
		if dryRun {
			verb = "importable"
		}
		fmt.Fprintf(stderr, "%d files: %d %s (%d unchanged), %d refused, %d with warnings, %d unreadable\n",
			len(pages)+failed, imported, verb, unchangedN, refused, warned, failed)
	}
	if failed+refused > 0 {
		return fmt.Errorf("%w: %d of %d files failed", errReported, failed+refused, len(pages)+failed)
	}
	return nil
}

// readPages reads the named files, and every markdown file under the named
// folders. A page's path is relative to the folder it was found in, so
// that links between the pages of a handbook resolve. Files that cannot be
// read are reported and counted.
func readPages(args []string, stderr io.Writer) (pages []jobfamily.Page, failed int, err error) {
	for _, a := range args {
		fi, err := os.Stat(a)
		if err != nil {
			fmt.Fprintf(stderr, "%s: %v\n", a, err)
			failed++
			continue
		}
		if !fi.IsDir() {
			src, err := os.ReadFile(a)
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", a, err)
				failed++
				continue
			}
			pages = append(pages, jobfamily.Page{Path: filepath.ToSlash(a), Src: src})
			continue
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", p, err)
				failed++
				return nil
			}
			if d.IsDir() {
				if p != a && strings.HasPrefix(d.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			if ext := strings.ToLower(filepath.Ext(p)); ext != ".md" && ext != ".markdown" {
				return nil
			}
			src, err := os.ReadFile(p)
			if err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", p, err)
				failed++
				return nil
			}
			rel, _ := filepath.Rel(a, p)
			pages = append(pages, jobfamily.Page{Path: filepath.ToSlash(rel), Src: src})
			return nil
		})
		if err != nil {
			return nil, 0, err
		}
	}
	return pages, failed, nil
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
	store, err := storage.Open(ctx, cfg.DB)
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
	store, err := storage.Open(ctx, cfg.DB)
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
