package role

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Diff is what changed between two versions of a role. Items are matched
// by id, that is by their normalised text; an item whose text changed is
// "reworded" when an added item in the same place shares most of its words.
type Diff struct {
	// Title and Summary hold the old and the new value when they differ.
	Title, Summary *[2]string
	Added, Removed []Placed
	Reworded       []Rewording
	Changed        []Changed
}

// Placed is an item and where it sits, such as "Senior · requirements".
type Placed struct {
	Item  Item
	Where string
}

// Rewording is an item whose text changed in place.
type Rewording struct {
	Where    string
	From, To Item
}

// Changed is an item whose kind, weight, bonus flag or expected ratings
// changed, with the changes in words.
type Changed struct {
	Placed
	Changes []string
}

// Empty reports whether the versions ask the same.
func (d Diff) Empty() bool {
	return d.Title == nil && d.Summary == nil && len(d.Added)+len(d.Removed)+len(d.Reworded)+len(d.Changed) == 0
}

// Compare returns what changed from a to b.
func Compare(a, b *Role) Diff {
	var d Diff
	if a.Title != b.Title {
		d.Title = &[2]string{a.Title, b.Title}
	}
	if a.Summary != b.Summary {
		d.Summary = &[2]string{a.Summary, b.Summary}
	}
	pa, pb := a.placed(), b.placed()
	inA, inB := map[string]Placed{}, map[string]bool{}
	for _, p := range pa {
		inA[p.Item.ID] = p
	}
	for _, p := range pb {
		inB[p.Item.ID] = true
	}
	var added []Placed
	for _, p := range pb {
		old, ok := inA[p.Item.ID]
		if !ok {
			added = append(added, p)
			continue
		}
		if ch := itemChanges(old.Item, p.Item, b); len(ch) > 0 {
			d.Changed = append(d.Changed, Changed{Placed: p, Changes: ch})
		}
	}
	var removed []Placed
	for _, p := range pa {
		if !inB[p.Item.ID] {
			removed = append(removed, p)
		}
	}
	// Pair removed and added items in the same place, most alike first.
	type pair struct {
		r, a int
		sim  float64
	}
	var pairs []pair
	for i, r := range removed {
		for j, ad := range added {
			if r.Where == ad.Where {
				if s := similarity(r.Item.Text, ad.Item.Text); s >= 0.5 {
					pairs = append(pairs, pair{i, j, s})
				}
			}
		}
	}
	sort.SliceStable(pairs, func(i, j int) bool { return pairs[i].sim > pairs[j].sim })
	usedR, usedA := map[int]bool{}, map[int]bool{}
	for _, p := range pairs {
		if usedR[p.r] || usedA[p.a] {
			continue
		}
		usedR[p.r], usedA[p.a] = true, true
		d.Reworded = append(d.Reworded, Rewording{Where: removed[p.r].Where, From: removed[p.r].Item, To: added[p.a].Item})
	}
	for i, r := range removed {
		if !usedR[i] {
			d.Removed = append(d.Removed, r)
		}
	}
	for j, ad := range added {
		if !usedA[j] {
			d.Added = append(d.Added, ad)
		}
	}
	return d
}

// placed lists each item once, where it first appears: the family-wide
// lists, the levels, then the specialties.
func (r *Role) placed() []Placed {
	var out []Placed
	seen := map[string]bool{}
	add := func(where string, g interface{ Items(Section) []Item }) {
		for _, sec := range Sections {
			for _, it := range g.Items(sec) {
				if !seen[it.ID] {
					seen[it.ID] = true
					out = append(out, Placed{Item: it, Where: where + " · " + string(sec)})
				}
			}
		}
	}
	add("Every level", &r.Family)
	for i := range r.Levels {
		add(r.Levels[i].Title, &r.Levels[i])
	}
	for i := range r.Specialties {
		add("Specialty "+r.Specialties[i].Name, &r.Specialties[i])
	}
	return out
}

func itemChanges(a, b Item, r *Role) []string {
	var out []string
	if a.Kind != b.Kind {
		out = append(out, fmt.Sprintf("kind %s → %s", a.Kind, b.Kind))
	}
	if a.W() != b.W() {
		out = append(out, "weight "+num(a.W())+" → "+num(b.W()))
	}
	if a.Bonus != b.Bonus {
		out = append(out, "bonus "+yesNo(a.Bonus)+" → "+yesNo(b.Bonus))
	}
	for _, l := range r.Levels {
		if x, y := a.Expect[l.Slug], b.Expect[l.Slug]; x != y {
			out = append(out, "expected at "+l.Title+" "+expectWord(x)+" → "+expectWord(y))
		}
	}
	return out
}

func expectWord(v float64) string {
	if v == 0 {
		return "by the rule"
	}
	return num(v)
}

func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// similarity is the share of distinct words two texts have in common
// (Jaccard), after normalising them.
func similarity(a, b string) float64 {
	wa, wb := map[string]bool{}, map[string]bool{}
	for _, w := range strings.Fields(Normalize(a)) {
		wa[w] = true
	}
	for _, w := range strings.Fields(Normalize(b)) {
		wb[w] = true
	}
	common := 0
	for w := range wa {
		if wb[w] {
			common++
		}
	}
	union := len(wa) + len(wb) - common
	if union == 0 {
		return 1
	}
	return float64(common) / float64(union)
}
