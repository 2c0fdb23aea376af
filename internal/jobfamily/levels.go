package jobfamily

import (
	"path"
	"regexp"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/yuin/goldmark/ast"
)

func (p *parser) hasLevels() bool {
	for _, h := range p.heads {
		if h.isLevel {
			return true
		}
	}
	return false
}

// levelMarker marks level headings in document order. After a group or
// closing heading, the headings it spans are not levels; a sibling heading
// ends the group only when it looks like the levels before it: a page whose
// levels state their grade under a Job Grade heading may list its
// specialties ("Widget Maker (Retail)") as siblings with sections but no
// grade.
type levelMarker struct {
	closed     int // depth of the open group or closing heading, 0 for none
	inGroup    bool
	graded     bool // a level so far has a grade heading
	levelDepth int  // depth of the last level
}

func (m *levelMarker) level(h *headInfo) {
	h.isLevel = true
	m.levelDepth = h.depth
	if h.hasGrade {
		m.graded = true
	}
}

// skip reports whether a plain heading stays inside the open group or
// closing region.
func (m *levelMarker) skip(h *headInfo) bool {
	if m.closed == 0 {
		return false
	}
	if !m.inGroup && h.qualifies {
		// A closing section ends only its own bullets: a level with its
		// own sections may follow it, even nested under it.
		m.closed = 0
		return false
	}
	if h.depth > m.closed {
		return true
	}
	if m.inGroup {
		switch {
		case m.levelDepth > 0 && h.depth > m.levelDepth:
			return true // still inside the level that holds the group
		case h.qualifies && m.graded && !h.hasGrade:
			return true
		case !h.qualifies && h.depth == m.closed:
			return true
		}
	} else if h.depth == m.closed && !h.qualifies {
		return true
	}
	m.closed, m.inGroup = 0, false
	return false
}

// skipPeek reports whether skip would keep h inside the open group or
// closing region, without ending the region.
func (m *levelMarker) skipPeek(h *headInfo) bool {
	save := *m
	defer func() { *m = save }()
	return m.skip(h)
}

func (m *levelMarker) open(h *headInfo) {
	if m.closed == 0 || h.depth <= m.closed {
		m.closed = h.depth
		m.inGroup = h.class == classGroup
	}
}

// detectLevels marks the level headings: those under a Levels heading at
// the depth of the first one (a page can have several Levels headings:
// "Individual Contributor Levels", "People Manager Levels"), else those
// whose subtree holds a grade or a section heading. Nothing inside a group
// or closing region is a level.
func (p *parser) detectLevels() {
	var containers []int
	for i, h := range p.heads {
		if h.class == classLevels {
			containers = append(containers, i)
		}
	}
	if len(containers) == 0 {
		p.markQualified(0)
		return
	}
	p.container = p.heads[containers[0]]
	m := &levelMarker{}
	found := false
	for _, ci := range containers {
		if p.markContainer(ci, m) {
			found = true
		}
	}
	if found {
		// Levels written after the Levels section ends ("## Manager, X"
		// with its own Job Grade after "## Levels" → "### Specialist").
		if after := p.subtreeEnd(containers[len(containers)-1]); after < len(p.heads) {
			p.markQualified(after)
		}
		return
	}
	if p.markQualified(containers[0]+1) > 0 {
		return
	}
	c := p.container
	if p.hasSectionsOutside(c) {
		// A per-level page of a split family: its Levels section is a list
		// of links to the other levels, its own lists sit outside it.
		p.warn(c.line, "the Levels section only links to other pages: imported as one level")
		p.container = nil
		return
	}
	// A Levels section with no level headings: it links to other pages.
	p.linkOnly = true
	end := p.totalLines
	for j := containers[0] + 1; j < len(p.heads); j++ {
		if p.heads[j].depth <= c.depth {
			end = p.heads[j].line - 1
			break
		}
	}
	p.linkOnlyLine = [2]int{c.line, max(end, c.line)}
}

// hasSectionsOutside reports whether a Responsibilities, Requirements or
// bonus heading sits outside the subtree of heading c.
func (p *parser) hasSectionsOutside(c *headInfo) bool {
	inside := false
	for _, h := range p.heads {
		if h == c {
			inside = true
			continue
		}
		if inside && h.depth <= c.depth {
			inside = false
		}
		if !inside && (h.class == classResp || h.class == classReq || h.class == classBonus || h.class == classArea) {
			return true
		}
	}
	return false
}

// markContainer marks the levels under the Levels heading heads[ci] and
// reports whether it found any. When the Levels heading starts with a list
// naming the levels (a per-level page links to its siblings and names
// itself), only headings matching a listed name are levels; the others
// (team specialties) become groups.
func (p *parser) markContainer(ci int, m *levelMarker) bool {
	c := p.heads[ci]
	names := p.listedNames(c)
	levelDepth, found := 0, false
	trackEnd := -1 // the end of the open track heading's subtree
	m.closed, m.inGroup = 0, false
	for j := ci + 1; j < len(p.heads); j++ {
		h := p.heads[j]
		if h.depth <= c.depth {
			break
		}
		if j < trackEnd {
			// Inside a track ("Individual contributor track"), the
			// headings that qualify are its levels.
			if h.class == classOther && h.qualifies {
				m.level(h)
				found = true
			}
			continue
		}
		if h.class == classOther && !h.qualifies && !m.skipPeek(h) && p.hasQualifiedChild(h) {
			trackEnd = p.subtreeEnd(j)
			continue
		}
		if h.class == classClosing || h.class == classGroup {
			m.open(h)
			continue
		}
		if h.class != classOther || m.skip(h) {
			if h.class == classOther && m.closed > 0 && m.inGroup {
				h.groupMember = true
			}
			continue
		}
		if levelDepth == 0 {
			levelDepth = h.depth
		}
		if h.depth > levelDepth {
			continue
		}
		if len(names) > 0 && !nameListed(names, h.text) {
			if h.qualifies {
				h.class = classGroup
				h.teamGroup = true
			}
			continue
		}
		m.level(h)
		found = true
	}
	return found
}

// listedNames returns the plain texts of the bullets right under a Levels
// heading, before any other heading, when some of them are links (a list of
// the family's level pages); otherwise nil.
func (p *parser) listedNames(c *headInfo) []string {
	start := c.block + 1
	var names []string
	links := 0
	for i := start; i < len(p.blocks) && p.headAt[i] == nil; i++ {
		list, ok := p.blocks[i].(*ast.List)
		if !ok {
			continue
		}
		for _, it := range p.itemsOfQuiet(list) {
			if len(it.links) > 0 {
				links++
			}
			names = append(names, it.text)
		}
	}
	if links == 0 || links == len(names) {
		return nil
	}
	return names
}

func nameListed(names []string, title string) bool {
	tt := titleTokens(title)
	for _, n := range names {
		if sc, _, _ := matchScore(titleTokens(n), tt); sc >= 2 {
			return true
		}
	}
	return false
}

// markQualified marks qualifying headings from heads[from:] as levels and
// returns how many it marked.
func (p *parser) markQualified(from int) int {
	n := 0
	m := &levelMarker{}
	var gradeNext []*headInfo
	depths := map[int]bool{}
	for _, h := range p.heads[from:] {
		switch h.class {
		case classClosing, classGroup:
			m.open(h)
		case classOther:
			if m.skip(h) {
				if m.closed > 0 && m.inGroup {
					h.groupMember = true
				}
				continue
			}
			if h.qualifies {
				m.level(h)
				depths[h.depth] = true
				n++
			} else if h.idx+1 < len(p.heads) && p.heads[h.idx+1].class == classGrade && p.heads[h.idx+1].depth == h.depth {
				gradeNext = append(gradeNext, h)
			}
		default:
			if m.closed > 0 && h.depth < m.closed && !m.inGroup {
				m.closed = 0
			}
		}
	}
	// "## Contract Manager" then "## Job Grades" with the grade and the
	// sections: a level whose Job Grade heading is its sibling, on a page
	// whose other levels sit at the same depth.
	for _, h := range gradeNext {
		if depths[h.depth] {
			h.isLevel, h.hasGrade = true, true
			n++
		}
	}
	return n
}

func (p *parser) roleTitle() string {
	if p.fm.Title != "" {
		return p.fm.Title
	}
	for _, h := range p.heads {
		if h.text != "" && h.class == classOther && !h.isLevel {
			return h.text
		}
	}
	base := path.Base(strings.ReplaceAll(p.name, `\`, "/"))
	base = strings.TrimSuffix(base, path.Ext(base))
	base = strings.Trim(strings.TrimSuffix(strings.TrimSuffix(base, "_index"), "index"), "_-. ")
	if base == "" {
		base = "role"
	}
	return strings.NewReplacer("__", " ", "_", " ", "-", " ").Replace(base)
}

var trailingRolesRe = regexp.MustCompile(`(?i)\s*[-–:]?\s*\b(?:roles?|job\s+famil(?:y|ies))\s*$`)

// singleLevelTitle names the one level of a single-role page from the
// page title, without a trailing "Roles" or "Job Family".
func singleLevelTitle(title string) string {
	t := strings.TrimSpace(trailingRolesRe.ReplaceAllString(title, ""))
	if t == "" {
		return title
	}
	return t
}

var sectionWordsRe = regexp.MustCompile(`(?i)[\s:,–-]*(?:(?:job\s+)?grades?|responsib\w*|requir\w*|qualifications|duties|nice[\s-]+to[\s-]+haves?|what\s+you.?ll\s+do)\s*$`)

// ladderSection starts a new level at a section heading whose prefix names
// another rung of the same ladder than the current level: "#### Staff
// Security Engineer Responsibilities" right after the Senior Security
// Engineer's sections, with no "### Staff Security Engineer" heading.
func (p *parser) ladderSection(h *headInfo) {
	prefix := strings.TrimSpace(sectionWordsRe.ReplaceAllString(h.text, ""))
	if prefix == "" || prefix == h.text {
		return
	}
	cur := p.levels[p.cur].level.Title
	key, curKey := shortSlug(prefix), shortSlug(cur)
	if key == "" || curKey == "" || key == curKey {
		return
	}
	rest, curRest := withoutLadder(prefix), withoutLadder(cur)
	if len(rest) > 0 || len(curRest) > 0 {
		if sc, _, _ := matchScore(rest, curRest); sc < 2 {
			return
		}
	}
	if p.exactLevel(titleTokens(prefix)) {
		return
	}
	p.warn(h.line, "section heading %q names another level than %q: level %q started", h.text, cur, prefix)
	p.addLevel(&levelState{level: role.Level{Title: prefix}, line: h.line})
	p.cur = len(p.levels) - 1
}

// withoutLadder returns a title's tokens without its ladder and management
// words.
func withoutLadder(title string) []string {
	var out []string
	for _, t := range titleTokens(title) {
		if _, ok := ladderWords[t]; ok {
			continue
		}
		if _, ok := mgmtWords[t]; ok {
			continue
		}
		out = append(out, t)
	}
	return out
}

// addLevel appends a level and indexes its folded title.
func (p *parser) addLevel(l *levelState) {
	l.tokens = titleTokens(l.level.Title)
	if key := strings.Join(l.tokens, " "); key != "" {
		p.exact[key] = append(p.exact[key], len(p.levels))
	}
	p.levels = append(p.levels, l)
}
