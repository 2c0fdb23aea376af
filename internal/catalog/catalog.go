// Package catalog holds the published roles in memory, parsed once per
// import, so that pages never parse markdown or query role tables.
package catalog

import (
	"context"
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
	Role       *role.Role
	VersionID  int64
	Hash       string
	ImportedAt time.Time
	Archived   bool
	Warnings   []jobfamily.Warning
}

// Store is the storage the catalog loads from and saves imports to.
type Store interface {
	SaveRoleVersion(ctx context.Context, slug, title string, src []byte, hash string) (role.Version, error)
	CurrentRoleVersions(ctx context.Context) ([]role.Version, error)
}

// Catalog is the set of roles being served. It is safe for concurrent use.
type Catalog struct {
	mu      sync.RWMutex
	entries map[string]*Entry
}

// New returns an empty catalog.
func New() *Catalog { return &Catalog{entries: map[string]*Entry{}} }

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

// Build parses a stored version and applies its overrides.
func Build(v role.Version) (*Entry, error) {
	res, err := jobfamily.Parse(v.Source, v.Slug+".md")
	if err != nil {
		return nil, fmt.Errorf("catalog: role %q version %d: %w", v.Slug, v.ID, err)
	}
	r := res.Role
	// The slug is the stored one: a page's title may have changed since.
	r.Slug = v.Slug
	r.ApplyURL = v.ApplyURL
	if v.SourceURL != "" {
		r.SourceURL = v.SourceURL
	}
	resolveLinks(&r)
	r.ApplyOverrides(v.Overrides)
	return &Entry{Role: &r, VersionID: v.ID, Hash: v.Hash, ImportedAt: v.ImportedAt, Archived: v.Archived, Warnings: res.Warnings}, nil
}

// resolveLinks points the relative links in r's text at the page it was
// published at, or shows them as text when that is unknown, so that no
// page of rolefit links into rolefit by accident.
func resolveLinks(r *role.Role) {
	fix := func(items []role.Item) {
		for i := range items {
			items[i].HTML = links.Rewrite(items[i].HTML, r.SourceURL, false)
			for j, d := range items[i].DetailsHTML {
				items[i].DetailsHTML[j] = links.Rewrite(d, r.SourceURL, false)
			}
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
		e, err := Build(v)
		if err != nil {
			return nil, err
		}
		c.Put(e)
	}
	return c, nil
}

// Import parses a page and, unless it is refused, stores it as the role's
// newest version and serves it. name is the file name, for messages.
func (c *Catalog) Import(ctx context.Context, s Store, src []byte, name string) (*Entry, error) {
	res, err := jobfamily.Parse(src, name)
	if err != nil {
		return nil, err
	}
	v, err := s.SaveRoleVersion(ctx, res.Role.Slug, res.Role.Title, src, jobfamily.Hash(src))
	if err != nil {
		return nil, err
	}
	e, err := Build(v)
	if err != nil {
		return nil, err
	}
	c.Put(e)
	return e, nil
}
