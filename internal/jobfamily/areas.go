package jobfamily

import (
	"regexp"
	"sort"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// Competency-area ladders describe each level by areas of competence
// ("Technical", "Execution", "Collaboration and Communication") or coded
// axes ("Craftsmanship (C3)", "Impact (I2)") instead of Responsibilities
// and Requirements. An area heading is a leaf heading that holds a list and
// either carries an axis code or recurs, with the same words, under two or
// more different parents: the repetition across levels is what tells an
// area from a one-off topic. Its bullets become the level's requirements,
// each with the area's name.

// axisCodeRe matches a coded axis: a letter or two and a number in
// parentheses at the end of the heading.
var axisCodeRe = regexp.MustCompile(`\(\s*[A-Za-z]{1,2}\s*-?\s*\d{1,2}\s*\)\s*$`)

// areaKey folds an area heading for comparison across levels: the axis
// number changes from level to level, the area does not, and the order of
// its words may ("Communication and Collaboration").
func areaKey(text string) string {
	w := words(axisCodeRe.ReplaceAllStringFunc(text, func(code string) string {
		return strings.TrimRight(code, "0123456789-) ")
	}))
	sort.Strings(w)
	return strings.Join(w, " ")
}

// markAreas classifies area headings (see above). It runs after the
// headings are classified by their words and before levels are detected,
// so that a level heading holding areas qualifies as a level. Cost: one
// pass over the blocks and one over the headings.
func (p *parser) markAreas() {
	// holdsList[i]: heading i is directly followed by a list before the
	// next heading (a blockquote summary or a paragraph may come first).
	holdsList := make([]bool, len(p.heads))
	var cur *headInfo
	for i, b := range p.blocks {
		if h := p.headAt[i]; h != nil {
			cur = h
			continue
		}
		if _, ok := b.(*ast.List); ok && cur != nil {
			holdsList[cur.idx] = true
		}
	}
	parent := make([]*headInfo, len(p.heads))
	leaf := make([]bool, len(p.heads))
	var stack []*headInfo
	for _, h := range p.heads {
		for len(stack) > 0 && stack[len(stack)-1].depth >= h.depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 {
			parent[h.idx] = stack[len(stack)-1]
		}
		leaf[h.idx] = h.idx+1 >= len(p.heads) || p.heads[h.idx+1].depth <= h.depth
		stack = append(stack, h)
	}
	parents := map[string]map[*headInfo]bool{}
	for _, h := range p.heads {
		if h.class != classOther || !leaf[h.idx] || !holdsList[h.idx] || parent[h.idx] == nil || !atMostWords(h.text, 6) {
			continue
		}
		if describesAreas(parent[h.idx].text) {
			continue // "Areas of expertise": the axes described, not a level's
		}
		k := areaKey(h.text)
		if parents[k] == nil {
			parents[k] = map[*headInfo]bool{}
		}
		parents[k][parent[h.idx]] = true
	}
	for _, h := range p.heads {
		if h.class != classOther || !leaf[h.idx] || !holdsList[h.idx] || !atMostWords(h.text, 6) {
			continue
		}
		if hasLadderWord(h.text) {
			continue // "Senior" under two tracks is a level, not an area
		}
		if parent[h.idx] != nil && describesAreas(parent[h.idx].text) {
			continue
		}
		if axisCodeRe.MatchString(h.text) || len(parents[areaKey(h.text)]) >= 2 {
			h.class = classArea
		}
	}
	p.markAxesPage(leaf, holdsList, parent)
	// A heading the keywords missed that holds a list may still name a
	// section by its meaning (see meaning.go).
	for _, h := range p.heads {
		if h.class == classOther && holdsList[h.idx] {
			h.class = meaningOf(h.text)
			if h.class != classOther {
				h.byMeaning = true
				p.meaningKinds[sectionOfClass(h.class)] = true
			}
		}
	}
}

// hasLadderWord reports whether a heading names a rung of a ladder.
func hasLadderWord(text string) bool {
	for _, w := range mergeVP(words(text)) {
		if _, ok := ladderWords[w]; ok {
			return true
		}
		if _, ok := mgmtWords[w]; ok {
			return true
		}
	}
	return false
}

// describesAreas reports whether a heading introduces the areas themselves
// ("Areas of expertise", "Competencies", "Our axes") rather than a level.
func describesAreas(text string) bool {
	for _, w := range words(text) {
		switch w {
		case "area", "areas", "axis", "axes", "competency", "competencies", "dimension", "dimensions", "expertise", "pillars":
			return true
		}
	}
	return false
}

// markAxesPage finds the areas of a one-level-per-file ladder, whose axes
// are the page's top headings ("Knowledge & Technical Skill", "Impact &
// Output", "Communication", "Leadership", as H2): on a page with no
// section keyword, no grade heading and no area found so far, three or
// more sibling leaf headings at depth 1 or 2 that hold lists and are
// plain noun phrases (no "you", "we", "what": a job ad's headings address
// the reader) are areas. Deeper headings are a guide's steps or a
// section's topics more often than a ladder's axes.
func (p *parser) markAxesPage(leaf, holdsList []bool, parent []*headInfo) {
	for _, h := range p.heads {
		switch h.class {
		case classResp, classReq, classBonus, classGrade, classArea, classLevels:
			return
		}
	}
	groups := map[*headInfo][]*headInfo{}
	for _, h := range p.heads {
		if h.class == classOther && h.depth <= 2 && leaf[h.idx] && holdsList[h.idx] && isNounPhrase(h.text) && !hasLadderWord(h.text) {
			groups[parent[h.idx]] = append(groups[parent[h.idx]], h)
		}
	}
	for _, g := range groups {
		if len(g) < 3 {
			continue
		}
		for _, h := range g {
			h.class = classArea
		}
	}
}

// isNounPhrase reports whether a heading is a short name, not addressed
// to anyone and not a question: "Impact & Output", not "What you'll do".
func isNounPhrase(text string) bool {
	w := words(text)
	if len(w) == 0 || len(w) > 5 {
		return false
	}
	for _, x := range w {
		switch x {
		case "what", "who", "how", "why", "when", "where":
			return false
		}
		if cueWords[x].cue != 0 {
			return false
		}
	}
	return true
}
