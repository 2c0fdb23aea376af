// Package catalog holds the published roles in memory, parsed once per
// import, so that pages never parse markdown or query role tables. It
// also keeps older versions parsed once each, for the results made
// against them.
package catalog

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/links"
	"github.com/rolefit/rolefit/internal/role"
)

// Entry is a role ready to serve.
type Entry struct {
	Role      *role.Role
	VersionID int64
	// Number is the version's number within the role, from 1.
	Number     int
	Edits      role.Edits
	Hash       string
	ImportedAt time.Time
	Archived   bool
	Warnings   []jobfamily.Warning
	// Overrides are the admin's item changes in Role, as stored; a
	// submission keeps them so that its result never moves.
	Overrides []role.Override

	// settings is what of the stored version the entry was built from
	// besides its id, for Sync to tell whether it changed.
	settings string
}

// Store is the storage the catalog loads from and saves imports to.
type Store interface {
	SaveRoleVersionWith(ctx context.Context, slug, title string, src []byte, hash string, includes []role.Include, edits role.Edits) (role.Version, error)
	CurrentRoleVersions(ctx context.Context) ([]role.Version, error)
}

// Catalog is the set of roles being served. It is safe for concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	entries map[string]*Entry

	// changing is held from reading a role's stored version to putting
	// its entry, so that of two changes racing, the one that read first
	// also puts first, and an older entry never replaces a newer one.
	changing sync.Mutex

	// parsed keeps versions as parsed, before overrides, by version id;
	// order is their insertion order, for eviction.
	pmu    sync.Mutex
	parsed map[int64]*jobfamily.Result
	order  []int64
}

// parsedMax bounds the versions kept parsed: results against old versions
// are read now and then, and a miss costs one parse.
const parsedMax = 128

// New returns an empty catalog.
func New() *Catalog {
	return &Catalog{entries: map[string]*Entry{}, parsed: map[int64]*jobfamily.Result{}}
}

// Get returns the entry for slug.
func (c *Catalog) Get(slug string) (*Entry, bool) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	e, ok := c.entries[slug]
	return e, ok
}

// List returns every entry, by title.
func (c *Catalog) List() []*Entry {
	c.mu.RLock()
	out := make([]*Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e)
	}
	c.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Role.Title < out[j].Role.Title })
	return out
}

// Put adds or replaces an entry.
func (c *Catalog) Put(e *Entry) {
	c.mu.Lock()
	c.entries[e.Role.Slug] = e
	c.mu.Unlock()
}

// Build parses a stored version, with the pages it extends when it was
// imported with them, and applies its overrides and edits.
func Build(v role.Version) (*Entry, error) {
	res, err := parse(v)
	if err != nil {
		return nil, err
	}
	return entry(v, res), nil
}

// ParseVersion parses a stored version's page as it was imported (with
// the pages it extends), before its overrides and edits.
func ParseVersion(v role.Version) (*jobfamily.Result, error) { return parse(v) }

func parse(v role.Version) (*jobfamily.Result, error) {
	res, err := jobfamily.Parse(v.Source, v.Slug+".md")
	if len(v.Includes) > 0 {
		pages := []jobfamily.Page{{Path: v.Slug + ".md", Src: v.Source}}
		for _, in := range v.Includes {
			pages = append(pages, jobfamily.Page{Path: in.Path, Src: in.Source})
		}
		set := jobfamily.ParseSet(context.Background(), pages)
		res, err = set[0].Result, set[0].Err
	}
	if err != nil {
		return nil, fmt.Errorf("catalog: role %q version %d: %w", v.Slug, v.ID, err)
	}
	// The slug is the stored one: a page's title may have changed since.
	res.Role.Slug = v.Slug
	return res, nil
}

// entry is version v served from its parse res, which it leaves unchanged.
func entry(v role.Version, res *jobfamily.Result) *Entry {
	return &Entry{Role: at(v, res, v.Overrides), VersionID: v.ID, Number: v.Number, Edits: v.Edits, Hash: v.Hash,
		ImportedAt: v.ImportedAt, Archived: v.Archived, Warnings: res.Warnings, Overrides: v.Overrides,
		settings: settingsOf(v)}
}

// settingsOf sums up the settings of a stored version that an entry
// shows, other than the version itself.
func settingsOf(v role.Version) string {
	ovs, _ := json.Marshal(v.Overrides) // plain data: cannot fail
	return fmt.Sprintf("%q %q %t %s", v.ApplyURL, v.SourceURL, v.Archived, ovs)
}

// at is the role of parse res with overrides ovs and v's settings and
// edits.
func at(v role.Version, res *jobfamily.Result, ovs []role.Override) *role.Role {
	r := res.Role.Clone()
	r.ApplyURL = v.ApplyURL
	r.ApplyOverrides(ovs)
	r.ApplyEdits(v.Edits)
	// The source URL set on the version wins over the one a draft was
	// published with; links are resolved after both.
	if v.SourceURL != "" {
		r.SourceURL = v.SourceURL
	}
	resolveLinks(r)
	return r
}

// build is Build through the cache of parsed versions.
func (c *Catalog) build(v role.Version) (*Entry, error) {
	res, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return entry(v, res), nil
}

// RoleAt returns the role of stored version v with the overrides ovs in
// force, as they were when a check of it was made. Each version is parsed
// once; the result is the caller's to keep.
func (c *Catalog) RoleAt(v role.Version, ovs []role.Override) (*role.Role, error) {
	res, err := c.parse(v)
	if err != nil {
		return nil, err
	}
	return at(v, res, ovs), nil
}

// parse returns version v parsed, from the cache when it is there. The
// parse is never changed once made: callers clone it.
func (c *Catalog) parse(v role.Version) (*jobfamily.Result, error) {
	c.pmu.Lock()
	res, ok := c.parsed[v.ID]
	c.pmu.Unlock()
	if ok {
		return res, nil
	}
	res, err := parse(v)
	if err != nil {
		return nil, err
	}
	c.pmu.Lock()
	defer c.pmu.Unlock()
	if _, ok := c.parsed[v.ID]; !ok {
		if len(c.order) >= parsedMax {
			delete(c.parsed, c.order[0])
			c.order = c.order[1:]
		}
		c.parsed[v.ID] = res
		c.order = append(c.order, v.ID)
	}
	return res, nil
}

// resolveLinks points the relative links in r's text at the page it was
// published at, or shows them as text when that is unknown, so that no
// page of rolefit links into rolefit by accident.
func resolveLinks(r *role.Role) {
	fix := func(items []role.Item) {
		for i := range items {
			items[i].HTML = links.Rewrite(items[i].HTML, r.SourceURL, false)
			// A clone shares its details with the parse it came from.
			details := make([]string, len(items[i].DetailsHTML))
			for j, d := range items[i].DetailsHTML {
				details[j] = links.Rewrite(d, r.SourceURL, false)
			}
			items[i].DetailsHTML = details
		}
	}
	r.Intro = links.Rewrite(r.Intro, r.SourceURL, false)
	groups := []*role.Group{&r.Family}
	for i := range r.Specialties {
		groups = append(groups, &r.Specialties[i])
	}
	for _, g := range groups {
		fix(g.Responsibilities)
		fix(g.Requirements)
	}
	for i := range r.Levels {
		fix(r.Levels[i].Responsibilities)
		fix(r.Levels[i].Requirements)
	}
}

// Load fills a new catalog with the current version of every stored role.
func Load(ctx context.Context, s Store) (*Catalog, error) {
	vs, err := s.CurrentRoleVersions(ctx)
	if err != nil {
		return nil, err
	}
	c := New()
	for _, v := range vs {
		e, err := c.build(v)
		if err != nil {
			return nil, err
		}
		c.Put(e)
	}
	return c, nil
}

// ImportSet stores and serves one page of a set parsed by
// jobfamily.ParseSet, with the pages its links resolved to. It reports
// whether the page was unchanged: the role's current version already had
// these bytes, so no version was added.
func (c *Catalog) ImportSet(ctx context.Context, s Store, pages []jobfamily.Page, out []jobfamily.PageResult, i int) (e *Entry, unchanged bool, err error) {
	res := out[i].Result
	src := pages[i].Src
	var includes []role.Include
	for _, j := range jobfamily.Uses(out, i) {
		includes = append(includes, role.Include{Path: pages[j].Path, Source: pages[j].Src})
	}
	slug, edits := c.importTarget(&res.Role)
	hash := VersionHash(src, edits)
	cur, ok := c.Get(slug)
	unchanged = ok && cur.Hash == hash
	if unchanged && len(includes) == 0 {
		return cur, true, nil
	}
	v, err := s.SaveRoleVersionWith(ctx, slug, titleOf(&res.Role, edits), src, hash, includes, edits)
	if err != nil {
		return nil, false, err
	}
	if e, err = c.build(v); err != nil {
		return nil, false, err
	}
	c.Put(e)
	return e, unchanged, nil
}

// Import parses a page and, unless it is refused, stores it as the role's
// newest version and serves it. name is the file name, for messages. A
// page of a role that exists keeps the admin's edits of its current
// version; a new role is named by its cleaned title.
func (c *Catalog) Import(ctx context.Context, s Store, src []byte, name string) (*Entry, error) {
	res, err := jobfamily.Parse(src, name)
	if err != nil {
		return nil, err
	}
	slug, edits := c.importTarget(&res.Role)
	return c.Publish(ctx, s, src, slug, nil, edits)
}

// importTarget is where an imported page goes and the edits it keeps: the
// role it belongs to with that role's current edits, or a new role named
// by its cleaned title.
func (c *Catalog) importTarget(r *role.Role) (string, role.Edits) {
	slug := c.DefaultSlug(r)
	var edits role.Edits
	if e, ok := c.Get(slug); ok {
		edits = e.Edits
	} else if t := role.CleanTitle(r.Title); t != r.Title {
		edits.Title = t
	}
	return slug, edits
}

// titleOf is the title a page is stored under with the admin's edits.
func titleOf(r *role.Role, edits role.Edits) string {
	if edits.Title != "" {
		return edits.Title
	}
	return r.Title
}

// DefaultSlug is the slug a parsed page is published under unless the
// admin chooses another: the role's that the page already belongs to, else
// one made from the cleaned title.
func (c *Catalog) DefaultSlug(r *role.Role) string {
	if _, ok := c.Get(r.Slug); ok {
		return r.Slug
	}
	if s := role.Slugify(role.CleanTitle(r.Title)); s != "" {
		return s
	}
	return r.Slug
}

// Publish stores a page, with the pages it extends, and the admin's edits
// as the newest version of the role slug and serves it. Publishing what
// the current version holds already adds no version.
func (c *Catalog) Publish(ctx context.Context, s Store, src []byte, slug string, includes []role.Include, edits role.Edits) (*Entry, error) {
	res, err := parse(role.Version{Slug: slug, Source: src, Includes: includes})
	if err != nil {
		return nil, err
	}
	c.changing.Lock()
	defer c.changing.Unlock()
	v, err := s.SaveRoleVersionWith(ctx, slug, titleOf(&res.Role, edits), src, VersionHash(src, edits), includes, edits)
	if err != nil {
		return nil, err
	}
	e, err := c.build(v)
	if err != nil {
		return nil, err
	}
	c.Put(e)
	return e, nil
}

// VersionHash names a page and its edits together. A page without edits
// keeps the hash of its bytes alone, as versions stored before edits
// existed have.
func VersionHash(src []byte, edits role.Edits) string {
	if edits.Empty() {
		return jobfamily.Hash(src)
	}
	ed, _ := json.Marshal(edits)
	return jobfamily.Hash(append(append(append([]byte(nil), src...), 0), ed...))
}

// Sync serves every role's current stored version where it differs from
// the one served: a version or a setting changed by another rolefit
// instance on the same database. It returns how many entries changed.
func (c *Catalog) Sync(ctx context.Context, s Store) (int, error) {
	c.changing.Lock()
	defer c.changing.Unlock()
	vs, err := s.CurrentRoleVersions(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, v := range vs {
		if e, ok := c.Get(v.Slug); ok && e.VersionID == v.ID && e.settings == settingsOf(v) {
			continue
		}
		e, err := c.build(v)
		if err != nil {
			return n, err
		}
		c.Put(e)
		n++
	}
	return n, nil
}

// Refresh serves slug's current stored version again, as current reads it
// with the role's settings, after a change to those settings. Reading and
// putting happen under one lock with Import, so a refresh that read before
// another change cannot put its older entry after that change's.
func (c *Catalog) Refresh(ctx context.Context, slug string, current func(context.Context, string) (role.Version, error)) error {
	c.changing.Lock()
	defer c.changing.Unlock()
	v, err := current(ctx, slug)
	if err != nil {
		return err
	}
	e, err := Build(v)
	if err != nil {
		return err
	}
	c.Put(e)
	return nil
}
