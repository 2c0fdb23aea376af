package jobfamily

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readHandbook reads the synthetic handbook pages under testdata/handbook.
func readHandbook(t *testing.T, dir string) []Page {
	t.Helper()
	var pages []Page
	root := filepath.Join("testdata", "handbook")
	err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := os.ReadFile(p)
		rel, _ := filepath.Rel(root, p)
		pages = append(pages, Page{Path: filepath.ToSlash(rel), Src: src})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return pages
}

func TestParseSet_CrossPageExtends(t *testing.T) {
	pages := readHandbook(t, "engineering")
	alone, err := Parse(pages[1].Src, pages[1].Path)
	if err != nil {
		t.Fatal(err)
	}
	if l := alone.Role.Levels; len(l) != 1 || l[0].Extends != "" {
		t.Fatalf("alone: levels %+v, want one that extends nothing", l)
	}
	if !warnsOf(alone, "no level matches") {
		t.Errorf("alone: no warning for the unresolved link: %v", alone.Warnings)
	}

	out := ParseSet(context.Background(), pages)
	if out[1].Path != "engineering/senior-backend-engineer.md" || out[1].Err != nil {
		t.Fatalf("result %+v", out[1])
	}
	r := &out[1].Result.Role
	if len(r.Levels) != 2 {
		t.Fatalf("levels %v, want the brought-in Backend Engineer and Senior", levelTitles(r))
	}
	base, senior := r.Levels[0], r.Levels[1]
	if base.Title != "Backend Engineer" || senior.Extends != base.Slug {
		t.Errorf("senior extends %q, levels %v", senior.Extends, levelTitles(r))
	}
	if got := len(r.EffectiveItems(senior.Slug, "responsibilities")); got != 3 {
		t.Errorf("senior has %d responsibilities with the inherited ones, want 3", got)
	}
	if got := len(r.EffectiveItems(senior.Slug, "requirements")); got != 2 {
		t.Errorf("senior has %d requirements with the inherited ones, want 2", got)
	}
	if warnsOf(out[1].Result, "no level matches") || !warnsOf(out[1].Result, "resolved to") {
		t.Errorf("warnings %v", out[1].Result.Warnings)
	}
	if err := r.Validate(); err != nil {
		t.Error(err)
	}
}

func TestParseSet_Cycle(t *testing.T) {
	out := ParseSet(context.Background(), readHandbook(t, "cycle"))
	broken := 0
	for _, o := range out {
		if o.Err != nil {
			t.Fatalf("%s: %v", o.Path, o.Err)
		}
		if warnsOf(o.Result, "cycle broken") {
			broken++
		}
		if err := o.Result.Role.Validate(); err != nil {
			t.Errorf("%s: %v", o.Path, err)
		}
	}
	if broken != 1 {
		t.Errorf("%d pages warn of a broken cycle, want 1", broken)
	}
}

func warnsOf(r *Result, substr string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w.Message, substr) {
			return true
		}
	}
	return false
}
