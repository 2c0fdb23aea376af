package jobfamily

import (
	"fmt"
	"sort"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
)

// finish resolves grades from a grade table, level slugs and inheritance,
// then builds and validates the role.
func (p *parser) finish() (*Result, error) {
	if len(p.levels) == 0 {
		return nil, &RefusedError{Reason: "no levels found", FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	p.applyPreGrade()
	p.applyGradeTable()
	p.assignSlugs()
	p.resolveLinks()

	r := role.Role{
		Slug:                  role.Slugify(p.title),
		Title:                 p.title,
		Summary:               p.fm.Summary,
		Intro:                 p.introHTML(),
		Family:                p.family,
		Specialties:           []role.Group{},
		PerformanceIndicators: p.pi,
		CareerLadder:          p.career,
		HiringProcess:         p.hiring,
	}
	if r.Summary == "" {
		r.Summary = p.fm.Description
	}
	if r.Slug == "" {
		r.Slug = role.Slugify(p.roleTitleFromName())
	}
	if r.Slug == "" {
		r.Slug = "role"
	}
	if r.Title == "" {
		r.Title = r.Slug
	}
	for _, l := range p.levels {
		r.Levels = append(r.Levels, l.level)
	}
	for i, g := range p.specialties {
		if len(g.Responsibilities)+len(g.Requirements) == 0 {
			continue
		}
		p.groups[p.specGroup[i]].specs++
	}
	for i, g := range p.specialties {
		if len(g.Responsibilities)+len(g.Requirements) == 0 {
			p.warn(p.specLines[i], "group %q holds no items: skipped", g.Name)
			continue
		}
		p.warn(p.specLines[i], "specialty %q kept as a named group of items, not a level", g.Name)
		r.Specialties = append(r.Specialties, *g)
	}
	for _, g := range p.groups {
		if g.specs == 0 {
			p.warn(g.head.line, "group %q holds no items: skipped", g.head.text)
		}
	}
	p.warnGuesses()
	sort.SliceStable(p.warnings, func(i, j int) bool { return p.warnings[i].Line < p.warnings[j].Line })
	if !r.HasItem() {
		return nil, &RefusedError{Reason: "no Responsibilities or Requirements found", FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	if err := r.Validate(); err != nil {
		return nil, &RefusedError{Reason: err.Error(), FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	return &Result{Role: r, Warnings: p.warnings}, nil
}

// applyPreGrade gives a Job Grade stated before any level to the page's
// only level; with several levels it cannot say whose it is.
func (p *parser) applyPreGrade() {
	h := p.preGradeHead
	if h == nil {
		return
	}
	if len(p.levels) != 1 || p.preGrade == 0 {
		p.warn(h.line, "job grade heading %q before any level ignored", h.text)
		return
	}
	if l := p.levels[0]; l.level.Grade == nil {
		g := p.preGrade
		l.level.Grade = &g
		l.gradeLine = p.preGradeLine
		l.gradeFrom = "section"
	}
}

func (p *parser) roleTitleFromName() string {
	save := p.fm.Title
	p.fm.Title = ""
	defer func() { p.fm.Title = save }()
	return p.roleTitle()
}

// applyGradeTable fills missing grades from a grade table, matching row
// labels to level titles fuzzily, and warns when table and text disagree.
func (p *parser) applyGradeTable() {
	if len(p.gradeTable) == 0 {
		return
	}
	// The first row whose label is exactly a level's title gives its grade.
	rows := map[string]gradeRow{}
	for _, row := range p.gradeTable {
		key := strings.Join(titleTokens(row.label), " ")
		if _, dup := rows[key]; !dup && key != "" {
			rows[key] = row
		}
	}
	for _, l := range p.levels {
		if row, ok := rows[strings.Join(l.tokens, " ")]; ok {
			switch {
			case l.level.Grade == nil:
				g := row.grade
				l.level.Grade = &g
				l.gradeLine = row.line
				l.gradeFrom = "table"
			case *l.level.Grade != row.grade:
				p.warn(l.gradeLine, "level %q: grade %d in the text, %d in the grade table", l.level.Title, *l.level.Grade, row.grade)
			}
		}
	}
}

// ladder words give short level slugs ("senior", "staff").
var ladderWords = map[string]string{
	"intern": "intern", "internship": "intern", "junior": "junior", "jr": "junior",
	"associate": "associate", "intermediate": "intermediate", "senior": "senior",
	"sr": "senior", "snr": "senior", "staff": "staff", "principal": "principal",
	"distinguished": "distinguished", "fellow": "fellow",
}

var mgmtWords = map[string]string{
	"manager": "manager", "director": "director", "vp": "vp", "head": "head",
	"chief": "chief", "evp": "evp", "svp": "svp",
}

// shortSlug derives a slug from a level's ladder words: "Senior Product
// Manager" → "senior", "Manager, Blog Strategy" → "manager", "Senior
// Director, People" → "senior-director", "VP of X" → "vp". It returns ""
// when the title has no ladder word.
func shortSlug(title string) string {
	clause := title
	for _, sep := range []string{",", " of ", " - ", " – ", "(", ":"} {
		if i := strings.Index(strings.ToLower(clause), sep); i >= 0 {
			clause = clause[:i]
		}
	}
	cw := mergeVP(words(clause))
	if n := len(cw); n >= 1 && n <= 2 {
		if m, ok := mgmtWords[cw[n-1]]; ok {
			if n == 1 {
				return m
			}
			if lw, ok := ladderWords[cw[0]]; ok {
				return lw + "-" + m
			}
		}
	}
	for _, w := range mergeVP(words(title)) {
		if lw, ok := ladderWords[w]; ok {
			return lw
		}
	}
	return ""
}

func mergeVP(w []string) []string {
	var out []string
	for i := 0; i < len(w); i++ {
		if w[i] == "vice" && i+1 < len(w) && w[i+1] == "president" {
			out = append(out, "vp")
			i++
			continue
		}
		out = append(out, w[i])
	}
	return out
}

// assignSlugs gives each level its short slug when that is unique on the
// page, else the slug of its title, made unique.
func (p *parser) assignSlugs() {
	count := map[string]int{}
	shorts := make([]string, len(p.levels))
	for i, l := range p.levels {
		shorts[i] = shortSlug(l.level.Title)
		if shorts[i] != "" {
			count[shorts[i]]++
		}
	}
	used := map[string]bool{}
	next := map[string]int{} // the last number given to a repeated slug
	for i, l := range p.levels {
		s := shorts[i]
		if s == "" || count[s] > 1 {
			s = role.Slugify(l.level.Title)
		}
		if s == "" {
			s = "level"
		}
		base := s
		for used[s] {
			next[base] = max(next[base]+1, 2)
			s = fmt.Sprintf("%s-%d", base, next[base])
		}
		used[s] = true
		l.level.Slug = s
	}
}

// resolved is where a link points: a level index, the base (-1), or
// nothing (-2).
const (
	toBase       = -1
	toUnresolved = -2
)

// resolveLinks turns the inheritance statements into each level's Extends.
// The role model holds one parent per level: the responsibilities' link is
// preferred, then the requirements', then a level-intro sentence.
func (p *parser) resolveLinks() {
	type choice struct {
		idx  int
		line int
	}
	chosen := make([]map[role.Section]choice, len(p.levels))
	for i := range chosen {
		chosen[i] = map[role.Section]choice{}
	}
	away := make([]bool, len(p.levels))
	for _, lk := range p.links {
		idx := p.resolveLink(lk)
		if idx == toUnresolved {
			away[lk.level] = away[lk.level] || lk.inh.offPage
			continue
		}
		if idx == lk.level {
			p.warn(lk.line, "%q links level %q to itself: ignored", lk.text, p.levels[lk.level].level.Title)
			continue
		}
		if _, dup := chosen[lk.level][lk.sec]; !dup {
			chosen[lk.level][lk.sec] = choice{idx: idx, line: lk.line}
		}
	}
	for i, l := range p.levels {
		c := chosen[i]
		var pick *choice
		for _, s := range []role.Section{role.Responsibilities, role.Requirements, ""} {
			if ch, ok := c[s]; ok {
				if pick == nil {
					chc := ch
					pick = &chc
				} else if ch.idx != pick.idx {
					p.warn(ch.line, "level %q: this link points to %s but line %d points to %s; the level keeps %s",
						l.level.Title, p.describe(ch.idx), pick.line, p.describe(pick.idx), p.describe(pick.idx))
				}
			}
		}
		if pick != nil && pick.idx >= 0 {
			l.level.Extends = p.levels[pick.idx].level.Slug
		}
		if pick != nil {
			away[i] = false
		}
	}
	p.dropPointerLevels(away)
	p.breakCycles()
}

// breakCycles cuts each inheritance cycle at the level where the walk
// entered it. Every level is walked once: a walk stops at a level an
// earlier walk finished.
func (p *parser) breakCycles() {
	bySlug := make(map[string]int, len(p.levels))
	for i, l := range p.levels {
		bySlug[l.level.Slug] = i
	}
	const (
		unseen = iota
		walking
		done
	)
	state := make([]byte, len(p.levels))
	for i := range p.levels {
		var path []int
		for j := i; state[j] == unseen; {
			state[j] = walking
			path = append(path, j)
			k, ok := bySlug[p.levels[j].level.Extends]
			if p.levels[j].level.Extends == "" || !ok {
				break
			}
			if state[k] == walking {
				l := p.levels[k]
				p.warn(l.line, "level %q: inheritance cycle broken", l.level.Title)
				l.level.Extends = ""
				break
			}
			j = k
		}
		for _, j := range path {
			state[j] = done
		}
	}
}

// dropPointerLevels drops the levels with no items of their own whose
// inheritance points only to other pages ("The Senior Engineering Manager
// role extends the [Engineering Manager](/job-families/…) role"): their
// content lives elsewhere, and an empty level would inherit the family
// lists instead. A level that extended a dropped one extends its parent.
func (p *parser) dropPointerLevels(away []bool) {
	dropped := map[string]string{}
	kept := p.levels[:0]
	for i, l := range p.levels {
		if away[i] && len(l.level.Responsibilities)+len(l.level.Requirements) == 0 {
			p.warn(l.line, "level %q has no items on this page, only links to another page: dropped", l.level.Title)
			dropped[l.level.Slug] = l.level.Extends
			continue
		}
		kept = append(kept, l)
	}
	p.levels = kept
	if len(dropped) == 0 {
		return
	}
	for _, l := range p.levels {
		var via []string
		for n := 0; n <= len(dropped); n++ {
			parent, ok := dropped[l.level.Extends]
			if !ok {
				break
			}
			via = append(via, l.level.Extends)
			l.level.Extends = parent
		}
		// Later levels that go through the same dropped ones jump
		// straight to where this walk ended.
		for _, s := range via {
			dropped[s] = l.level.Extends
		}
	}
}

func (p *parser) describe(idx int) string {
	if idx == toBase {
		return "the family-wide lists"
	}
	return fmt.Sprintf("%q", p.levels[idx].level.Title)
}

// resolveLink resolves one statement: by anchor, then "above"/"previous",
// then by fuzzy title. Several targets: the first that resolves wins.
func (p *parser) resolveLink(lk pendingLink) int {
	if lk.sec != "" && lk.inh.mentions != "" && lk.inh.mentions != lk.sec {
		p.warn(lk.line, "%q names the %s but sits under %s; the enclosing section wins", lk.text, lk.inh.mentions, lk.sec)
	}
	if len(lk.inh.targets) == 0 {
		p.warn(lk.line, "inheritance %q names no level: ignored", lk.text)
		return toUnresolved
	}
	for i, t := range lk.inh.targets {
		idx := p.resolveTarget(lk, t)
		if idx != toUnresolved {
			if i > 0 || len(lk.inh.targets) > 1 {
				p.warn(lk.line, "%q names %d levels; linked to %s", lk.text, len(lk.inh.targets), p.describe(idx))
			}
			return idx
		}
	}
	p.warn(lk.line, "inheritance %q: no level matches; ignored", lk.text)
	return toUnresolved
}

func (p *parser) resolveTarget(lk pendingLink, t target) int {
	switch t.kind {
	case targetBase:
		return toBase
	case targetPrev:
		if lk.level > 0 {
			return lk.level - 1
		}
		return toBase
	case targetAnchor:
		h := p.anchor[t.value]
		if h == nil {
			if t.fallback != "" {
				return p.matchLevel(lk, t.fallback)
			}
			return toUnresolved
		}
		o, ok := p.owners[h]
		if !ok {
			return toUnresolved
		}
		if s := sectionOfClass(h.class); s != "" && lk.sec != "" && s != lk.sec {
			p.warn(lk.line, "%q links to the %s (#%s) but sits under %s; the enclosing section wins", lk.text, s, t.value, lk.sec)
		}
		if o.base {
			return toBase
		}
		return o.level
	case targetName:
		return p.matchLevel(lk, t.value)
	}
	return toUnresolved
}

// exactLevel reports whether a name is exactly some level's title.
func (p *parser) exactLevel(nt []string) bool {
	return len(nt) > 0 && len(p.exact[strings.Join(nt, " ")]) > 0
}

func sectionOfClass(c headClass) role.Section {
	switch c {
	case classResp:
		return role.Responsibilities
	case classReq, classBonus, classArea:
		return role.Requirements
	}
	return ""
}

// matchLevel finds the level a name refers to: exact beats containment
// beats token overlap; ties go to the nearest level before the linking one.
func (p *parser) matchLevel(lk pendingLink, name string) int {
	nt := titleTokens(name)
	// The family itself: "Extends that of Payroll" on a "Payroll Roles"
	// page names the family-wide lists, not the first level containing
	// the word.
	if sc, _, _ := matchScore(nt, titleTokens(p.title)); sc == 3 && !p.exactLevel(nt) {
		return toBase
	}
	if best, ok := p.exactMatch(lk, nt); ok {
		return best
	}
	best, bestScore, bestExtra, bestOverlap, bestDist := toUnresolved, 0, 0, 0.0, 0
	ties := 0
	for i, l := range p.levels {
		if i == lk.level {
			continue
		}
		sc, extra, ov := matchScore(nt, l.tokens)
		if sc == 0 {
			continue
		}
		dist := lk.level - i
		if dist < 0 {
			dist = len(p.levels) + -dist // levels after come last
		}
		better := false
		switch {
		case best == toUnresolved || sc > bestScore:
			better = true
		case sc < bestScore:
		case sc == 2 && extra != bestExtra:
			better = extra < bestExtra
		case sc == 1 && ov != bestOverlap:
			better = ov > bestOverlap
		default:
			if dist == bestDist {
				break
			}
			ties++
			better = dist < bestDist
		}
		if better {
			if sc != bestScore || extra != bestExtra || ov != bestOverlap {
				ties = 0
			}
			best, bestScore, bestExtra, bestOverlap, bestDist = i, sc, extra, ov, dist
		}
	}
	if best == toUnresolved {
		// The family itself: "Extends the Data Analyst responsibilities".
		if sc, _, _ := matchScore(nt, titleTokens(p.title)); sc == 3 {
			return toBase
		}
		return toUnresolved
	}
	if bestScore == 1 || ties > 0 {
		p.warn(lk.line, "inheritance %q: uncertain match, linked to %q", lk.text, p.levels[best].level.Title)
	}
	return best
}

// exactMatch finds the levels whose title is exactly the name, through the
// index, and picks the nearest before the linking level; several are an
// uncertain match. It reports false when no other level has that title.
func (p *parser) exactMatch(lk pendingLink, nt []string) (int, bool) {
	best, bestDist, n := toUnresolved, 0, 0
	for _, i := range p.exact[strings.Join(nt, " ")] {
		if i == lk.level {
			continue
		}
		dist := lk.level - i
		if dist < 0 {
			dist = len(p.levels) - dist // levels after come last
		}
		if n == 0 || dist < bestDist {
			best, bestDist = i, dist
		}
		n++
	}
	if n == 0 {
		return toUnresolved, false
	}
	if n > 1 {
		p.warn(lk.line, "inheritance %q: uncertain match, linked to %q", lk.text, p.levels[best].level.Title)
	}
	return best, true
}
