package role

import "testing"

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
