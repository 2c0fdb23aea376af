package catalog

import (
	"errors"
	"testing"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/role"
)

func referenceVersion() role.Version {
	return role.Version{ID: 7, Slug: "product-manager-marketing", Source: db.ReferenceRole, ApplyURL: "https://jobs.example/pm"}
}

// TestCatalog_RoleAt: a version is parsed once, and each caller gets the
// role with its own overrides, none of them leaking into another's.
func TestCatalog_RoleAt(t *testing.T) {
	c := New()
	v := referenceVersion()
	plain, err := c.RoleAt(v, nil)
	if err != nil {
		t.Fatal(err)
	}
	target := plain.Levels[0].Requirements[0]
	yes := true
	changed, err := c.RoleAt(v, []role.Override{{ItemID: target.ID, Kind: role.KindFact, Weight: 3, Bonus: &yes}})
	if err != nil {
		t.Fatal(err)
	}
	if got := changed.Levels[0].Requirements[0]; got.Kind != role.KindFact || got.Weight != 3 || !got.Bonus {
		t.Errorf("override not applied: %+v", got)
	}
	again, _ := c.RoleAt(v, nil)
	for _, r := range []*role.Role{plain, again} {
		if got := r.Levels[0].Requirements[0]; got.Kind != target.Kind || got.Weight != target.Weight || got.Bonus != target.Bonus {
			t.Errorf("another caller's override leaked: %+v", got)
		}
	}
	if again.ApplyURL != v.ApplyURL || again.Slug != v.Slug {
		t.Errorf("settings: %q %q", again.ApplyURL, again.Slug)
	}
	if len(c.parsed) != 1 || len(c.order) != 1 {
		t.Errorf("%d versions parsed, want 1", len(c.parsed))
	}
}

func TestCatalog_ParsedBounded(t *testing.T) {
	c := New()
	v := referenceVersion()
	for id := int64(1); id <= parsedMax+10; id++ {
		v.ID = id
		if _, err := c.RoleAt(v, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(c.parsed) != parsedMax || len(c.order) != parsedMax {
		t.Errorf("%d versions kept, want %d", len(c.parsed), parsedMax)
	}
	if _, ok := c.parsed[1]; ok {
		t.Error("the oldest version was kept")
	}
}

// BenchmarkRoleAt compares a result's role from the cache of parsed
// versions with parsing the stored markdown, as every result page did.
func BenchmarkRoleAt(b *testing.B) {
	v := referenceVersion()
	b.Run("Cached", func(b *testing.B) {
		c := New()
		for b.Loop() {
			if _, err := c.RoleAt(v, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("Parse", func(b *testing.B) {
		for b.Loop() {
			if _, err := Build(v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestCatalog_RoleAtConcurrent: results read at once share the cache
// safely (run with -race).
func TestCatalog_RoleAtConcurrent(t *testing.T) {
	c := New()
	v := referenceVersion()
	done := make(chan error)
	for i := range 8 {
		go func() {
			w := v
			w.ID = int64(i % 3)
			r, err := c.RoleAt(w, []role.Override{{ItemID: "x", Weight: float64(i + 1)}})
			if err == nil && len(r.Levels) == 0 {
				err = errNoLevels
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}

var errNoLevels = errors.New("no levels")
