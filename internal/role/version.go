package role

import "time"

// Version is one stored import of a role's page, with the role's settings
// that live outside the page.
type Version struct {
	ID int64
	// Number counts the role's versions from 1, in the order they were made.
	Number     int
	Slug       string
	Hash       string
	Source     []byte
	ImportedAt time.Time
	ApplyURL   string
	// SourceURL is the address the page was published at, for its
	// relative links; empty when unknown.
	SourceURL string
	Archived  bool
	Overrides []Override
	// Edits are the admin's corrections stored with this version.
	Edits Edits
	// Includes are the other pages the version's inheritance links
	// resolved to when it was imported with them; empty for a page
	// imported alone.
	Includes []Include
}

// Include is another page of a handbook that a role version extends.
type Include struct {
	Path   string
	Source []byte
}

// Override is an admin's change to one item, kept across re-imports
// because it names the item by its stable id.
type Override struct {
	ItemID string  `json:"id"`
	Kind   Kind    `json:"kind,omitempty"`   // "" keeps the imported kind
	Weight float64 `json:"weight,omitempty"` // 0 keeps the imported weight
	Bonus  *bool   `json:"bonus,omitempty"`  // nil keeps the imported flag
	// Omit leaves the item out of the role.
	Omit bool `json:"omit,omitempty"`
	// Expect sets the rating expected of the item at some levels, by level
	// slug, instead of the rule by depth of inheritance.
	Expect map[string]float64 `json:"expect,omitempty"`
}

// ApplyOverrides changes the items of r that overrides name. A kind of
// experience is applied only to items that state a number of years.
func (r *Role) ApplyOverrides(ovs []Override) {
	if len(ovs) == 0 {
		return
	}
	by := make(map[string]Override, len(ovs))
	for _, o := range ovs {
		by[o.ItemID] = o
	}
	apply := func(items []Item) {
		for i := range items {
			o, ok := by[items[i].ID]
			if !ok {
				continue
			}
			if o.Kind.Valid() && (o.Kind != KindExperience || items[i].MinYears > 0) {
				items[i].Kind = o.Kind
			}
			if o.Weight > 0 {
				items[i].Weight = o.Weight
			}
			if o.Bonus != nil {
				items[i].Bonus = *o.Bonus
			}
			if len(o.Expect) > 0 {
				items[i].Expect = o.Expect
			}
		}
	}
	r.eachGroup(func(resp, req *[]Item) {
		apply(*resp)
		apply(*req)
	})
}

// Clone returns a copy of r whose item lists can be changed (by
// ApplyOverrides) without touching r's.
func (r *Role) Clone() *Role {
	out := *r
	items := func(its []Item) []Item { return append([]Item(nil), its...) }
	group := func(g Group) Group {
		g.Responsibilities, g.Requirements = items(g.Responsibilities), items(g.Requirements)
		return g
	}
	out.Levels = make([]Level, len(r.Levels))
	for i, l := range r.Levels {
		l.Responsibilities, l.Requirements = items(l.Responsibilities), items(l.Requirements)
		out.Levels[i] = l
	}
	out.Family = group(r.Family)
	out.Specialties = make([]Group, len(r.Specialties))
	for i, g := range r.Specialties {
		out.Specialties[i] = group(g)
	}
	return &out
}
