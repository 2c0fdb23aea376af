package role

import "testing"

func TestCleanTitle(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"roles", "Database Engineer Roles", "Database Engineer"},
		{"job family", "Marketing Job Family", "Marketing"},
		{"dash", "Product Manager - Marketing", "Product Manager - Marketing"},
		{"only the word", "Roles", "Roles"},
		{"spaces", "  Editor  ", "Editor"},
		{"inside", "Role Model Coach", "Role Model Coach"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := CleanTitle(tc.in); got != tc.want {
				t.Errorf("CleanTitle(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestApplyEdits(t *testing.T) {
	r := Role{Slug: "r", Title: "R Roles", Summary: "SEO text",
		Family: Group{Requirements: []Item{{ID: "f", Text: "Family", Kind: KindSkill}}},
		Levels: []Level{
			{Slug: "junior", Title: "Junior", Requirements: []Item{{ID: "a", Text: "A", Kind: KindSkill}, {ID: "b", Text: "B", Kind: KindSkill}}},
			{Slug: "senior", Title: "Senior", Extends: "junior", Requirements: []Item{{ID: "c", Text: "C", Kind: KindSkill}}},
		}}
	empty := ""
	yes := true
	r.ApplyEdits(Edits{Title: "R", Summary: &empty, Items: []Override{
		{ItemID: "b", Omit: true},
		{ItemID: "f", Kind: KindFact, Bonus: &yes},
		{ItemID: "a", Expect: map[string]float64{"senior": 2}},
	}})
	if r.Title != "R" || r.Summary != "" {
		t.Errorf("title %q summary %q", r.Title, r.Summary)
	}
	if got := r.Level("junior").Requirements; len(got) != 1 || got[0].ID != "a" {
		t.Errorf("junior keeps %+v, want only a", got)
	}
	if f := r.Family.Requirements[0]; f.Kind != KindFact || !f.Bonus {
		t.Errorf("family item %+v", f)
	}
	for _, e := range r.EffectiveItems("senior", Requirements) {
		if e.ID == "a" && e.Expect != 2 {
			t.Errorf("a at senior expects %v, want 2", e.Expect)
		}
	}
	for _, e := range r.EffectiveItems("junior", Requirements) {
		if e.ID == "a" && e.Expect != 0 {
			t.Errorf("a at junior expects %v, want the rule (0)", e.Expect)
		}
	}
}

func TestCompare(t *testing.T) {
	item := func(text string, k Kind) Item { return Item{ID: ItemID(text), Text: text, Kind: k} }
	a := &Role{Title: "R", Levels: []Level{{Slug: "s", Title: "Senior", Requirements: []Item{
		item("Writes clear SQL queries for reports", KindSkill),
		item("Knows Go", KindSkill),
		item("Lives in Europe", KindFact),
	}}}}
	b := &Role{Title: "R", Levels: []Level{{Slug: "s", Title: "Senior", Requirements: []Item{
		item("Writes clear SQL queries for dashboards", KindSkill),
		item("Knows Go", KindFact),
		item("Mentors others", KindSkill),
	}}}}
	d := Compare(a, b)
	if len(d.Reworded) != 1 || d.Reworded[0].From.Text != "Writes clear SQL queries for reports" {
		t.Errorf("reworded %+v", d.Reworded)
	}
	if len(d.Added) != 1 || d.Added[0].Item.Text != "Mentors others" || d.Added[0].Where != "Senior · requirements" {
		t.Errorf("added %+v", d.Added)
	}
	if len(d.Removed) != 1 || d.Removed[0].Item.Text != "Lives in Europe" {
		t.Errorf("removed %+v", d.Removed)
	}
	if len(d.Changed) != 1 || d.Changed[0].Changes[0] != "kind skill → fact" {
		t.Errorf("changed %+v", d.Changed)
	}
	if d.Title != nil || Compare(a, a).Empty() != true {
		t.Error("same role compares as changed")
	}
}
