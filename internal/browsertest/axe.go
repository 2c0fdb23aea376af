package browsertest

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// AxeTags are the rule sets every page must pass: WCAG 2.0, 2.1 and 2.2,
// levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// AxeOptions narrows an axe-core run. The zero value checks the whole page.
type AxeOptions struct {
	// Include and Exclude are CSS selectors of the parts of the page to
	// check or to leave out.
	Include, Exclude []string
	// Disable names rules to skip; say why next to the call.
	Disable []string
}

// Violation is one axe-core rule that the page breaks.
type Violation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	URL    string `json:"helpUrl"`
	Nodes  []struct {
		Target  json.RawMessage `json:"target"`
		HTML    string          `json:"html"`
		Summary string          `json:"failureSummary"`
	} `json:"nodes"`
}

// Violations is the result of an axe-core run.
type Violations []Violation

// String lists each violation with the elements that break it, so a
// failing test says exactly what to fix.
func (vs Violations) String() string {
	var sb strings.Builder
	for _, v := range vs {
		fmt.Fprintf(&sb, "%s (%s): %s\n  %s\n", v.ID, v.Impact, v.Help, v.URL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&sb, "  - %s\n    %s\n", n.Target, abbrevHTML(n.HTML))
			for _, line := range strings.Split(strings.TrimSpace(n.Summary), "\n") {
				fmt.Fprintf(&sb, "      %s\n", strings.TrimSpace(line))
			}
		}
	}
	return sb.String()
}

func abbrevHTML(s string) string {
	if len(s) > 160 {
		return s[:157] + "..."
	}
	return s
}

// AxePath returns axe.min.js: $ROLEFIT_AXE, or node_modules/axe-core in
// the repository root (the nearest directory upwards with a go.mod). It
// returns "" when there is none.
func AxePath() string {
	if p := os.Getenv("ROLEFIT_AXE"); p != "" {
		return p
	}
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			p := filepath.Join(dir, "node_modules", "axe-core", "axe.min.js")
			if _, err := os.Stat(p); err == nil {
				return p
			}
			return ""
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// NeedAxe skips t when axe-core is not installed (in CI it fails). Call
// it first in a test whose later steps depend on subtests that run axe:
// a subtest that skips would otherwise leave them in the wrong state.
func NeedAxe(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(AxePath()); err != nil {
		skipOrFail(t, "axe-core not found (npm install --no-save axe-core@4 in the repository root, or set ROLEFIT_AXE)")
	}
}

// Axe checks the page now shown with axe-core against AxeTags and returns
// what it breaks. It skips t when axe-core is not installed (in CI it
// fails: run npm install --no-save axe-core@4 in the repository root).
//
// Frames are not entered: check a frame's page through Frame or by opening
// its URL.
func (b *Browser) Axe(t testing.TB, opts AxeOptions) Violations {
	t.Helper()
	path := AxePath()
	src, err := os.ReadFile(path)
	if path == "" || err != nil {
		skipOrFail(t, "axe-core not found (npm install --no-save axe-core@4 in the repository root, or set ROLEFIT_AXE)")
	}
	if !Eval[bool](b, "typeof window.axe === 'object'") {
		// The trailing expression keeps Evaluate from returning axe's
		// last value, which it cannot serialise.
		_ = Eval[bool](b, string(src)+"\n;true")
	}
	rules := map[string]map[string]bool{}
	for _, r := range opts.Disable {
		rules[r] = map[string]bool{"enabled": false}
	}
	options, _ := json.Marshal(map[string]any{
		"runOnly":     map[string]any{"type": "tag", "values": AxeTags},
		"rules":       rules,
		"iframes":     false,
		"resultTypes": []string{"violations"},
	})
	context := "document"
	if len(opts.Include) > 0 || len(opts.Exclude) > 0 {
		c := map[string]any{}
		if len(opts.Include) > 0 {
			c["include"] = selectors(opts.Include)
		}
		if len(opts.Exclude) > 0 {
			c["exclude"] = selectors(opts.Exclude)
		}
		cj, _ := json.Marshal(c)
		context = string(cj)
	}
	raw := Eval[string](b, fmt.Sprintf(
		`axe.run(%s, %s).then(r => JSON.stringify(r.violations))`, context, options))
	var vs Violations
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		t.Fatalf("axe: decode result: %v", err)
	}
	return vs
}

// RequireAxe fails t, listing every violation, unless the page now shown
// passes axe-core.
func (b *Browser) RequireAxe(t testing.TB, opts AxeOptions) {
	t.Helper()
	if vs := b.Axe(t, opts); len(vs) > 0 {
		t.Errorf("axe-core: %s breaks %d rules:\n%s", b.Location(), len(vs), vs)
	}
}

// selectors turns CSS selectors into axe's context form: a list of
// selector lists.
func selectors(sels []string) [][]string {
	out := make([][]string, len(sels))
	for i, s := range sels {
		out[i] = []string{s}
	}
	return out
}
