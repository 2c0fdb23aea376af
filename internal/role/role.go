// Package role is rolefit's domain model of a job family: its levels, their
// responsibilities and requirements, and how levels inherit from each other.
// It imports only the standard library.
package role

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html"
	"strings"
	"unicode"
)

// Kind says how an applicant answers an item.
type Kind string

// The kinds of item.
const (
	// KindSkill is a practised skill rated on the 0–4 scale; it is the
	// default.
	KindSkill Kind = "skill"
	// KindTrait is a trait or behaviour ("Self-aware", "Passion for
	// design"), rated 0–4 by how well it describes the applicant.
	KindTrait Kind = "trait"
	// KindLanguage is a language, rated 0–4 on CEFR-like levels.
	KindLanguage Kind = "language"
	// KindExperience is answered with a number of years; MinYears is the bar.
	KindExperience Kind = "experience"
	// KindFact is a yes/no statement about the person or logistics.
	KindFact Kind = "fact"
)

// Kinds lists every kind, in the order an admin chooses from.
var Kinds = []Kind{KindSkill, KindTrait, KindLanguage, KindExperience, KindFact}

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	for _, v := range Kinds {
		if k == v {
			return true
		}
	}
	return false
}

// Rated reports whether items of kind k are answered on the 0–4 scale.
func (k Kind) Rated() bool {
	return k == KindSkill || k == KindTrait || k == KindLanguage
}

// Section is the list an item belongs to.
type Section string

// The sections of a level.
const (
	Responsibilities Section = "responsibilities"
	Requirements     Section = "requirements"
)

// Sections lists the sections in the order they are shown.
var Sections = []Section{Requirements, Responsibilities}

// Item is one bullet of a responsibilities or requirements list.
type Item struct {
	// ID is derived from the normalised text (see ItemID), so it survives
	// reordering and edits elsewhere on the page.
	ID string `json:"id"`
	// Text is plain text, for ids, exports and screen readers.
	Text string `json:"text"`
	// HTML is the bullet's inline markdown rendered to sanitised HTML.
	HTML     string  `json:"-"`
	Kind     Kind    `json:"kind"`
	Bonus    bool    `json:"bonus"`
	Weight   float64 `json:"weight,omitempty"`
	MinYears float64 `json:"min_years,omitempty"`
	// Details are the nested bullets under the item, as plain text.
	Details []string `json:"details,omitempty"`
	// DetailsHTML holds the nested bullets rendered like HTML.
	DetailsHTML []string `json:"-"`
	// Line is the 1-based line in the source markdown.
	Line int `json:"line,omitempty"`
	// Area is the competency area the item sits under ("Technical",
	// "Craftsmanship (C3)"), for ladders written by areas instead of
	// responsibilities and requirements; empty otherwise. It is shown
	// beside the item and groups items in the wizard and the result.
	Area string `json:"area,omitempty"`
	// Expect is the rating an admin expects of the item at some levels,
	// by level slug; other levels follow the rule by depth.
	Expect map[string]float64 `json:"expect,omitempty"`
}

// W is the item's weight in a level's fit: Weight, or 1 when unset.
func (it Item) W() float64 {
	if it.Weight <= 0 {
		return 1
	}
	return it.Weight
}

// Display returns the HTML to show, falling back to the escaped text.
func (it Item) Display() string {
	if it.HTML != "" {
		return it.HTML
	}
	return html.EscapeString(it.Text)
}

// Level is one rung of a job family, such as Intermediate or Senior.
type Level struct {
	Slug  string `json:"slug"`
	Title string `json:"title"`
	// Grade is the job grade, nil when the page states none.
	Grade     *int   `json:"grade"`
	ReportsTo string `json:"reports_to,omitempty"`
	// Extends is the slug of the level this one inherits from, or "".
	Extends string `json:"extends"`
	// NoBase is set when the page says the level is exempt from the
	// family-wide lists.
	NoBase           bool   `json:"no_base,omitempty"`
	Responsibilities []Item `json:"responsibilities"`
	Requirements     []Item `json:"requirements"`
}

// Items returns the level's own items of one section.
func (l *Level) Items(s Section) []Item {
	if s == Responsibilities {
		return l.Responsibilities
	}
	return l.Requirements
}

// Group is a named set of items that is not a level: the family-wide lists,
// or a specialty.
type Group struct {
	Name             string `json:"name,omitempty"`
	Responsibilities []Item `json:"responsibilities"`
	Requirements     []Item `json:"requirements"`
}

// Items returns the group's items of one section.
func (g *Group) Items(s Section) []Item {
	if s == Responsibilities {
		return g.Responsibilities
	}
	return g.Requirements
}

// Role is a job family as imported from one page.
type Role struct {
	Slug    string `json:"slug"`
	Title   string `json:"title"`
	Summary string `json:"summary,omitempty"`
	// Intro is the page's introduction as sanitised HTML.
	Intro  string  `json:"-"`
	Levels []Level `json:"levels"`
	// Family holds the items every level shares.
	Family                Group    `json:"family"`
	Specialties           []Group  `json:"specialties"`
	PerformanceIndicators []string `json:"performance_indicators"`
	CareerLadder          []string `json:"career_ladder,omitempty"`
	HiringProcess         []string `json:"hiring_process"`
	// ApplyURL is where the result page sends an applicant who wants to apply.
	ApplyURL string `json:"apply_url,omitempty"`
	// SourceURL is the address the page was published at: relative links
	// in its text are resolved against it.
	SourceURL string `json:"source_url,omitempty"`
}

// Level returns the level with the given slug, or nil.
func (r *Role) Level(slug string) *Level {
	for i := range r.Levels {
		if r.Levels[i].Slug == slug {
			return &r.Levels[i]
		}
	}
	return nil
}

// Specialty returns the specialty with the given name, or nil.
func (r *Role) Specialty(name string) *Group {
	for i := range r.Specialties {
		if r.Specialties[i].Name == name {
			return &r.Specialties[i]
		}
	}
	return nil
}

// Ancestors returns the chain of levels that slug extends, nearest first.
// A cycle or a dangling reference ends the chain instead of looping.
func (r *Role) Ancestors(slug string) []*Level {
	return r.ancestors(r.levelIndex(), slug)
}

// levelIndex maps each level's slug to its position, so that walking a
// chain costs one lookup per step instead of a scan of every level.
func (r *Role) levelIndex() map[string]int {
	idx := make(map[string]int, len(r.Levels))
	for i := range r.Levels {
		if _, dup := idx[r.Levels[i].Slug]; !dup {
			idx[r.Levels[i].Slug] = i
		}
	}
	return idx
}

func (r *Role) ancestors(idx map[string]int, slug string) []*Level {
	var out []*Level
	seen := map[string]bool{slug: true}
	i, ok := idx[slug]
	for ok && r.Levels[i].Extends != "" && !seen[r.Levels[i].Extends] {
		seen[r.Levels[i].Extends] = true
		i, ok = idx[r.Levels[i].Extends]
		if ok {
			out = append(out, &r.Levels[i])
		}
	}
	return out
}

// Effective is an item as it applies to a level.
type Effective struct {
	Item
	Section Section
	// Owner is the slug of the level that lists the item itself, or "" for
	// the family-wide lists.
	Owner string
	// Depth is how many levels of inheritance lie between the level and the
	// item: 0 for its own items.
	Depth int
	// Expect is the rating the admin expects at this level, 0 when the
	// rule by depth applies.
	Expect float64
}

// Inherited reports whether the item comes from another level.
func (e Effective) Inherited() bool { return e.Depth > 0 }

// EffectiveItems returns every item that applies to the level in section s:
// its own, then those it inherits, then the family-wide ones. An item id
// appears once, at its nearest owner. Family-wide items count as owned by
// the root of the level's chain.
func (r *Role) EffectiveItems(slug string, s Section) []Effective {
	idx := r.levelIndex()
	i, ok := idx[slug]
	if !ok {
		return nil
	}
	l := &r.Levels[i]
	seen := map[string]bool{}
	var out []Effective
	add := func(items []Item, owner string, depth int) {
		for _, it := range items {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			out = append(out, Effective{Item: it, Section: s, Owner: owner, Depth: depth, Expect: it.Expect[slug]})
		}
	}
	add(l.Items(s), l.Slug, 0)
	chain := r.ancestors(idx, slug)
	for i, a := range chain {
		add(a.Items(s), a.Slug, i+1)
	}
	root := l
	if len(chain) > 0 {
		root = chain[len(chain)-1]
	}
	if !root.NoBase {
		add(r.Family.Items(s), "", len(chain))
	}
	return out
}

// ItemCount returns how many distinct items of the given sections the role
// asks about across all its levels, the family lists included.
func (r *Role) ItemCount(sections ...Section) int {
	seen := map[string]bool{}
	for _, s := range sections {
		for _, it := range r.Family.Items(s) {
			seen[it.ID] = true
		}
		for i := range r.Levels {
			for _, it := range r.Levels[i].Items(s) {
				seen[it.ID] = true
			}
		}
	}
	return len(seen)
}

// Validate checks the invariants the rest of rolefit relies on.
func (r *Role) Validate() error {
	if r.Slug == "" || r.Title == "" {
		return fmt.Errorf("role: slug and title are required")
	}
	if len(r.Levels) == 0 {
		return fmt.Errorf("role %q: no levels", r.Slug)
	}
	slugs := map[string]bool{}
	for i := range r.Levels {
		l := &r.Levels[i]
		if l.Slug == "" || slugs[l.Slug] {
			return fmt.Errorf("role %q: level %d has an empty or repeated slug %q", r.Slug, i+1, l.Slug)
		}
		slugs[l.Slug] = true
		for _, s := range Sections {
			for _, it := range l.Items(s) {
				if err := it.validate(); err != nil {
					return fmt.Errorf("role %q level %q: %w", r.Slug, l.Slug, err)
				}
			}
		}
	}
	for i := range r.Levels {
		if e := r.Levels[i].Extends; e != "" && !slugs[e] {
			return fmt.Errorf("role %q: level %q extends unknown level %q", r.Slug, r.Levels[i].Slug, e)
		}
	}
	if !r.HasItem() {
		return fmt.Errorf("role %q: no level has an item", r.Slug)
	}
	return nil
}

// HasItem reports whether some level has at least one item, its own,
// inherited or family-wide. It runs in time linear in the number of levels,
// however long their chains: a level with items of its own settles it, and
// otherwise only the family lists can, through a level whose chain does not
// end in a level exempt from them.
func (r *Role) HasItem() bool {
	for i := range r.Levels {
		if len(r.Levels[i].Responsibilities)+len(r.Levels[i].Requirements) > 0 {
			return true
		}
	}
	if len(r.Family.Responsibilities)+len(r.Family.Requirements) == 0 {
		return false
	}
	idx := r.levelIndex()
	// exempt[i] records that the chain from level i is known to end in a
	// NoBase level, so each level is walked once.
	exempt := make([]bool, len(r.Levels))
	for i := range r.Levels {
		var path []int
		onPath := map[int]bool{}
		j, cycle := i, false
		for !exempt[j] {
			path = append(path, j)
			onPath[j] = true
			k, ok := idx[r.Levels[j].Extends]
			if r.Levels[j].Extends == "" || !ok {
				break
			}
			if onPath[k] {
				cycle = true
				break
			}
			j = k
		}
		if cycle {
			// Where a cycle ends the chain depends on where the walk
			// started: ask Ancestors, and memoise nothing.
			root := &r.Levels[i]
			if chain := r.ancestors(idx, root.Slug); len(chain) > 0 {
				root = chain[len(chain)-1]
			}
			if !root.NoBase {
				return true
			}
			continue
		}
		if !exempt[j] && !r.Levels[j].NoBase {
			return true
		}
		for _, k := range path {
			exempt[k] = true
		}
	}
	return false
}

func (it Item) validate() error {
	switch {
	case it.ID == "" || it.Text == "":
		return fmt.Errorf("item at line %d has no id or text", it.Line)
	case !it.Kind.Valid():
		return fmt.Errorf("item %q has unknown kind %q", it.ID, it.Kind)
	case it.Kind == KindExperience && it.MinYears <= 0:
		return fmt.Errorf("experience item %q has no minimum years", it.ID)
	case it.Weight < 0:
		return fmt.Errorf("item %q has a negative weight", it.ID)
	}
	return nil
}

// ItemID derives an item's stable id from its text: case, punctuation and
// spacing are ignored, so cosmetic edits keep the id and the aggregates
// stay comparable across versions of a page.
func ItemID(text string) string {
	sum := sha256.Sum256([]byte(Normalize(text)))
	return hex.EncodeToString(sum[:5])
}

// Normalize folds text for comparison: lower case, letters and digits only,
// single spaces.
func Normalize(text string) string {
	var b strings.Builder
	space := false
	for _, r := range strings.ToLower(text) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		} else {
			space = true
		}
	}
	return b.String()
}

// Slugify makes a URL-safe slug from a title.
func Slugify(title string) string {
	return strings.ReplaceAll(Normalize(title), " ", "-")
}
