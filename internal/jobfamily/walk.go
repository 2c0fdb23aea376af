package jobfamily

import (
	"regexp"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

func (p *parser) walk(i int, b ast.Node) {
	switch n := b.(type) {
	case *ast.Heading:
		p.onHeading(p.headAt[i])
	case *ast.Paragraph:
		if p.lineHeading(i, n) || p.plainLines(i, n) {
			return
		}
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
	case classArea:
		return secReq
	}
	return secNone
}

func (p *parser) onHeading(h *headInfo) {
	if h == nil {
		return
	}
	p.stepTitle = ""
	p.area = ""
	if h.isLevel {
		p.addLevel(&levelState{level: role.Level{Title: h.text}, head: h, line: h.line})
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
	case classGrade, classResp, classReq, classBonus, classArea:
		if p.region == regLevel && !p.single && p.cur >= 0 {
			p.ladderSection(h)
		}
		p.sec = sectionOf(h.class)
		p.secHead = h
		p.topic = nil
		if h.class == classArea {
			p.area = h.text
		}
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
			// A sub-heading that repeats the level's name ("Widget
			// Lead (Director)" under "Widget Lead") may state its grade.
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
	if linksOffPage(in.links) && !strings.Contains(lower, "report") {
		l.pointsAway = true
	}
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

// lineHeading takes a short paragraph that ends in a colon or is all bold,
// right before a list, as a section heading when its words name a section
// ("**What you'll do**", "Who you are:"), and reports whether it did.
func (p *parser) lineHeading(i int, n *ast.Paragraph) bool {
	if p.region != regPre && p.region != regLevel || p.sec == secGrade && p.region == regPre || i+1 >= len(p.blocks) {
		return false
	}
	if _, ok := p.blocks[i+1].(*ast.List); !ok {
		return false
	}
	in := blockInline(n, p.src)
	txt := in.Text()
	if _, ok := parseInheritSentence(txt, in.links); ok {
		return false // "All requirements of previous roles plus:"
	}
	_, bold := n.FirstChild().(*ast.Emphasis)
	bold = bold && n.FirstChild().NextSibling() == nil
	if !bold && !strings.HasSuffix(txt, ":") || !atMostWords(txt, 8) {
		return false
	}
	name := strings.TrimSpace(strings.TrimRight(txt, ": "))
	c, _ := classifyHeading(name)
	byMeaning := false
	if c == classOther {
		c = meaningOf(name)
		byMeaning = c != classOther
	}
	area := ""
	switch c {
	case classResp, classReq, classBonus:
	case classOther:
		// In a level with no section headings of its own, short lines
		// over lists name its areas: "Technical:", "Execution:".
		if p.region != regLevel || p.single || p.cur < 0 || !atMostWords(name, 4) ||
			p.levelHasSection(p.levels[p.cur], role.Responsibilities) || p.levelHasSection(p.levels[p.cur], role.Requirements) {
			return false
		}
		c, area = classArea, name
	default:
		return false
	}
	if byMeaning {
		p.meaningKinds[sectionOfClass(c)] = true
	}
	p.warn(p.nodeLine(n), "line %q read as a section heading", name)
	p.sec = sectionOf(c)
	p.secHead, p.topic, p.area = nil, nil, area
	return true
}
