package jobfamily

import (
	"bytes"
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// frontMatter holds the keys of the leading YAML block that rolefit uses.
type frontMatter struct {
	Title, Summary string
	// Lines is the number of source lines the block spans, 0 when none.
	Lines int
}

// maxFrontMatter bounds the YAML handed to the decoder.
const maxFrontMatter = 64 << 10

// cleanSource makes the bytes safe to parse: valid UTF-8 and LF line ends.
// Line numbers are kept: CRLF becomes LF, and a lone CR a LF.
func cleanSource(src []byte) []byte {
	if !utf8.Valid(src) {
		src = bytes.ToValidUTF8(src, []byte("\uFFFD"))
	}
	if bytes.IndexByte(src, '\r') >= 0 {
		src = bytes.ReplaceAll(src, []byte("\r\n"), []byte("\n"))
		src = bytes.ReplaceAll(src, []byte("\r"), []byte("\n"))
	}
	// NUL bytes are not text; goldmark would replace them anyway.
	if bytes.IndexByte(src, 0) >= 0 {
		src = bytes.ReplaceAll(src, []byte{0}, []byte("\uFFFD"))
	}
	return src
}

// metaKeyRe matches a YAML "key: value" line of front matter.
var metaKeyRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*:(?:\s|$)`)

// splitFrontMatter reads the `---` block that starts on line 1 (or the
// block of `key: value` lines that lost its opening `---`) and blanks its
// lines in the returned body, so line numbers stay those of the file.
func splitFrontMatter(src []byte) (frontMatter, []byte) {
	var fm frontMatter
	lines := bytes.SplitAfter(src, []byte("\n"))
	if len(lines) < 2 {
		return fm, src
	}
	first := 1
	if strings.TrimRight(string(lines[0]), " \t\n") != "---" {
		// Front matter that lost its opening "---": "title: X" on line 1
		// and a closing "---" after more "key: value" lines.
		if !metaKeyRe.Match(lines[0]) {
			return fm, src
		}
		first = 0
	}
	end := -1
	for i := first; i < len(lines); i++ {
		l := strings.TrimRight(string(lines[i]), " \t\n")
		if l == "---" || l == "..." {
			end = i
			break
		}
		if first == 0 && !metaKeyRe.Match(lines[i]) && !strings.HasPrefix(l, " ") && !strings.HasPrefix(l, "- ") && l != "" {
			return fm, src
		}
	}
	if end < 0 || end == first && first == 0 {
		return fm, src
	}
	yamlText := bytes.Join(lines[first:end], nil)
	fm = parseFrontMatter(yamlText)
	fm.Lines = end + 1
	body := make([]byte, 0, len(src))
	for i := 0; i <= end; i++ {
		body = append(body, '\n')
	}
	for _, l := range lines[end+1:] {
		body = append(body, l...)
	}
	return fm, body
}

// parseFrontMatter decodes the YAML leniently: unknown keys are ignored, a
// title that is not a string falls back to its raw text, and invalid YAML
// falls back to reading `key: value` lines.
func parseFrontMatter(y []byte) frontMatter {
	var fm frontMatter
	raw := rawKeys(y)
	var m map[string]any
	ok := len(y) <= maxFrontMatter && safeUnmarshal(y, &m) == nil
	get := func(key string) string {
		if ok {
			if v, found := m[key]; found {
				if s, isStr := v.(string); isStr {
					return s
				}
				if v != nil {
					if r := raw[key]; r != "" {
						return r
					}
					return fmt.Sprint(v)
				}
				return ""
			}
			return ""
		}
		return raw[key]
	}
	fm.Title = cleanMeta(get("title"))
	fm.Summary = cleanMeta(get("summary"))
	return fm
}

func safeUnmarshal(y []byte, v any) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: %v", r)
		}
	}()
	return yaml.Unmarshal(y, v)
}

// rawKeys reads top-level `key: value` lines without YAML, for fallbacks.
func rawKeys(y []byte) map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(string(y), "\n") {
		if line == "" || line[0] == ' ' || line[0] == '\t' || line[0] == '#' || line[0] == '-' {
			continue
		}
		k, v, found := strings.Cut(line, ":")
		if !found {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
			v = v[1 : len(v)-1]
		}
		if _, dup := out[k]; !dup {
			out[k] = v
		}
	}
	return out
}

// cleanMeta decodes HTML entities once and collapses whitespace.
func cleanMeta(s string) string {
	return collapse(html.UnescapeString(s))
}

// maxTemplateTag bounds how far a shortcode or ERB tag may reach.
const maxTemplateTag = 2000

// findTemplates returns the byte ranges of Hugo shortcodes ({{< … >}},
// {{% … %}}) and ERB tags (<% … %>), in one pass.
func findTemplates(src []byte) [][2]int {
	var out [][2]int
	for i := 0; i+1 < len(src); i++ {
		var closer string
		switch {
		case src[i] == '{' && i+2 < len(src) && src[i+1] == '{' && (src[i+2] == '<' || src[i+2] == '%'):
			closer = string(src[i+2]) + "}}"
			if closer[0] == '<' {
				closer = ">}}"
			}
		case src[i] == '<' && src[i+1] == '%':
			closer = "%>"
		default:
			continue
		}
		end := min(len(src), i+maxTemplateTag)
		j := bytes.Index(src[i+2:end], []byte(closer))
		if j < 0 {
			continue
		}
		stop := i + 2 + j + len(closer)
		out = append(out, [2]int{i, stop})
		i = stop - 1
	}
	return out
}

var shortcodeNameRe = regexp.MustCompile(`^(?:\{\{[<%]|<%=?)\s*/?\s*([^\s%>}]*)`)

// templateTag is a shortcode or ERB tag removed from the source.
type templateTag struct {
	Line int
	Name string
	// Alone is set when the tag was the only thing on its line.
	Alone bool
	// Closing is set for the closing tag of a paired shortcode.
	Closing bool
}

// stripTemplates removes shortcodes and ERB tags, keeping their line breaks
// so line numbers stay those of the file. The text between a pair of
// shortcodes stays; a link whose target was a shortcode keeps its text.
func stripTemplates(src []byte) ([]byte, []templateTag) {
	locs := findTemplates(src)
	if len(locs) == 0 {
		return src, nil
	}
	starts := lineStarts(src)
	var tags []templateTag
	out := make([]byte, 0, len(src))
	prev := 0
	for _, loc := range locs {
		out = append(out, src[prev:loc[0]]...)
		m := src[loc[0]:loc[1]]
		out = append(out, bytes.Repeat([]byte("\n"), bytes.Count(m, []byte("\n")))...)
		name := ""
		if sm := shortcodeNameRe.FindSubmatch(m); sm != nil {
			name = string(sm[1])
		}
		lineStart := 0
		if i := bytes.LastIndexByte(src[:loc[0]], '\n'); i >= 0 {
			lineStart = i + 1
		}
		lineEnd := len(src)
		if i := bytes.IndexByte(src[loc[1]:], '\n'); i >= 0 {
			lineEnd = loc[1] + i
		}
		alone := len(bytes.TrimSpace(src[lineStart:loc[0]])) == 0 && len(bytes.TrimSpace(src[loc[1]:lineEnd])) == 0
		closing := bytes.HasPrefix(bytes.TrimLeft(m[3:], " "), []byte("/"))
		tags = append(tags, templateTag{Line: lineOf(starts, loc[0]), Name: name, Alone: alone, Closing: closing})
		prev = loc[1]
	}
	out = append(out, src[prev:]...)
	return out, tags
}

// lineStarts returns the byte offset at which each line starts.
func lineStarts(src []byte) []int {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// lineOf returns the 1-based line of a byte offset.
func lineOf(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off })
}
