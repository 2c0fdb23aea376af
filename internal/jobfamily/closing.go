package jobfamily

import (
	"regexp"
	"strings"

	"github.com/yuin/goldmark/ast"
)

var stepNumberRe = regexp.MustCompile(`^\s*(?:step\s+|stage\s+)?\(?\d{1,2}\s*[.):]\)?\s*`)

// closingSub handles a heading inside a closing section: in the hiring
// process it names the next stage.
func (p *parser) closingSub(h *headInfo) {
	if p.closing == closeHiring {
		p.stepTitle = strings.TrimSpace(stepNumberRe.ReplaceAllString(h.text, ""))
	}
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
		// A single role may state its grade under "Compensation".
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
