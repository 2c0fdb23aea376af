package db

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
)

// Pending returns the migration files of fsys matching pattern (such as
// "migrations/*.sql") that are not in applied, in the order to apply them.
// It refuses a database that has a migration fsys does not hold (made by a
// newer rolefit, which this one would corrupt) and a pending file that
// sorts before one already applied (the order every other database
// applied them in would differ from this one's).
func Pending(fsys fs.FS, pattern string, applied []string) ([]string, error) {
	files, err := fs.Glob(fsys, pattern)
	if err != nil {
		return nil, fmt.Errorf("list migrations: %w", err)
	}
	sort.Strings(files)
	known := map[string]bool{}
	for _, f := range files {
		known[path.Base(f)] = true
	}
	done := map[string]bool{}
	last := ""
	for _, name := range applied {
		if !known[name] {
			return nil, fmt.Errorf("the database has migration %s, which this rolefit does not know: it was made by a newer version; run that version", name)
		}
		done[name] = true
		last = max(last, name)
	}
	var out []string
	for _, f := range files {
		name := path.Base(f)
		if done[name] {
			continue
		}
		if name < last {
			return nil, fmt.Errorf("migration %s sorts before %s, which is already applied: give it a number after the last one", name, last)
		}
		out = append(out, f)
	}
	return out, nil
}
