// Package archtest checks the layering of the packages: the storage
// packages know nothing of the web or the reports, the web and the reports
// know no store or driver, and the domain packages know nothing of
// storage, the web or a database driver.
package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/rolefit/rolefit/"

// domain are the packages that hold the product's types and rules; the
// storage and web layers depend on them, never the other way round.
var domain = []string{
	"internal/account",
	"internal/apperr",
	"internal/catalog",
	"internal/check",
	"internal/release",
	"internal/role",
	"internal/score",
	"internal/submission",
}

// forbidden maps a package to the prefixes of what it must not depend on,
// directly or through another package.
func forbidden() map[string][]string {
	noStorage := []string{
		module + "internal/sqlite", module + "internal/web", module + "views/",
		"database/sql", "github.com/mattn/", "github.com/jackc/", "github.com/labstack/",
	}
	// The web and the reports see storage only through the domain's
	// interfaces: no store, no driver.
	noStore := []string{
		module + "internal/sqlite", module + "internal/postgres", module + "internal/storage",
		"github.com/mattn/go-sqlite3", "github.com/jackc/",
	}
	m := map[string][]string{
		"internal/sqlite":   {module + "internal/web", module + "internal/report", module + "views/"},
		"internal/postgres": {module + "internal/web", module + "internal/report", module + "views/"},
		"internal/web":      noStore,
		"internal/report":   noStore,
	}
	for _, p := range domain {
		m[p] = noStorage
	}
	return m
}

// deps lists the transitive imports of each package of the module.
func deps(t *testing.T) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}{{range .Deps}} {{.}}{{end}}", module+"...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		f := strings.Fields(line)
		m[strings.TrimPrefix(f[0], module)] = f[1:]
	}
	return m
}

func TestLayers(t *testing.T) {
	all := deps(t)
	for pkg, bad := range forbidden() {
		ds, ok := all[pkg]
		if !ok {
			t.Errorf("package %s not found", pkg)
			continue
		}
		for _, d := range ds {
			for _, b := range bad {
				if strings.HasPrefix(d, b) {
					t.Errorf("%s depends on %s", pkg, d)
				}
			}
		}
	}
}
