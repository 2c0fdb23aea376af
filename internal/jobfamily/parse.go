package jobfamily

import (
	"context"
	"fmt"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"

	"github.com/rolefit/rolefit/internal/role"
)

// headInfo is one heading of the page.
type headInfo struct {
	idx int // position among the headings
	// byMeaning is set when the heading's words were scored
	// (meaning.go), not matched as keywords: weaker evidence of a job.
	byMeaning bool
	block     int // position among the page's blocks
	depth     int
	text      string
	line      int
	class     headClass
	closing   closingKind
	anchor    string
	isLevel   bool
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
	level role.Level
	// tokens is the title folded for matching (titleTokens), computed
	// once.
	tokens    []string
	head      *headInfo
	line      int
	leadReq   bool
	leadResp  bool
	gradeLine int
	gradeFrom string
	seen      map[role.Section]map[string]bool
	// sections records which sections the level's own headings open.
	sections map[role.Section]bool
	// pointsAway is set when the level's intro links to another page
	// ("Refer to the Principal Engineer description"): with no items and
	// no inheritance, its content lives there.
	pointsAway bool
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
	ctx        context.Context
	ticks      int
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
	// anchorNext is the last number given to a repeated anchor.
	anchorNext map[string]int
	owners     map[*headInfo]owner

	title        string
	single       bool
	container    *headInfo
	linkOnly     bool
	linkOnlyLine [2]int

	levels []*levelState
	// exact indexes the levels by their folded title, so that a link or a
	// heading naming a level exactly finds it without a scan.
	exact       map[string][]int
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
	open        []openLink // links no level of the page resolves
	// meaningKinds records the sections named by meaning only.
	meaningKinds map[role.Section]bool
	guesses      []*kindGuesses
	guessAt      map[string]*kindGuesses

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
	area         string // the competency area the current list belongs to
	stepTitle    string
}

func newParser(src []byte, name string) *parser {
	return &parser{
		name:         name,
		headAt:       map[int]*headInfo{},
		anchor:       map[string]*headInfo{},
		anchorNext:   map[string]int{},
		exact:        map[string][]int{},
		meaningKinds: map[role.Section]bool{},
		guessAt:      map[string]*kindGuesses{},
		owners:       map[*headInfo]owner{},
		familySeen:   map[role.Section]map[string]bool{},
		cur:          -1,
		spec:         -1,
		src:          src,
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
	p.readSource()
	p.buildAST()
	p.collectHeadings()
	if err := p.findLevels(); err != nil {
		return nil, err
	}
	p.walkBlocks()
	return p.finish()
}

// readSource is stage 1: clean bytes, front matter, template tags.
func (p *parser) readSource() {
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
}

// buildAST is stage 2: goldmark's block tree, its top-level blocks in
// order.
func (p *parser) buildAST() {
	md := goldmark.New(goldmark.WithExtensions(extension.Table))
	doc := md.Parser().Parse(text.NewReader(p.src))
	for c := doc.FirstChild(); c != nil; c = c.NextSibling() {
		p.blocks = append(p.blocks, c)
	}
}

// findLevels is stage 4: the level headings, the role's title, and the one
// level of a single-role page.
func (p *parser) findLevels() error {
	p.detectLevels()
	p.title = p.roleTitle()
	if p.linkOnly {
		return &RefusedError{Reason: "the Levels section only links to other pages: no levels on this page", FromLine: p.linkOnlyLine[0], ToLine: p.linkOnlyLine[1]}
	}
	if !p.hasLevels() {
		// A single role, or one level of a split family: one level named
		// from the front-matter title, never from a heading.
		p.single = true
		p.addLevel(&levelState{level: role.Level{Title: singleLevelTitle(p.title)}, line: 1})
		p.cur = 0
		p.region = regLevel
		p.sec = secIntro
	}
	return nil
}

// walkBlocks is stage 5: every block filed into the current level, the
// family lists, a specialty or a closing section.
func (p *parser) walkBlocks() {
	for i, b := range p.blocks {
		p.tick()
		p.walk(i, b)
	}
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

// introHTML joins the page introduction.
func (p *parser) introHTML() string {
	return strings.Join(p.intro, "\n")
}
