package jobfamily

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/rolefit/rolefit/internal/role"
)

// headInfo is one heading of the page.
type headInfo struct {
	idx     int // position among the headings
	depth   int
	text    string
	line    int
	class   headClass
	closing closingKind
	anchor  string
	isLevel bool
	// qualifies is set when the heading's own subtree holds a grade or a
	// section heading, which makes it a level on a page with no container.
	qualifies bool
	// hasGrade is set when that heading is a Job Grade heading.
	hasGrade bool
	// groupMember marks a plain heading that continues a specialty group
	// although it is not nested under the group heading.
	groupMember bool
	// teamGroup marks a heading under a Levels heading that the level list
	// does not name: a team or specialty, kept as a group.
	teamGroup bool
}

// region is the part of the page the walker is in.
type region int

const (
	regPre       region = iota // before the first level: intro and family lists
	regContainer               // after a Levels heading, before its first level
	regLevel                   // inside a level
	regGroup                   // inside a specialty or other group
	regClosing                 // inside a closing section
	regTrailer                 // after a closing section has ended
)

// section is the list a heading opened.
type section int

const (
	secNone section = iota
	secIntro
	secResp
	secReq
	secBonus
	secGrade
	secOther
)

// owner says what a heading belongs to, for resolving anchors.
type owner struct {
	base  bool
	level int // index, -1 for none
}

// levelState is a level under construction.
type levelState struct {
	level     role.Level
	head      *headInfo
	line      int
	leadReq   bool
	leadResp  bool
	gradeLine int
	gradeFrom string
	seen      map[role.Section]map[string]bool
}

type pendingLink struct {
	level   int
	sec     role.Section // "" for a level-intro sentence (both sections)
	line    int
	text    string
	inh     inheritance
	section section
}

// groupInfo is a group heading and how many non-empty specialties it holds.
type groupInfo struct {
	head  *headInfo
	specs int
}

type gradeRow struct {
	label string
	grade int
	line  int
}

type parser struct {
	name       string
	src        []byte
	starts     []int
	totalLines int
	fm         frontMatter
	tags       []templateTag
	warnings   []Warning

	blocks []ast.Node
	heads  []*headInfo
	headAt map[int]*headInfo
	anchor map[string]*headInfo
	owners map[*headInfo]owner

	title        string
	single       bool
	container    *headInfo
	linkOnly     bool
	linkOnlyLine [2]int

	levels      []*levelState
	family      role.Group
	familySeen  map[role.Section]map[string]bool
	specialties []*role.Group
	specSeen    []map[role.Section]map[string]bool
	specLines   []int
	specGroup   []int
	groups      []*groupInfo
	pi          []string
	career      []string
	hiring      []string
	intro       []string
	gradeTable  []gradeRow
	links       []pendingLink
	guesses     []*kindGuesses

	// walker state
	region       region
	cur          int
	sec          section
	secHead      *headInfo
	groupHead    *headInfo
	groupFloor   int
	topic        *headInfo // section heading whose plain children are topics
	preGradeHead *headInfo // a Job Grade heading before any level
	preGrade     int
	preGradeLine int
	groupDefault role.Section
	spec         int
	specDepth    int
	closing      closingKind
	closingDepth int
	paraSteps    bool
	stepTitle    string
}

func newParser(src []byte, name string) *parser {
	return &parser{
		name:       name,
		headAt:     map[int]*headInfo{},
		anchor:     map[string]*headInfo{},
		owners:     map[*headInfo]owner{},
		familySeen: map[role.Section]map[string]bool{},
		cur:        -1,
		spec:       -1,
		src:        src,
	}
}

func (p *parser) warn(line int, format string, args ...any) {
	p.warnings = append(p.warnings, Warning{Line: line, Message: fmt.Sprintf(format, args...)})
}

func (p *parser) lineOf(off int) int { return lineOf(p.starts, off) }

// nodeLine returns the source line where a block starts.
func (p *parser) nodeLine(n ast.Node) int {
	for depth := 0; n != nil && depth < 64; depth++ {
		if n.Type() == ast.TypeBlock {
			if l := n.Lines(); l != nil && l.Len() > 0 {
				return p.lineOf(l.At(0).Start)
			}
		}
		if t, ok := n.(*ast.Text); ok {
			return p.lineOf(t.Segment.Start)
		}
		if n.FirstChild() == nil {
			break
		}
		n = n.FirstChild()
	}
	return 0
}

func (p *parser) run() (*Result, error) {
	src := cleanSource(p.src)
	p.totalLines = strings.Count(string(src), "\n")
	if len(src) > 0 && src[len(src)-1] != '\n' {
		p.totalLines++
	}
	fm, body := splitFrontMatter(src)
	p.fm = fm
	body, p.tags = stripTemplates(body)
	p.src = body
	p.starts = lineStarts(body)
	for _, t := range p.tags {
		switch {
		case t.Closing:
		case strings.Contains(strings.ToLower(t.Name), "performance"):
			p.warn(t.Line, "performance indicators provided by shortcode %q (dropped)", t.Name)
		default:
			p.warn(t.Line, "template tag %q dropped", t.Name)
		}
	}

	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(body))
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		p.blocks = append(p.blocks, c)
	}
	p.collectHeadings()
	p.detectLevels()
	p.title = p.roleTitle()

	if p.linkOnly {
		return nil, &RefusedError{Reason: "the Levels section only links to other pages: no levels on this page", FromLine: p.linkOnlyLine[0], ToLine: p.linkOnlyLine[1]}
	}
	if !p.hasLevels() {
		// A single role, or one level of a split family: one level named
		// from the front-matter title, never from a heading.
		p.single = true
		p.levels = append(p.levels, &levelState{level: role.Level{Title: singleLevelTitle(p.title)}, line: 1})
		p.cur = 0
		p.region = regLevel
		p.sec = secIntro
	}
	for i, b := range p.blocks {
		p.walk(i, b)
	}
	return p.finish()
}

func (p *parser) hasLevels() bool {
	for _, h := range p.heads {
		if h.isLevel {
			return true
		}
	}
	return false
}

func (p *parser) collectHeadings() {
	for i, b := range p.blocks {
		h, ok := b.(*ast.Heading)
		if !ok {
			continue
		}
		t := blockInline(h, p.src).Text()
		t = strings.TrimSpace(strings.TrimRight(t, ": "))
		info := &headInfo{idx: len(p.heads), depth: h.Level, text: t, line: p.nodeLine(h)}
		if info.line == 0 {
			info.line = p.lineBefore(i)
		}
		info.class, info.closing = classifyHeading(t)
		a := anchorOf(t)
		if a != "" {
			base := a
			for n := 1; p.anchor[a] != nil; n++ {
				a = fmt.Sprintf("%s-%d", base, n)
			}
			p.anchor[a] = info
		}
		info.anchor = a
		p.heads = append(p.heads, info)
		p.headAt[i] = info
	}
	// A heading qualifies as a level when a grade or section heading sits
	// in its own subtree, nearer to it than to any other plain heading.
	var stack []*headInfo
	for _, h := range p.heads {
		for len(stack) > 0 && stack[len(stack)-1].depth >= h.depth {
			stack = stack[:len(stack)-1]
		}
		switch h.class {
		case classGrade, classResp, classReq, classBonus:
			for k := len(stack) - 1; k >= 0; k-- {
				a := stack[k]
				if a.class == classOther {
					a.qualifies = true
					if h.class == classGrade {
						a.hasGrade = true
					}
					break
				}
				if a.class == classGroup || a.class == classClosing || a.class == classLevels {
					break
				}
			}
		}
		stack = append(stack, h)
	}
	// "Job Grades" over headings that are themselves levels is a Levels
	// heading in all but name.
	for _, h := range p.heads {
		if h.class == classGrade && (p.hasQualifiedChild(h) || (plural(h.text) && p.hasPlainChild(h))) {
			h.class = classLevels
		}
	}
}

// plural reports whether a Job Grade heading says "Grades": a list of the
// levels' grades, each under its own heading.
func plural(text string) bool {
	w := words(text)
	return len(w) > 0 && w[len(w)-1] == "grades"
}

// hasPlainChild reports whether a heading's subtree holds a plain heading.
func (p *parser) hasPlainChild(h *headInfo) bool {
	for _, c := range p.heads[h.idx+1:] {
		if c.depth <= h.depth {
			return false
		}
		if c.class == classOther {
			return true
		}
	}
	return false
}

// hasQualifiedChild reports whether a heading's subtree holds a plain
// heading that qualifies as a level.
func (p *parser) hasQualifiedChild(h *headInfo) bool {
	for j := h.idx + 1; j < len(p.heads); j++ {
		c := p.heads[j]
		if c.depth <= h.depth {
			return false
		}
		if c.class == classOther && c.qualifies {
			return true
		}
	}
	return false
}

// lineBefore finds a line for a block with no text of its own.
func (p *parser) lineBefore(blockIdx int) int {
	for i := blockIdx; i >= 0; i-- {
		if l := p.nodeLine(p.blocks[i]); l > 0 {
			return l
		}
	}
	return 1
}

// levelMarker marks level headings in document order. After a group or
// closing heading, the headings it spans are not levels; a sibling heading
// ends the group only when it looks like the levels before it: a page whose
// levels state their grade under a Job Grade heading lists its specialties
// ("Paralegal (Corporate)") as siblings with sections but no grade.
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

// subtreeEnd returns the index of the first heading after heads[i]'s
// subtree.
func (p *parser) subtreeEnd(i int) int {
	for j := i + 1; j < len(p.heads); j++ {
		if p.heads[j].depth <= p.heads[i].depth {
			return j
		}
	}
	return len(p.heads)
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
		if !inside && (h.class == classResp || h.class == classReq || h.class == classBonus) {
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
	m.closed, m.inGroup = 0, false
	for j := ci + 1; j < len(p.heads); j++ {
		h := p.heads[j]
		if h.depth <= c.depth {
			break
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
	start := -1
	for i := range p.blocks {
		if p.headAt[i] == c {
			start = i + 1
			break
		}
	}
	if start < 0 {
		return nil
	}
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

func (p *parser) walk(i int, b ast.Node) {
	switch n := b.(type) {
	case *ast.Heading:
		p.onHeading(p.headAt[i])
	case *ast.Paragraph:
		p.onParagraph(n)
	case *ast.TextBlock:
		p.onParagraph(n)
	case *ast.List:
		p.onList(n)
	case *east.Table:
		p.onTable(n)
	default:
		// HTML blocks, code, blockquotes and rules are opaque: no headings
		// or items inside them.
	}
}

func sectionOf(c headClass) section {
	switch c {
	case classGrade:
		return secGrade
	case classResp:
		return secResp
	case classReq:
		return secReq
	case classBonus:
		return secBonus
	}
	return secNone
}

func (p *parser) onHeading(h *headInfo) {
	if h == nil {
		return
	}
	p.stepTitle = ""
	if h.isLevel {
		p.levels = append(p.levels, &levelState{level: role.Level{Title: h.text}, head: h, line: h.line})
		p.cur = len(p.levels) - 1
		p.region = regLevel
		p.sec = secIntro
		p.secHead = h
		p.owners[h] = owner{level: p.cur}
		return
	}
	if h.groupMember && p.groupHead != nil && h.class == classOther {
		// A specialty written as a sibling of its Specialties heading.
		p.region = regGroup
		p.newSpecialty(h.text, h.line)
		p.specDepth = h.depth
		p.groupFloor = min(p.groupFloor, h.depth)
		p.sec = secNone
		return
	}
	switch p.region {
	case regGroup:
		keyword := h.class != classOther && h.class != classClosing && h.class != classGroup && h.class != classLevels
		if (h.depth > p.groupHead.depth && h.class != classClosing && h.class != classGroup && h.class != classLevels) ||
			(keyword && p.spec >= 0 && p.groupFloor < p.groupHead.depth && h.depth >= p.groupFloor) {
			p.inGroup(h)
			return
		}
		p.leaveRegion()
	case regClosing:
		if h.class == classOther && h.depth >= p.closingDepth {
			p.closingSub(h)
			return
		}
		if h.class != classClosing && h.class != classGroup && h.class != classLevels && h.depth > p.closingDepth {
			p.warn(h.line, "heading %q inside a closing section ignored", h.text)
			p.sec = secOther
			return
		}
		p.leaveRegion()
	}
	switch h.class {
	case classLevels:
		if p.single {
			p.sec = secOther
			p.secHead = h
			return
		}
		p.region = regContainer
		p.sec = secNone
		p.cur = -1
	case classGroup:
		p.startGroup(h, "")
	case classClosing:
		p.region = regClosing
		p.closing = h.closing
		p.closingDepth = h.depth
		p.paraSteps = false
		p.sec = secNone
	case classGrade, classResp, classReq, classBonus:
		if p.region == regLevel && !p.single && p.cur >= 0 {
			p.ladderSection(h)
		}
		p.sec = sectionOf(h.class)
		p.secHead = h
		p.topic = nil
		if h.class != classGrade && p.hasPlainChildren(h) {
			// "Responsibilities" → "Marketing technology", "Marketing
			// analysis": topic headings whose lists belong to the section.
			p.topic = h
		}
		switch p.region {
		case regLevel:
			p.owners[h] = owner{level: p.cur}
		case regPre, regContainer:
			if h.class == classGrade {
				// Kept for a page whose one level follows (a per-level
				// page); ignored otherwise.
				p.preGradeHead = h
				return
			}
			p.owners[h] = owner{base: true, level: -1}
		case regTrailer:
			p.warn(h.line, "section %q after the closing sections ignored", h.text)
			p.sec = secOther
		}
	default:
		if t := p.topic; t != nil && h.depth > t.depth && p.topicOwner() {
			return
		}
		p.topic = nil
		p.sec = secOther
		p.secHead = h
	}
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
	for _, l := range p.levels {
		if sc, _, _ := matchScore(titleTokens(prefix), titleTokens(l.level.Title)); sc == 3 {
			return
		}
	}
	p.warn(h.line, "section heading %q names another level than %q: level %q started", h.text, cur, prefix)
	p.levels = append(p.levels, &levelState{level: role.Level{Title: prefix}, line: h.line})
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

// topicOwner reports whether the section that opened the current topic
// headings is still the current section.
func (p *parser) topicOwner() bool {
	return p.secHead == p.topic && (p.sec == secResp || p.sec == secReq || p.sec == secBonus)
}

// hasPlainChildren reports whether a section-like heading has child
// headings that are neither keywords nor levels: then it is a group
// ("Location Specific Requirements" → "Australia", "Japan").
func (p *parser) hasPlainChildren(h *headInfo) bool {
	for j := h.idx + 1; j < len(p.heads); j++ {
		c := p.heads[j]
		if c.depth <= h.depth {
			return false
		}
		if c.isLevel {
			return false
		}
		if c.class == classOther {
			return true
		}
	}
	return false
}

func (p *parser) leaveRegion() {
	switch p.region {
	case regGroup:
		if p.cur >= 0 {
			p.region = regLevel
		} else {
			p.region = regPre
		}
	case regClosing:
		switch {
		case p.single:
			// A single role has nothing to close: "### Compensation"
			// before "## Responsibilities" must not hide them.
			p.region = regLevel
		case len(p.levels) == 0:
			// Performance indicators in the page intro: the family lists
			// and levels may still follow.
			p.region = regPre
		default:
			p.region = regTrailer
			p.cur = -1
		}
	}
	p.sec = secOther
}

func (p *parser) startGroup(h *headInfo, def role.Section) {
	if p.region == regClosing || p.region == regTrailer {
		p.cur = -1
	}
	p.region = regGroup
	p.groupHead = h
	p.groupFloor = h.depth
	p.groups = append(p.groups, &groupInfo{head: h})
	p.spec = -1
	p.specDepth = 0
	p.sec = secNone
	if def == "" {
		def = role.Responsibilities
		if sectionMentioned(h.text) == role.Requirements {
			def = role.Requirements
		}
	}
	p.groupDefault = def
}

func (p *parser) inGroup(h *headInfo) {
	if h.class == classOther {
		if p.spec < 0 || h.depth <= p.specDepth {
			p.newSpecialty(h.text, h.line)
			p.specDepth = h.depth
		}
		p.sec = secNone
		return
	}
	if p.spec < 0 {
		p.newSpecialty(p.groupHead.text, h.line)
		p.specDepth = h.depth
	}
	p.sec = sectionOf(h.class)
	if p.sec == secGrade {
		p.sec = secOther
	}
}

func (p *parser) newSpecialty(name string, line int) {
	p.specialties = append(p.specialties, &role.Group{Name: name})
	p.specSeen = append(p.specSeen, map[role.Section]map[string]bool{})
	p.spec = len(p.specialties) - 1
	p.specLines = append(p.specLines, line)
	p.specGroup = append(p.specGroup, len(p.groups)-1)
}

var stepNumberRe = regexp.MustCompile(`^\s*(?:step\s+|stage\s+)?\(?\d{1,2}\s*[.):]\)?\s*`)

// closingSub handles a heading inside a closing section: in the hiring
// process it names the next stage.
func (p *parser) closingSub(h *headInfo) {
	if p.closing == closeHiring {
		p.stepTitle = strings.TrimSpace(stepNumberRe.ReplaceAllString(h.text, ""))
	}
}

// onParagraph reads a paragraph or text block: grades, "reports to",
// inheritance sentences, the page intro and closing-section steps.
func (p *parser) onParagraph(n ast.Node) {
	in := blockInline(n, p.src)
	txt := in.Text()
	if txt == "" {
		return
	}
	line := p.nodeLine(n)
	switch p.region {
	case regPre, regContainer:
		if p.sec == secGrade && p.preGradeHead != nil && p.preGrade == 0 {
			if g, ok := findGrade(txt, in.links, true); ok {
				p.preGrade, p.preGradeLine = g, line
			}
			return
		}
		if p.region == regContainer {
			return
		}
		if (p.sec == secNone || p.sec == secOther) && len(p.intro) < 8 {
			p.intro = append(p.intro, "<p>"+in.HTML()+"</p>")
		}
	case regLevel:
		l := p.levels[p.cur]
		switch p.sec {
		case secIntro:
			if p.single && len(p.intro) < 8 {
				p.intro = append(p.intro, "<p>"+in.HTML()+"</p>")
			}
			p.levelIntro(l, in, txt, line)
		case secGrade:
			p.setGrade(l, txt, in.links, true, line, "section")
			// "The VP is a grade 12. This role extends the [Senior
			// Director](#senior-director) role."
			if inh, ok := parseInheritSentence(txt, in.links); ok {
				p.addLinkSection(line, txt, inh, "")
			}
		case secOther:
			// A sub-heading that repeats the level's name ("Field CISO
			// (Senior Director)" under "Field CISO") may state its grade.
			if l.level.Grade == nil && p.secHead != nil && p.secHead.class == classOther && l.head != nil &&
				p.secHead.depth > l.head.depth && namesLevel(p.secHead.text, l.level.Title) {
				p.setGrade(l, txt, in.links, false, line, "intro")
			}
		case secResp, secReq, secBonus:
			if inh, ok := parseInheritSentence(txt, in.links); ok {
				p.addLink(line, txt, inh)
			}
			if p.single && l.level.Grade == nil {
				p.setGrade(l, txt, in.links, false, line, "intro")
			}
		}
	case regClosing:
		p.closingParagraph(n, in, txt)
	}
}

var (
	reportsToRe = regexp.MustCompile(`(?i)\breports?\s+(?:directly\s+)?(?:in\s+)?to\s+(.+)$`)
	leadReqRe   = regexp.MustCompile(`(?i)\b(?:must|required|requires|require|requirements|should have|need to)\b[^.]*:\s*$`)
	leadRespRe  = regexp.MustCompile(`(?i)\b(?:will|you(?:'|’)?ll|responsibilit\w*|duties|expected to)\b[^.]*:\s*$`)
	leadArticle = regexp.MustCompile(`(?i)^(?:the|a|an|our)\s+`)
)

func (p *parser) levelIntro(l *levelState, in *inline, txt string, line int) {
	if l.level.Grade == nil {
		p.setGrade(l, txt, in.links, false, line, "intro")
	}
	lower := strings.ToLower(txt)
	if l.level.ReportsTo == "" && strings.Contains(lower, "report") {
		for _, s := range splitSentences(txt) {
			if m := reportsToRe.FindStringSubmatch(s); m != nil {
				r := m[1]
				for _, stop := range []string{", and ", " and is ", "; ", ", who ", ", where "} {
					if i := strings.Index(r, stop); i >= 0 {
						r = r[:i]
					}
				}
				r = strings.TrimSpace(leadArticle.ReplaceAllString(strings.TrimRight(strings.TrimSpace(r), ".,;* "), ""))
				l.level.ReportsTo = r
				break
			}
		}
	}
	if mayNegate(lower) && negationRe.MatchString(txt) && (strings.Contains(lower, "base") || sectionMentioned(txt) != "" || strings.Contains(lower, "responsibilities and requirements")) {
		l.level.NoBase = true
	} else if inh, ok := parseInheritSentence(txt, in.links); ok {
		p.addLinkSection(line, txt, inh, "")
	}
	// A lead-in ends with a colon: "An intern must:".
	if strings.HasSuffix(strings.TrimSpace(txt), ":") {
		if leadReqRe.MatchString(txt) {
			l.leadReq = true
		} else if leadRespRe.MatchString(txt) {
			l.leadResp = true
		}
	}
}

// mayNegate is a cheap test for the words negationRe needs.
func mayNegate(lower string) bool {
	return strings.Contains(lower, "not") || strings.Contains(lower, "exempt")
}

// namesLevel reports whether a heading repeats a level's title, perhaps with
// more words.
func namesLevel(heading, title string) bool {
	sc, _, _ := matchScore(titleTokens(heading), titleTokens(title))
	return sc >= 2
}

func (p *parser) setGrade(l *levelState, txt string, links []linkRef, allowLevel bool, line int, from string) {
	g, ok := findGrade(txt, links, allowLevel)
	if !ok {
		return
	}
	if l.level.Grade != nil {
		if *l.level.Grade != g {
			p.warn(line, "level %q: grade %d ignored, grade %d already stated at line %d", l.level.Title, g, *l.level.Grade, l.gradeLine)
		}
		return
	}
	l.level.Grade = &g
	l.gradeLine = line
	l.gradeFrom = from
}

// addLink records an inheritance statement for the current section.
func (p *parser) addLink(line int, txt string, inh inheritance) {
	var s role.Section
	switch p.sec {
	case secResp:
		s = role.Responsibilities
	case secReq, secBonus:
		s = role.Requirements
	}
	p.addLinkSection(line, txt, inh, s)
}

func (p *parser) addLinkSection(line int, txt string, inh inheritance, s role.Section) {
	if p.region != regLevel || p.cur < 0 {
		return
	}
	p.links = append(p.links, pendingLink{level: p.cur, sec: s, line: line, text: txt, inh: inh, section: p.sec})
}

var (
	hiringIntroRe = regexp.MustCompile(`(?i)can (?:generally )?expect the (?:hiring|interview) process|keep in mind that (?:candidates|applicants)|(?:hiring|interview) process to follow`)
	additionalRe  = regexp.MustCompile(`(?i)\s*additional details about (?:our|the) (?:hiring )?process.*$`)
	boldStepRe    = regexp.MustCompile(`^\s*(?:\(\d{1,2}\)|\d{1,2}[.)]|step\s+\d{1,2}:?)\s*`)
	gradeCellRe   = regexp.MustCompile(`\d{1,2}`)
)

func (p *parser) closingParagraph(n ast.Node, in *inline, txt string) {
	switch p.closing {
	case closeInfo:
		// "The Legal Intern is a grade 4" under "Compensation".
		if p.single && p.levels[0].level.Grade == nil {
			p.setGrade(p.levels[0], txt, in.links, false, p.nodeLine(n), "intro")
		}
	case closePI:
		if len(in.links) == 1 && strings.TrimSpace(in.links[0].text) == txt {
			p.pi = append(p.pi, txt)
		}
	case closeCareer:
		if !isPlaceholder(txt) {
			p.career = append(p.career, txt)
		}
	case closeHiring:
		if _, ok := n.FirstChild().(*ast.Emphasis); ok && boldStepRe.MatchString(txt) {
			p.paraSteps = true
			p.hiring = append(p.hiring, strings.TrimSpace(boldStepRe.ReplaceAllString(txt, "")))
		}
	}
}

func (p *parser) onTable(t *east.Table) {
	gradeCol := -1
	line := p.nodeLine(t)
	for r := t.FirstChild(); r != nil; r = r.NextSibling() {
		var cells []string
		for c := r.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, blockInline(c, p.src).Text())
		}
		if _, ok := r.(*east.TableHeader); ok {
			for i, c := range cells {
				if strings.Contains(strings.ToLower(c), "grade") {
					gradeCol = i
					break
				}
			}
			continue
		}
		if gradeCol < 0 || gradeCol >= len(cells) {
			continue
		}
		labelCol := 0
		if gradeCol == 0 {
			labelCol = 1
		}
		if labelCol >= len(cells) {
			continue
		}
		m := gradeCellRe.FindString(cells[gradeCol])
		if g, ok := atoiOK(m); ok {
			p.gradeTable = append(p.gradeTable, gradeRow{label: cells[labelCol], grade: g, line: line})
		}
	}
}

// listItem is one top-level bullet with its text and nested details.
type listItem struct {
	text, html  string
	links       []linkRef
	details     []string
	detailsHTML []string
	line        int
}

// itemsOfQuiet reads a list's items without warning about them.
func (p *parser) itemsOfQuiet(list *ast.List) []listItem {
	n := len(p.warnings)
	items := p.itemsOf(list)
	p.warnings = p.warnings[:n]
	return items
}

// itemsOf reads a list's top-level items; nested lists become details.
func (p *parser) itemsOf(list *ast.List) []listItem {
	var out []listItem
	for li := list.FirstChild(); li != nil; li = li.NextSibling() {
		var it listItem
		var text, htm []string
		it.line = p.nodeLine(li)
		if it.line == 0 {
			it.line = p.nodeLine(list)
		}
		indent := 0
		if item, ok := li.(*ast.ListItem); ok {
			indent = item.Offset
		}
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				in := blockInline(c, p.src)
				text = append(text, in.Text())
				htm = append(htm, in.HTML())
				it.links = append(it.links, in.links...)
				p.checkLazy(c, indent)
			case *ast.List:
				p.details(c, &it, 0)
			}
		}
		it.text = collapse(strings.Join(text, " "))
		it.html = collapse(strings.Join(htm, " "))
		out = append(out, it)
	}
	return out
}

func (p *parser) details(list *ast.List, it *listItem, depth int) {
	if depth > 16 {
		return
	}
	for li := list.FirstChild(); li != nil; li = li.NextSibling() {
		var text, htm []string
		var nested []*ast.List
		for c := li.FirstChild(); c != nil; c = c.NextSibling() {
			switch c := c.(type) {
			case *ast.Paragraph, *ast.TextBlock:
				in := blockInline(c, p.src)
				text = append(text, in.Text())
				htm = append(htm, in.HTML())
			case *ast.List:
				nested = append(nested, c)
			}
		}
		if t := collapse(strings.Join(text, " ")); t != "" {
			it.details = append(it.details, t)
			it.detailsHTML = append(it.detailsHTML, collapse(strings.Join(htm, " ")))
		}
		for _, n := range nested {
			p.details(n, it, depth+1)
		}
	}
}

// checkLazy warns about lines with no list marker that CommonMark joined
// to the item above (a lazy continuation): often a forgotten "- ".
func (p *parser) checkLazy(block ast.Node, indent int) {
	if indent <= 0 {
		return
	}
	lines := block.Lines()
	for i := 1; i < lines.Len(); i++ {
		s := lines.At(i)
		if s.Start > 0 && s.Start < len(p.src) && p.src[s.Start-1] == '\n' && p.src[s.Start] != ' ' && p.src[s.Start] != '\t' {
			p.warn(p.lineOf(s.Start), "line has no list marker and was joined to the item above (missing \"- \"?)")
		}
	}
}

func (p *parser) onList(list *ast.List) {
	line := p.nodeLine(list)
	switch p.region {
	case regLevel:
		l := p.levels[p.cur]
		switch p.sec {
		case secResp:
			p.addItems(list, role.Responsibilities, false)
		case secReq:
			p.addItems(list, role.Requirements, false)
		case secBonus:
			p.addItems(list, role.Requirements, true)
		case secIntro, secGrade:
			p.levelBullets(l, list, line)
		default:
			p.warnIgnoredList(line)
		}
	case regPre, regContainer:
		switch p.sec {
		case secResp:
			p.addItems(list, role.Responsibilities, false)
		case secReq:
			p.addItems(list, role.Requirements, false)
		case secBonus:
			p.addItems(list, role.Requirements, true)
		default:
			p.warnIgnoredList(line)
		}
	case regGroup:
		items := p.itemsOf(list)
		if p.spec < 0 {
			if allPlaceholders(items) {
				return
			}
			p.newSpecialty(p.groupHead.text, line)
		}
		s := p.groupDefault
		bonus := false
		switch p.sec {
		case secResp:
			s = role.Responsibilities
		case secReq:
			s = role.Requirements
		case secBonus:
			s, bonus = role.Requirements, true
		case secOther:
			p.warnIgnoredList(line)
			return
		}
		p.addItemsTo(items, s, bonus)
	case regClosing:
		p.closingList(list)
	default:
		p.warnIgnoredList(line)
	}
}

// levelBullets reads bullets under a level heading or its Job Grade heading,
// outside any Responsibilities or Requirements section. "Reports to" and
// inheritance sentences written as bullets are the level's details, not
// items. The rest are kept as the level's items, under the section their
// lead-in names (responsibilities by default), unless the level has its own
// section of that kind: then they are context ("Market Justification"), not
// a second list.
func (p *parser) levelBullets(l *levelState, list *ast.List, line int) {
	var kept []listItem
	for _, it := range p.itemsOf(list) {
		if !p.levelDetail(l, it) {
			kept = append(kept, it)
		}
	}
	if len(kept) == 0 {
		return
	}
	if p.single {
		p.warn(line, "list before any section heading ignored")
		return
	}
	s := role.Responsibilities
	if l.leadReq {
		s = role.Requirements
	}
	if !l.leadReq && !l.leadResp && p.levelHasSection(l, s) {
		p.warn(line, "bullets under level %q outside its %s section are not items: ignored", l.level.Title, s)
		return
	}
	where := "with no section heading"
	if p.sec == secGrade {
		where = "under its Job Grade heading"
	}
	p.warn(line, "bullets directly under level %q, %s, kept as %s", l.level.Title, where, s)
	p.addItemsTo(kept, s, false)
}

// levelDetail takes a bullet that says whom the level reports to or what it
// extends as the level's detail and reports whether it did.
func (p *parser) levelDetail(l *levelState, it listItem) bool {
	sentences := splitSentences(it.text)
	if len(sentences) == 0 || len(sentences) > 2 {
		return false
	}
	if m := reportsToRe.FindStringSubmatch(sentences[0]); m != nil && len(sentences) == 1 {
		if l.level.ReportsTo == "" {
			l.level.ReportsTo = strings.TrimSpace(leadArticle.ReplaceAllString(strings.TrimRight(strings.TrimSpace(m[1]), ".,;* "), ""))
		}
		return true
	}
	if inh, ok := parseInheritSentence(it.text, it.links); ok && inh.mentions == "" {
		p.addLinkSection(it.line, it.text, inh, "")
		return true
	}
	return false
}

// levelHasSection reports whether the level's own headings include a
// section of kind s.
func (p *parser) levelHasSection(l *levelState, s role.Section) bool {
	if l.head == nil {
		return false
	}
	for _, h := range p.heads[l.head.idx+1:] {
		if h.isLevel || h.class == classClosing || h.class == classGroup || h.class == classLevels {
			return false
		}
		if sectionOfClass(h.class) == s {
			return true
		}
	}
	return false
}

func allPlaceholders(items []listItem) bool {
	for _, it := range items {
		if it.text != "" && !isPlaceholder(it.text) {
			return false
		}
	}
	return true
}

func (p *parser) warnIgnoredList(line int) {
	name := "the page intro"
	if p.secHead != nil {
		name = fmt.Sprintf("heading %q", p.secHead.text)
		line = p.secHead.line
	}
	if p.region == regContainer {
		p.warn(line, "list under the Levels heading is not a level: ignored")
		return
	}
	p.warn(line, "list under %s is not a Responsibilities or Requirements section: ignored", name)
}

func (p *parser) addItems(list *ast.List, s role.Section, bonus bool) {
	p.addItemsTo(p.itemsOf(list), s, bonus)
}

// addItemsTo adds bullets to the current level, the family lists or the
// current specialty. Inheritance bullets become links, label bullets
// ("Additional Requirements") switch the section, placeholders are dropped.
func (p *parser) addItemsTo(items []listItem, s role.Section, bonus bool) {
	for i, li := range items {
		if li.text == "" {
			continue
		}
		if inh, ok := parseInheritBullet(li.text, li.links); ok {
			switch {
			case p.region == regLevel:
				p.links = append(p.links, pendingLink{level: p.cur, sec: s, line: li.line, text: li.text, inh: inh, section: p.sec})
			case p.region == regGroup:
				p.warn(li.line, "specialty %q: inheritance %q not modelled for specialties; dropped", p.specialties[p.spec].Name, li.text)
			default:
				p.warn(li.line, "inheritance %q in the family lists ignored", li.text)
			}
			continue
		}
		if len(li.details) == 0 && atMostWords(li.text, 4) {
			switch c, _ := classifyHeading(li.text); c {
			case classResp:
				s, bonus = role.Responsibilities, false
				continue
			case classReq:
				s, bonus = role.Requirements, false
				continue
			case classBonus:
				s, bonus = role.Requirements, true
				continue
			case classClosing:
				// "- Performance Indicators" followed by the indicators:
				// a heading written as a bullet ends the list.
				p.closingBullets(li, items[i+1:])
				return
			}
		}
		if isPlaceholder(li.text) {
			p.warn(li.line, "placeholder %q is not an item", li.text)
			continue
		}
		it := role.Item{
			ID:          role.ItemID(li.text),
			Text:        li.text,
			HTML:        li.html,
			Bonus:       bonus || IsBonus(li.text),
			Details:     li.details,
			DetailsHTML: li.detailsHTML,
			Line:        li.line,
		}
		if it.ID == role.ItemID("") {
			continue // no letters or digits: nothing to rate
		}
		it.Kind, it.MinYears = GuessKind(li.text)
		if it.Kind != role.KindSkill {
			p.noteGuess(it)
		}
		p.appendItem(it, s)
	}
}

// closingBullets files the bullets after a closing-section label bullet.
func (p *parser) closingBullets(label listItem, rest []listItem) {
	_, kind := classifyHeading(label.text)
	p.warn(label.line, "bullet %q starts a closing section: the bullets after it are not items", label.text)
	for _, it := range rest {
		if it.text == "" || isPlaceholder(it.text) {
			continue
		}
		switch kind {
		case closePI:
			p.pi = append(p.pi, it.text)
		case closeCareer:
			p.career = append(p.career, it.text)
		case closeHiring:
			p.hiring = append(p.hiring, it.text)
		}
	}
}

// kindGuesses collects the items of one level, the family lists or one
// specialty whose kind was guessed as other than skill, for one summary
// warning instead of one per item.
type kindGuesses struct {
	where string
	lines map[role.Kind][]int
	first int
}

func (p *parser) noteGuess(it role.Item) {
	where := "the family lists"
	switch p.region {
	case regLevel:
		where = fmt.Sprintf("level %q", p.levels[p.cur].level.Title)
	case regGroup:
		where = fmt.Sprintf("specialty %q", p.specialties[p.spec].Name)
	}
	var g *kindGuesses
	for _, x := range p.guesses {
		if x.where == where {
			g = x
		}
	}
	if g == nil {
		g = &kindGuesses{where: where, lines: map[role.Kind][]int{}, first: it.Line}
		p.guesses = append(p.guesses, g)
	}
	g.lines[it.Kind] = append(g.lines[it.Kind], it.Line)
}

// warnGuesses emits one warning per owner, at its first guessed item:
// "level "Senior": kinds guessed (check them): experience at lines 12, 14;
// fact at line 20".
func (p *parser) warnGuesses() {
	for _, g := range p.guesses {
		var parts []string
		for _, k := range role.Kinds {
			ls := g.lines[k]
			if len(ls) == 0 {
				continue
			}
			nums := make([]string, len(ls))
			for i, l := range ls {
				nums[i] = fmt.Sprint(l)
			}
			word := "line"
			if len(ls) > 1 {
				word = "lines"
			}
			parts = append(parts, fmt.Sprintf("%s at %s %s", k, word, strings.Join(nums, ", ")))
		}
		p.warn(g.first, "%s: kinds guessed (check them): %s", g.where, strings.Join(parts, "; "))
	}
}

func (p *parser) appendItem(it role.Item, s role.Section) {
	var list *[]role.Item
	var seen map[role.Section]map[string]bool
	var where string
	switch p.region {
	case regLevel:
		l := p.levels[p.cur]
		if l.seen == nil {
			l.seen = map[role.Section]map[string]bool{}
		}
		seen, where = l.seen, fmt.Sprintf("level %q", l.level.Title)
		if s == role.Responsibilities {
			list = &l.level.Responsibilities
		} else {
			list = &l.level.Requirements
		}
	case regGroup:
		g := p.specialties[p.spec]
		seen, where = p.specSeen[p.spec], fmt.Sprintf("specialty %q", g.Name)
		if s == role.Responsibilities {
			list = &g.Responsibilities
		} else {
			list = &g.Requirements
		}
	default:
		seen, where = p.familySeen, "the family lists"
		if s == role.Responsibilities {
			list = &p.family.Responsibilities
		} else {
			list = &p.family.Requirements
		}
	}
	if seen[s] == nil {
		seen[s] = map[string]bool{}
	}
	if seen[s][it.ID] {
		p.warn(it.Line, "duplicate item in %s %s dropped: %q", where, s, it.Text)
		return
	}
	seen[s][it.ID] = true
	*list = append(*list, it)
}

func (p *parser) closingList(list *ast.List) {
	items := p.itemsOf(list)
	switch p.closing {
	case closePI:
		for _, it := range items {
			if it.text != "" && !isPlaceholder(it.text) {
				p.pi = append(p.pi, it.text)
			}
		}
	case closeCareer:
		for _, it := range items {
			if it.text != "" && !isPlaceholder(it.text) {
				p.career = append(p.career, it.text)
			}
		}
	case closeHiring:
		if p.stepTitle != "" {
			var parts []string
			for _, it := range items {
				parts = append(parts, withDetails(it))
			}
			p.hiring = append(p.hiring, p.stepTitle+": "+strings.Join(parts, " "))
			p.stepTitle = ""
			return
		}
		if p.paraSteps {
			return // details of the numbered paragraph above
		}
		for i, it := range items {
			t := it.text
			if i == 0 && hiringIntroRe.MatchString(t) {
				continue
			}
			t = strings.TrimSpace(additionalRe.ReplaceAllString(t, ""))
			if t != "" && !isPlaceholder(t) {
				p.hiring = append(p.hiring, t)
			}
		}
	}
}

func withDetails(it listItem) string {
	if len(it.details) == 0 {
		return it.text
	}
	sep := ": "
	if strings.HasSuffix(it.text, ":") {
		sep = " "
	}
	return it.text + sep + strings.Join(it.details, ", ")
}

// introHTML joins the page introduction.
func (p *parser) introHTML() string {
	return strings.Join(p.intro, "\n")
}
