package jobfamily

import (
	"fmt"
	"strings"

	"github.com/yuin/goldmark/ast"
)

func (p *parser) collectHeadings() {
	for i, b := range p.blocks {
		h, ok := b.(*ast.Heading)
		if !ok {
			continue
		}
		t := blockInline(h, p.src).Text()
		t = strings.TrimSpace(strings.TrimRight(t, ": "))
		info := &headInfo{idx: len(p.heads), block: i, depth: h.Level, text: t, line: p.nodeLine(h)}
		if info.line == 0 {
			info.line = p.lineBefore(i)
		}
		info.class, info.closing = classifyHeading(t)
		a := anchorOf(t)
		if a != "" {
			// Hugo numbers repeated anchors "-1", "-2", …; counting from
			// the last number used keeps a page of many identical
			// headings linear.
			base := a
			for p.anchor[a] != nil {
				p.anchorNext[base]++
				a = fmt.Sprintf("%s-%d", base, p.anchorNext[base])
			}
			p.anchor[a] = info
		}
		info.anchor = a
		p.heads = append(p.heads, info)
		p.headAt[i] = info
	}
	p.markAreas()
	// A heading qualifies as a level when a grade or section heading sits
	// in its own subtree, nearer to it than to any other plain heading.
	var stack []*headInfo
	for _, h := range p.heads {
		for len(stack) > 0 && stack[len(stack)-1].depth >= h.depth {
			stack = stack[:len(stack)-1]
		}
		switch h.class {
		case classGrade, classResp, classReq, classBonus, classArea:
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
