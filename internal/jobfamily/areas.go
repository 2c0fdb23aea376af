package jobfamily

import (
	"regexp"
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
// number changes from level to level, the area does not.
func areaKey(text string) string {
	return strings.Join(words(axisCodeRe.ReplaceAllStringFunc(text, func(code string) string {
		return strings.TrimRight(code, "0123456789-) ")
	})), " ")
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
		if axisCodeRe.MatchString(h.text) || len(parents[areaKey(h.text)]) >= 2 {
			h.class = classArea
		}
	}
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
