package jobfamily

import (
	"fmt"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
)

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
	linked := make([]bool, len(p.levels))
	for _, lk := range p.links {
		linked[lk.level] = true
	}
	for i, l := range p.levels {
		away[i] = l.pointsAway && !linked[i] && !p.single
	}
	for _, lk := range p.links {
		idx := p.resolveLink(lk)
		if idx == toUnresolved {
			away[lk.level] = away[lk.level] || lk.inh.offPage
			if len(lk.inh.targets) > 0 {
				// Kept for the pages imported with this one (set.go).
				p.open = append(p.open, openLink{level: p.levels[lk.level], line: lk.line, text: lk.text, inh: lk.inh})
			}
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
	p.warn(lk.line, "%s", unresolvedMessage(lk.text))
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
