package jobfamily

import (
	"context"
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
)

// Across pages. A handbook splits a family over several pages, and a level
// on one page may extend a role on another ("Extends the Backend Engineer
// role", or a link to its page). Imported together (a folder, an archive),
// such a link resolves by the other page's level titles, its role title or
// its path; the target level's items, as they apply to it on its own page,
// are brought into the linking role as a level of their own, which the
// linking level extends. The role stays self-contained: it needs no other
// page to be scored.

// Page is one file of a handbook imported with others.
type Page struct {
	// Path is the file's path inside the folder or archive, with "/"
	// separators; it names the page in messages and resolves links.
	Path string
	Src  []byte
}

// PageResult is the outcome of one page of a set: a result or an error.
type PageResult struct {
	Path   string
	Result *Result
	Err    error
	// uses are the pages the result brought levels in from.
	uses []int
}

// Uses returns the indexes of the pages result i needs to be parsed again,
// those it brought levels in from and theirs, in order.
func Uses(out []PageResult, i int) []int {
	seen := map[int]bool{i: true}
	todo := append([]int(nil), out[i].uses...)
	var all []int
	for len(todo) > 0 {
		j := todo[len(todo)-1]
		todo = todo[:len(todo)-1]
		if seen[j] {
			continue
		}
		seen[j] = true
		all = append(all, j)
		todo = append(todo, out[j].uses...)
	}
	sort.Ints(all)
	return all
}

// openLink is an inheritance statement the page itself does not resolve.
type openLink struct {
	level *levelState
	line  int
	text  string
	inh   inheritance
}

func unresolvedMessage(text string) string {
	return fmt.Sprintf("inheritance %q: no level matches; ignored", text)
}

// pageRef is a level of another page: the page's index and the level's.
type pageRef struct{ page, level int }

// ParseSet parses pages imported together and resolves the inheritance
// links between them. Results come in the order of pages. A cycle of
// pages extending each other is broken, with a warning, where the walk
// met it. The cost is that of parsing each page plus a lookup per link.
func ParseSet(ctx context.Context, pages []Page) []PageResult {
	out := make([]PageResult, len(pages))
	for i, pg := range pages {
		res, err := ParseContext(ctx, pg.Src, path.Base(pg.Path))
		out[i] = PageResult{Path: pg.Path, Result: res, Err: err}
	}
	s := &pageSet{out: out, byTitle: map[string][]pageRef{}, byPath: map[string][]int{}, state: make([]byte, len(out))}
	for i, r := range out {
		if r.Err != nil {
			continue
		}
		ro := &r.Result.Role
		s.index(strings.Join(titleTokens(ro.Title), " "), pageRef{i, s.mainLevel(ro)})
		for j := range ro.Levels {
			s.index(strings.Join(titleTokens(ro.Levels[j].Title), " "), pageRef{i, j})
		}
		for _, k := range pathKeys(r.Path) {
			s.byPath[k] = append(s.byPath[k], i)
		}
	}
	for i := range out {
		if ctx.Err() != nil {
			break
		}
		s.resolve(i)
	}
	return out
}

type pageSet struct {
	out     []PageResult
	byTitle map[string][]pageRef
	byPath  map[string][]int
	// state of each page's cross-page resolution: 0 not started, 1 in
	// progress (a page met again now closes a cycle), 2 done.
	state []byte
}

func (s *pageSet) index(key string, ref pageRef) {
	if key == "" || ref.level < 0 {
		return
	}
	for _, r := range s.byTitle[key] {
		if r == ref {
			return
		}
	}
	s.byTitle[key] = append(s.byTitle[key], ref)
}

// mainLevel is the level a link to the whole role means: the one titled
// like the role, else its first level.
func (s *pageSet) mainLevel(ro *role.Role) int {
	want := strings.Join(titleTokens(singleLevelTitle(ro.Title)), " ")
	for j := range ro.Levels {
		if strings.Join(titleTokens(ro.Levels[j].Title), " ") == want {
			return j
		}
	}
	if len(ro.Levels) == 0 {
		return -1
	}
	return 0
}

// pathKeys returns the keys a page can be linked by: its path without the
// extension or an index file name, and each shorter tail of it.
func pathKeys(p string) []string {
	p = strings.ToLower(strings.Trim(strings.ReplaceAll(p, `\`, "/"), "/"))
	if i := strings.IndexAny(p, "#?"); i >= 0 {
		p = p[:i]
	}
	p = strings.TrimSuffix(p, path.Ext(p))
	p = strings.TrimSuffix(strings.TrimSuffix(p, "_index"), "index")
	p = strings.Trim(p, "/")
	// Flattened handbook paths use "__" for "/".
	segs := strings.FieldsFunc(strings.ReplaceAll(p, "__", "/"), func(r rune) bool { return r == '/' })
	var keys []string
	for i := range segs {
		keys = append(keys, strings.Join(segs[i:], "/"))
	}
	return keys
}

// resolve resolves the open links of page i, after those of the pages it
// links to, so that inheritance is transitive across pages.
func (s *pageSet) resolve(i int) {
	if s.state[i] != 0 || s.out[i].Err != nil {
		return
	}
	s.state[i] = 1
	res := s.out[i].Result
	brought := map[pageRef]string{} // target → the slug of its copy here
	done := map[Warning]bool{}      // the warnings of the links resolved
	for _, lk := range res.open {
		l := res.levelOf(lk.level)
		if l == nil {
			continue // dropped
		}
		ref, ok := s.find(i, lk)
		if !ok {
			continue
		}
		if l.Extends != "" {
			// Linked already: by the page, or by another of its links
			// to the same level (its responsibilities and requirements).
			if brought[ref] == l.Extends {
				done[Warning{Line: lk.line, Message: unresolvedMessage(lk.text)}] = true
			}
			continue
		}
		if s.state[ref.page] == 1 {
			res.Warnings = append(res.Warnings, Warning{Line: lk.line, Message: fmt.Sprintf("%q: pages %s and %s extend each other; cycle broken here", lk.text, s.out[i].Path, s.out[ref.page].Path)})
			continue
		}
		s.resolve(ref.page)
		slug, ok := brought[ref]
		if !ok {
			slug = res.bring(s.out[ref.page].Result, ref.level, s.out[ref.page].Path)
			brought[ref] = slug
			s.out[i].uses = append(s.out[i].uses, ref.page)
		}
		// bring may have moved the levels: find the linking one again.
		res.levelOf(lk.level).Extends = slug
		done[Warning{Line: lk.line, Message: unresolvedMessage(lk.text)}] = true
		res.Warnings = append(res.Warnings, Warning{Line: lk.line, Message: fmt.Sprintf("%q resolved to %q on %s", lk.text, s.out[ref.page].Result.Role.Levels[ref.level].Title, s.out[ref.page].Path)})
	}
	if len(done) > 0 {
		kept := res.Warnings[:0]
		for _, w := range res.Warnings {
			if !done[w] {
				kept = append(kept, w)
			}
		}
		res.Warnings = kept
		sort.SliceStable(res.Warnings, func(a, b int) bool { return res.Warnings[a].Line < res.Warnings[b].Line })
	}
	s.state[i] = 2
}

// find looks a link's targets up among the other pages: by the paths it
// links to, then by exact title. An ambiguous key resolves nothing.
func (s *pageSet) find(self int, lk openLink) (pageRef, bool) {
	for _, dest := range lk.inh.paths {
		for _, k := range pathKeys(stripHost(dest)) {
			if pages := s.byPath[k]; len(pages) == 1 && pages[0] != self {
				return pageRef{pages[0], s.mainLevel(&s.out[pages[0]].Result.Role)}, true
			}
		}
	}
	for _, t := range lk.inh.targets {
		name := t.value
		if t.kind == targetAnchor {
			name = t.fallback
		} else if t.kind != targetName {
			continue
		}
		var refs []pageRef
		for _, r := range s.byTitle[strings.Join(titleTokens(name), " ")] {
			if r.page != self {
				refs = append(refs, r)
			}
		}
		if len(refs) == 1 {
			return refs[0], true
		}
	}
	return pageRef{}, false
}

// stripHost drops a URL's scheme and host, keeping its path.
func stripHost(dest string) string {
	if i := strings.Index(dest, "://"); i >= 0 {
		rest := dest[i+3:]
		if j := strings.IndexByte(rest, '/'); j >= 0 {
			return rest[j:]
		}
		return ""
	}
	return dest
}

// levelOf finds the level a parse-time level became in the result.
func (r *Result) levelOf(l *levelState) *role.Level {
	return r.Role.Level(l.level.Slug)
}

// bring copies level j of another page's role into r as a level of its
// own, holding every item that applies to it there, and returns its slug.
// It goes first: the levels that extend it come after it.
func (r *Result) bring(from *Result, j int, where string) string {
	src := &from.Role.Levels[j]
	l := role.Level{Title: src.Title, Grade: src.Grade, ReportsTo: src.ReportsTo}
	for _, sec := range role.Sections {
		var items []role.Item
		for _, e := range from.Role.EffectiveItems(src.Slug, sec) {
			items = append(items, e.Item)
		}
		if sec == role.Responsibilities {
			l.Responsibilities = items
		} else {
			l.Requirements = items
		}
	}
	base := "from-" + role.Slugify(src.Title)
	l.Slug = base
	for n := 2; r.Role.Level(l.Slug) != nil; n++ {
		l.Slug = fmt.Sprintf("%s-%d", base, n)
	}
	r.Role.Levels = append([]role.Level{l}, r.Role.Levels...)
	r.Warnings = append(r.Warnings, Warning{Line: 1, Message: fmt.Sprintf("level %q brought in from %s (%d items) for the levels that extend it", src.Title, where, len(l.Responsibilities)+len(l.Requirements))})
	return l.Slug
}
