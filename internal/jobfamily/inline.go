package jobfamily

import (
	"html"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// linkRef is a link found in inline content.
type linkRef struct {
	text, dest string
}

// inline is the rendering of a run of inline markdown: plain text for ids
// and export, safe HTML for display, and the links it holds.
type inline struct {
	text  strings.Builder
	html  strings.Builder
	links []linkRef
}

// Text returns the plain text with whitespace collapsed.
func (in *inline) Text() string { return collapse(in.text.String()) }

// HTML returns the sanitised HTML with whitespace collapsed.
func (in *inline) HTML() string { return collapse(in.html.String()) }

// renderInlines renders the inline children of a block node.
func renderInlines(n ast.Node, src []byte, in *inline) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		renderInline(c, src, in, 0)
	}
}

// maxInlineDepth bounds recursion on pathological nesting.
const maxInlineDepth = 64

func renderInline(n ast.Node, src []byte, in *inline, depth int) {
	if depth > maxInlineDepth {
		return
	}
	switch n := n.(type) {
	case *ast.Text:
		in.addText(unescapeMarkdown(string(n.Value(src))))
		if n.SoftLineBreak() || n.HardLineBreak() {
			in.addText(" ")
		}
	case *ast.String:
		in.addText(unescapeMarkdown(string(n.Value)))
	case *ast.CodeSpan:
		var b strings.Builder
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(t.Value(src))
			case *ast.String:
				b.Write(t.Value)
			}
		}
		code := b.String()
		in.text.WriteString(code)
		in.html.WriteString("<code>" + html.EscapeString(code) + "</code>")
	case *ast.Emphasis:
		tag := "em"
		if n.Level >= 2 {
			tag = "strong"
		}
		in.html.WriteString("<" + tag + ">")
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			renderInline(c, src, in, depth+1)
		}
		in.html.WriteString("</" + tag + ">")
	case *ast.Link:
		dest := string(n.Destination)
		var sub inline
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			renderInline(c, src, &sub, depth+1)
		}
		in.links = append(in.links, linkRef{text: sub.Text(), dest: dest})
		in.links = append(in.links, sub.links...)
		in.text.WriteString(sub.text.String())
		if safeHref(dest) {
			in.html.WriteString(`<a href="` + html.EscapeString(dest) + `">` + sub.html.String() + "</a>")
		} else {
			in.html.WriteString(sub.html.String())
		}
	case *ast.AutoLink:
		label := string(n.Label(src))
		dest := string(n.URL(src))
		in.links = append(in.links, linkRef{text: label, dest: dest})
		in.text.WriteString(label)
		if safeHref(dest) {
			in.html.WriteString(`<a href="` + html.EscapeString(dest) + `">` + html.EscapeString(label) + "</a>")
		} else {
			in.html.WriteString(html.EscapeString(label))
		}
	case *ast.Image:
		// The alt text stands for the image.
		var sub inline
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			renderInline(c, src, &sub, depth+1)
		}
		in.addText(sub.text.String())
	case *ast.RawHTML:
		// Raw HTML is dropped; a line break tag still separates words.
		in.addText(" ")
	default:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			renderInline(c, src, in, depth+1)
		}
	}
}

// addText appends plain text to both renderings, escaped for HTML.
func (in *inline) addText(s string) {
	s = html.UnescapeString(s)
	in.text.WriteString(s)
	in.html.WriteString(html.EscapeString(s))
}

// safeHref accepts http(s) URLs, mailto and relative references; anything
// else (javascript:, data:, …) loses its link.
func safeHref(dest string) bool {
	d := strings.TrimSpace(strings.ToLower(dest))
	if d == "" {
		return false
	}
	if strings.HasPrefix(d, "http://") || strings.HasPrefix(d, "https://") || strings.HasPrefix(d, "mailto:") {
		return true
	}
	for _, r := range d {
		switch {
		case r == ':':
			return false // an unknown scheme
		case r == '/' || r == '?' || r == '#':
			return true
		case r < 0x20 || r == '\\':
			return false
		}
	}
	return true
}

// unescapeMarkdown removes backslash escapes before ASCII punctuation.
func unescapeMarkdown(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) && isASCIIPunct(s[i+1]) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func isASCIIPunct(c byte) bool {
	return (c >= '!' && c <= '/') || (c >= ':' && c <= '@') || (c >= '[' && c <= '`') || (c >= '{' && c <= '~')
}

// collapse folds runs of whitespace into single spaces and trims.
func collapse(s string) string {
	if isCollapsed(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// isCollapsed reports whether s is ASCII with single spaces between words
// and none at either end, the common case that needs no copy.
func isCollapsed(s string) bool {
	prevSpace := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r':
			return false
		case c == ' ':
			if prevSpace {
				return false
			}
			prevSpace = true
		default:
			prevSpace = false
		}
	}
	return !prevSpace || s == ""
}

// blockInline renders the inline content of a paragraph, text block or
// heading.
func blockInline(n ast.Node, src []byte) *inline {
	in := &inline{}
	renderInlines(n, src, in)
	return in
}
