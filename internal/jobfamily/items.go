package jobfamily

import (
	"fmt"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/yuin/goldmark/ast"
)

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
	case regLevel, regPre, regContainer:
		switch p.sec {
		case secResp:
			p.addItems(list, role.Responsibilities, false)
		case secReq:
			p.addItems(list, role.Requirements, false)
		case secBonus:
			p.addItems(list, role.Requirements, true)
		case secIntro, secGrade:
			if p.region == regLevel {
				p.levelBullets(p.levels[p.cur], list, line)
				return
			}
			p.warnIgnoredList(line)
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
	if l.sections == nil {
		// Scanned once per level: a level may hold many lists.
		l.sections = map[role.Section]bool{}
		for _, h := range p.heads[l.head.idx+1:] {
			if h.isLevel || h.class == classClosing || h.class == classGroup || h.class == classLevels {
				break
			}
			if sec := sectionOfClass(h.class); sec != "" {
				l.sections[sec] = true
			}
		}
	}
	return l.sections[s]
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
	if s == role.Responsibilities && p.region == regLevel {
		n := roleContext(items)
		for _, li := range items[:n] {
			if !p.levelDetail(p.levels[p.cur], li) {
				p.warn(li.line, "bullet %q describes the role, not a duty: not an item", li.text)
			}
		}
		items = items[n:]
	}
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
			Area:        p.area,
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
	g := p.guessAt[where]
	if g == nil {
		g = &kindGuesses{where: where, lines: map[role.Kind][]int{}, first: it.Line}
		p.guesses = append(p.guesses, g)
		p.guessAt[where] = g
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

// plainLines reads a paragraph in a Responsibilities or Requirements
// section as a list written without markers, one item per line, when it is
// not followed by a list and every line is a sentence of its own: it starts
// with a capital and ends with a full stop. Hard-wrapped prose breaks lines
// mid-sentence and stays prose. It reports whether it did.
func (p *parser) plainLines(i int, n *ast.Paragraph) bool {
	if p.region != regPre && p.region != regLevel || p.sec != secResp && p.sec != secReq && p.sec != secBonus {
		return false
	}
	if i+1 < len(p.blocks) {
		if _, ok := p.blocks[i+1].(*ast.List); ok {
			return false
		}
	}
	lines := n.Lines()
	if lines.Len() < 2 {
		return false
	}
	var items []listItem
	for k := 0; k < lines.Len(); k++ {
		seg := lines.At(k)
		t := strings.TrimSpace(string(seg.Value(p.src)))
		r, _ := utf8.DecodeRuneInString(t)
		if t == "" || !unicode.IsUpper(r) || !strings.ContainsAny(t[len(t)-1:], ".!?;") || atMostWords(t, 2) {
			return false
		}
		items = append(items, listItem{text: collapse(t), html: html.EscapeString(collapse(t)), line: p.lineOf(seg.Start)})
	}
	if _, ok := parseInheritSentence(items[0].text, nil); ok {
		return false
	}
	p.warn(items[0].line, "%d lines with no list markers read as items", len(items))
	s, bonus := role.Responsibilities, p.sec == secBonus
	if p.sec != secResp {
		s = role.Requirements
	}
	p.addItemsTo(items, s, bonus)
	return true
}

// roleContext returns how many of a responsibilities list's first bullets
// describe the role ("This role reports to…", "You will lead a team of…")
// rather than list duties. They count only when a clearer list follows:
// at least two bullets, most of them starting with a verb, not a subject.
func roleContext(items []listItem) int {
	n := 0
	for n < len(items) && describesRole(items[n].text) {
		n++
	}
	rest := len(items) - n
	if n == 0 || rest < 2 {
		return 0
	}
	duties := 0
	for _, it := range items[n:] {
		if !startsWithSubject(words(it.text)) {
			duties++
		}
	}
	if duties*2 <= rest {
		return 0
	}
	return n
}

// describesRole reports whether a bullet is a sentence about the position:
// a subject first, and the role, the reporting line or the team it leads
// named.
func describesRole(text string) bool {
	w := words(text)
	if !startsWithSubject(w) {
		return false
	}
	leads, team := false, false
	for _, x := range w {
		switch x {
		case "role", "position", "reports", "report":
			return true
		case "lead", "leads", "manage", "manages":
			leads = true
		case "team":
			team = true
		}
	}
	return leads && team // "You will lead a team of 5-8 engineers"
}

func startsWithSubject(w []string) bool {
	if len(w) == 0 {
		return false
	}
	switch w[0] {
	case "this", "the", "you", "youll", "as", "in", "our", "he", "she", "they":
		return true
	}
	return false
}
