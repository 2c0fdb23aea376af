package role

import (
	"fmt"
	"testing"
)

func chain(n int) *Role {
	r := &Role{Slug: "r", Title: "R"}
	for i := range n {
		l := Level{Slug: fmt.Sprint("l", i)}
		if i > 0 {
			l.Extends = fmt.Sprint("l", i-1)
		}
		r.Levels = append(r.Levels, l)
	}
	return r
}

func TestRole_HasItem(t *testing.T) {
	item := []Item{{ID: "a", Text: "a", Kind: KindSkill}}
	t.Run("OwnItem", func(t *testing.T) {
		r := chain(3)
		r.Levels[2].Requirements = item
		if !r.HasItem() {
			t.Error("a level with its own item has no item")
		}
	})
	t.Run("FamilyThroughChain", func(t *testing.T) {
		r := chain(3)
		r.Family.Requirements = item
		if !r.HasItem() {
			t.Error("family items reach no level")
		}
	})
	t.Run("ExemptRoot", func(t *testing.T) {
		r := chain(3)
		r.Family.Requirements = item
		r.Levels[0].NoBase = true
		if r.HasItem() {
			t.Error("family items reached a chain whose root is exempt from them")
		}
	})
	t.Run("Cycle", func(t *testing.T) {
		r := chain(3)
		r.Family.Requirements = item
		r.Levels[0].Extends = "l2"
		r.Levels[2].NoBase = true
		// l0's chain is l2, l1 (ends at l1, which may take family items).
		if !r.HasItem() {
			t.Error("a cycle hid the family items")
		}
	})
	t.Run("Nothing", func(t *testing.T) {
		if chain(2).HasItem() {
			t.Error("empty levels have an item")
		}
	})
}

func TestRole_EffectiveItems_Chain(t *testing.T) {
	r := chain(4)
	for i := range r.Levels {
		r.Levels[i].Requirements = []Item{{ID: fmt.Sprint(i), Text: fmt.Sprint(i), Kind: KindSkill}}
	}
	got := r.EffectiveItems("l3", Requirements)
	if len(got) != 4 || got[0].Owner != "l3" || got[3].Owner != "l0" || got[3].Depth != 3 {
		t.Errorf("EffectiveItems(l3) = %+v", got)
	}
	if a := r.Ancestors("l3"); len(a) != 3 || a[0].Slug != "l2" {
		t.Errorf("Ancestors(l3) = %v", a)
	}
}

// BenchmarkRole_Validate validates a chain of 5,000 levels, which once
// cost time cubic in its length.
func BenchmarkRole_Validate(b *testing.B) {
	r := chain(5000)
	for i := range r.Levels {
		r.Levels[i].Requirements = []Item{{ID: fmt.Sprint(i), Text: fmt.Sprint(i), Kind: KindSkill}}
	}
	for b.Loop() {
		if err := r.Validate(); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKind(t *testing.T) {
	tests := []struct {
		name         string
		kind         Kind
		valid, rated bool
	}{
		{"Skill", KindSkill, true, true},
		{"Trait", KindTrait, true, true},
		{"Language", KindLanguage, true, true},
		{"Experience", KindExperience, true, false},
		{"Fact", KindFact, true, false},
		{"Empty", "", false, false},
		{"Unknown", "opinion", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.kind.Valid() != tt.valid || tt.kind.Rated() != tt.rated {
				t.Errorf("%q: valid %v rated %v, want %v %v", tt.kind, tt.kind.Valid(), tt.kind.Rated(), tt.valid, tt.rated)
			}
		})
	}
}

// TestRole_Clone: overrides applied to a clone leave the original as it
// was, in the levels, the family lists and the specialties alike.
func TestRole_Clone(t *testing.T) {
	it := func(text string) Item { return Item{ID: ItemID(text), Text: text, Kind: KindSkill} }
	r := &Role{Slug: "r", Title: "R",
		Levels:      []Level{{Slug: "one", Title: "One", Requirements: []Item{it("a")}, Responsibilities: []Item{it("b")}}},
		Family:      Group{Requirements: []Item{it("c")}},
		Specialties: []Group{{Name: "S", Responsibilities: []Item{it("d")}}},
	}
	var ovs []Override
	for _, text := range []string{"a", "b", "c", "d"} {
		ovs = append(ovs, Override{ItemID: ItemID(text), Kind: KindTrait, Weight: 2})
	}
	c := r.Clone()
	c.ApplyOverrides(ovs)
	for _, items := range [][]Item{c.Levels[0].Requirements, c.Levels[0].Responsibilities, c.Family.Requirements, c.Specialties[0].Responsibilities} {
		if items[0].Kind != KindTrait || items[0].Weight != 2 {
			t.Errorf("clone: %+v not overridden", items[0])
		}
	}
	for _, items := range [][]Item{r.Levels[0].Requirements, r.Levels[0].Responsibilities, r.Family.Requirements, r.Specialties[0].Responsibilities} {
		if items[0].Kind != KindSkill || items[0].Weight != 0 {
			t.Errorf("original changed: %+v", items[0])
		}
	}
}
