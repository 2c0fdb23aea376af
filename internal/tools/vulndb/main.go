// Command vulndb lets CI run govulncheck without network access at scan
// time.
//
//	vulndb build -out DIR [-src DIR]
//
// builds a vulnerability database in the v1 layout govulncheck reads with
// -db file:///DIR (index/db.json, index/modules.json, index/vulns.json and
// ID/<id>.json) from the OSV files of the golang.org/x/vulndb module, which
// it fetches with `go mod download` unless -src names its data/osv folder.
//
//	go tool govulncheck -db file:///DIR -format json ./... | vulndb check -allow ID,…
//
// reads govulncheck's JSON stream and fails when a vulnerability is called
// from rolefit's code, except the allowed ones (see README, Security).
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"golang.org/x/mod/semver"
)

// Version is the golang.org/x/vulndb module the database is built from;
// bump it to pick up new advisories.
const Version = "v0.0.0-20261105234957-e22db6528018"

func main() {
	if err := run(os.Args[1:], os.Stdin, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "vulndb:", err)
		os.Exit(1)
	}
}

func run(args []string, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New("usage: vulndb build -out DIR [-src DIR] | vulndb check -allow ID,…")
	}
	switch args[0] {
	case "build":
		fs := flag.NewFlagSet("vulndb build", flag.ContinueOnError)
		out := fs.String("out", "", "folder to write the database to")
		src := fs.String("src", "", "data/osv folder of golang.org/x/vulndb; default: go mod download "+Version)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		if *out == "" {
			return errors.New("build: -out is required")
		}
		if *src == "" {
			dir, err := download()
			if err != nil {
				return err
			}
			*src = filepath.Join(dir, "data", "osv")
		}
		n, err := build(*src, *out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "vulndb: %d advisories from golang.org/x/vulndb@%s in %s\n", n, Version, *out)
		return nil
	case "check":
		fs := flag.NewFlagSet("vulndb check", flag.ContinueOnError)
		allow := fs.String("allow", "", "comma-separated advisory IDs that are accepted")
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		return check(stdin, stdout, strings.Split(*allow, ","))
	}
	return fmt.Errorf("unknown command %q", args[0])
}

// download fetches the vulndb module through the module proxy (or the
// module cache) and returns its folder.
func download() (string, error) {
	cmd := exec.Command("go", "mod", "download", "-json", "golang.org/x/vulndb@"+Version)
	cmd.Stderr = os.Stderr
	b, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download golang.org/x/vulndb@%s: %w", Version, err)
	}
	var m struct{ Dir, Error string }
	if err := json.Unmarshal(b, &m); err != nil {
		return "", fmt.Errorf("go mod download: %w", err)
	}
	if m.Error != "" || m.Dir == "" {
		return "", fmt.Errorf("go mod download golang.org/x/vulndb@%s: %s", Version, m.Error)
	}
	return m.Dir, nil
}

// entry is the part of an OSV record the index needs.
type entry struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
	Affected []struct {
		Package struct {
			Name string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Type   string `json:"type"`
			Events []struct {
				Introduced string `json:"introduced,omitempty"`
				Fixed      string `json:"fixed,omitempty"`
			} `json:"events"`
		} `json:"ranges"`
	} `json:"affected"`
}

type moduleVuln struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Fixed    string    `json:"fixed,omitempty"`
}

type moduleMeta struct {
	Path  string       `json:"path"`
	Vulns []moduleVuln `json:"vulns"`
}

type vulnMeta struct {
	ID       string    `json:"id"`
	Modified time.Time `json:"modified"`
	Aliases  []string  `json:"aliases,omitempty"`
}

// build writes the v1 database for the OSV files in src to out.
func build(src, out string) (int, error) {
	files, err := filepath.Glob(filepath.Join(src, "*.json"))
	if err != nil {
		return 0, err
	}
	if len(files) == 0 {
		return 0, fmt.Errorf("build: no OSV files in %s", src)
	}
	if err := os.MkdirAll(filepath.Join(out, "ID"), 0o755); err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Join(out, "index"), 0o755); err != nil {
		return 0, err
	}
	var dbModified time.Time
	modules := map[string]*moduleMeta{}
	var vulns []vulnMeta
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return 0, err
		}
		var e entry
		if err := json.Unmarshal(b, &e); err != nil {
			return 0, fmt.Errorf("build: %s: %w", f, err)
		}
		if filepath.Base(f) != e.ID+".json" {
			return 0, fmt.Errorf("build: %s holds %s", f, e.ID)
		}
		if err := os.WriteFile(filepath.Join(out, "ID", e.ID+".json"), b, 0o644); err != nil {
			return 0, err
		}
		if e.Modified.After(dbModified) {
			dbModified = e.Modified
		}
		vulns = append(vulns, vulnMeta{ID: e.ID, Modified: e.Modified, Aliases: e.Aliases})
		for _, a := range e.Affected {
			m := modules[a.Package.Name]
			if m == nil {
				m = &moduleMeta{Path: a.Package.Name}
				modules[a.Package.Name] = m
			}
			var fixed string
			for _, r := range a.Ranges {
				if r.Type != "SEMVER" {
					continue
				}
				for _, ev := range r.Events {
					if ev.Fixed != "" && less(fixed, ev.Fixed) {
						fixed = ev.Fixed
					}
				}
				// Re-introduced after the latest fix: no fix for this range.
				for _, ev := range r.Events {
					if ev.Introduced != "" && ev.Introduced != "0" && less(fixed, ev.Introduced) {
						fixed = ""
						break
					}
				}
			}
			m.Vulns = append(m.Vulns, moduleVuln{ID: e.ID, Modified: e.Modified, Fixed: fixed})
		}
	}
	mods := make([]*moduleMeta, 0, len(modules))
	for _, m := range modules {
		sort.Slice(m.Vulns, func(i, j int) bool { return m.Vulns[i].ID < m.Vulns[j].ID })
		mods = append(mods, m)
	}
	sort.Slice(mods, func(i, j int) bool { return mods[i].Path < mods[j].Path })
	sort.Slice(vulns, func(i, j int) bool { return vulns[i].ID < vulns[j].ID })
	for name, v := range map[string]any{
		"db.json":      map[string]time.Time{"modified": dbModified},
		"modules.json": mods,
		"vulns.json":   vulns,
	} {
		b, err := json.Marshal(v)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(out, "index", name), b, 0o644); err != nil {
			return 0, err
		}
	}
	return len(files), nil
}

// less compares versions as the vulndb writes them, without the "v".
func less(a, b string) bool {
	if a == "" {
		return b != ""
	}
	return semver.Compare("v"+a, "v"+b) < 0
}

// finding is one message of govulncheck's JSON stream.
type message struct {
	OSV *struct {
		ID      string `json:"id"`
		Summary string `json:"summary"`
	} `json:"osv"`
	Finding *struct {
		OSV          string `json:"osv"`
		FixedVersion string `json:"fixed_version"`
		Trace        []struct {
			Module   string `json:"module"`
			Version  string `json:"version"`
			Package  string `json:"package"`
			Function string `json:"function"`
			Receiver string `json:"receiver"`
		} `json:"trace"`
	} `json:"finding"`
}

// check fails on every vulnerability that govulncheck found called
// (a trace down to a function), unless it is allowed.
func check(r io.Reader, w io.Writer, allow []string) error {
	dec := json.NewDecoder(bufio.NewReader(r))
	summaries := map[string]string{}
	called := map[string]string{}
	var imported []string
	for {
		var m message
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return fmt.Errorf("check: read govulncheck output: %w", err)
		}
		if m.OSV != nil {
			summaries[m.OSV.ID] = m.OSV.Summary
		}
		if f := m.Finding; f != nil && len(f.Trace) > 0 {
			if f.Trace[0].Function == "" {
				imported = append(imported, f.OSV)
				continue
			}
			t := f.Trace[0]
			fn := t.Function
			if t.Receiver != "" {
				fn = t.Receiver + "." + fn
			}
			called[f.OSV] = t.Package + "." + fn + " (" + t.Module + "@" + t.Version + ")"
		}
	}
	ids := make([]string, 0, len(called))
	for id := range called {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	failed := 0
	for _, id := range ids {
		verdict := "CALLED"
		if slices.Contains(allow, id) {
			verdict = "allowed"
		} else {
			failed++
		}
		fmt.Fprintf(w, "%-8s %s %s\n         via %s\n", verdict, id, summaries[id], called[id])
	}
	slices.Sort(imported)
	imported = slices.Compact(imported)
	fmt.Fprintf(w, "govulncheck: %d called (%d allowed), %d more in imported code that is never called\n",
		len(ids), len(ids)-failed, len(imported))
	if failed > 0 {
		return fmt.Errorf("%d vulnerabilities are called from rolefit", failed)
	}
	return nil
}
