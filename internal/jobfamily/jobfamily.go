// Package jobfamily imports job-family pages written in markdown (the GitLab
// handbook format, other companies' ladders and job ads) into rolefit's
// role model. Real pages are untidy, so the importer finds sections by
// their words and meaning rather than their heading depth, tolerates broken
// markup, and reports what it could not place as warnings with line
// numbers instead of failing.
//
// A page goes through these stages, each linear in the size of the page
// (or O(n log n) where warnings are sorted):
//
//  1. Bytes and front matter (source.go): valid UTF-8, LF line ends, the
//     leading YAML block (also when its opening "---" is missing), template
//     shortcodes and ERB dropped with their line numbers kept.
//  2. Markdown AST (parse.go): goldmark's block tree; HTML, code and
//     blockquotes stay opaque.
//  3. Section classification (headings.go, classify.go, meaning.go,
//     areas.go): each heading by its last words (keywords with a small edit
//     distance), then, when the keywords miss and the heading holds a list,
//     by a score of what its words are about; leaf headings holding lists
//     that carry an axis code or recur under several levels are competency
//     areas.
//  4. Level detection (levels.go): headings under a Levels heading (or a
//     track heading inside it), else headings whose own subtree holds a
//     grade or a section, anywhere on the page, also after a closing
//     section; none makes a single-role page named from its title.
//  5. Item extraction (walk.go, items.go, closing.go): one walk over the
//     blocks files bullets, plain-line lists and line headings into the
//     current level, the family lists, a specialty or a closing section.
//  6. Inheritance resolution (inherit.go, resolve.go, set.go): "Extends …"
//     bullets and sentences become links, resolved by anchor, position and
//     fuzzy title within the page, then across the pages of a handbook
//     imported together; cycles are broken with a warning.
//  7. Finishing (finish.go): grades from a grade table, unique slugs, the
//     role built and validated, warnings sorted; a page with no level that
//     holds an item is refused with the reason and the lines.
//
// ParseContext checks its context as it goes, so a deadline or Ctrl-C
// stops a parse at once.
package jobfamily

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"

	"github.com/rolefit/rolefit/internal/role"
)

// Warning is a non-fatal import finding.
type Warning struct {
	Line    int    `json:"line"`
	Message string `json:"message"`
}

// RefusedError says why a page yields no level with at least one item, and
// where.
type RefusedError struct {
	Reason           string
	FromLine, ToLine int
}

// Error implements error.
func (e *RefusedError) Error() string {
	if e.FromLine <= 0 {
		return e.Reason
	}
	return fmt.Sprintf("%s (lines %d-%d)", e.Reason, e.FromLine, e.ToLine)
}

// Result is the outcome of parsing one page.
type Result struct {
	Role     role.Role
	Warnings []Warning
	// open holds the inheritance links no level of the page resolves, for
	// ParseSet to try against the pages imported with it.
	open []openLink
}

// Hash returns the hex SHA-256 of a page's source, the content hash of a
// role version.
func Hash(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}

// Parse reads one job-family page. name is the file name, used for the slug
// when the page has no title. It never panics and runs in time linear in
// the size of the page.
func Parse(src []byte, name string) (*Result, error) {
	return ParseContext(context.Background(), src, name)
}

// ParseContext is Parse that gives up when ctx is done (a deadline on the
// admin preview, Ctrl-C on the command line): it then returns ctx's error.
func ParseContext(ctx context.Context, src []byte, name string) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			if c, ok := r.(cancelled); ok {
				res, err = nil, fmt.Errorf("jobfamily: parsing %s: %w", name, c.err)
				return
			}
			res, err = nil, fmt.Errorf("jobfamily: internal error parsing %s: %v", name, r)
		}
	}()
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("jobfamily: parsing %s: %w", name, err)
	}
	p := newParser(src, name)
	p.ctx = ctx
	return p.run()
}

// cancelled carries ctx's error out of the parser's stages by panic, so
// that every loop can stop without each helper returning an error.
type cancelled struct{ err error }

// tick is called once per unit of work (a block, a heading, a level); every
// few hundred calls it checks whether the caller gave up.
func (p *parser) tick() {
	p.ticks++
	if p.ticks&255 != 0 || p.ctx == nil {
		return
	}
	if err := p.ctx.Err(); err != nil {
		panic(cancelled{err})
	}
}

// jsonItem is an item as `rolefit import --dry-run --json` prints it.
type jsonItem struct {
	ID       string   `json:"id"`
	Text     string   `json:"text"`
	Kind     string   `json:"kind"`
	Bonus    bool     `json:"bonus"`
	MinYears *float64 `json:"min_years,omitempty"`
	Details  []string `json:"details,omitempty"`
	Line     int      `json:"line,omitempty"`
	Area     string   `json:"area,omitempty"`
}

type jsonLevel struct {
	Slug             string     `json:"slug"`
	Title            string     `json:"title"`
	Grade            *int       `json:"grade"`
	ReportsTo        string     `json:"reports_to,omitempty"`
	Extends          string     `json:"extends"`
	NoBase           bool       `json:"no_base,omitempty"`
	Responsibilities []jsonItem `json:"responsibilities"`
	Requirements     []jsonItem `json:"requirements"`
}

type jsonGroup struct {
	Name             string     `json:"name,omitempty"`
	Responsibilities []jsonItem `json:"responsibilities"`
	Requirements     []jsonItem `json:"requirements"`
}

type jsonRole struct {
	Slug                  string      `json:"slug"`
	Title                 string      `json:"title"`
	Summary               string      `json:"summary,omitempty"`
	Levels                []jsonLevel `json:"levels"`
	Family                jsonGroup   `json:"family"`
	Specialties           []jsonGroup `json:"specialties"`
	PerformanceIndicators []string    `json:"performance_indicators"`
	CareerLadder          []string    `json:"career_ladder"`
	HiringProcess         []string    `json:"hiring_process"`
	Warnings              []Warning   `json:"warnings"`
}

// JSON returns the machine-readable form of the parsed role (SPEC §1): the
// role's fields plus its warnings. A level lists only its own items; lists
// are empty arrays, never null.
func (r *Result) JSON() ([]byte, error) {
	ro := &r.Role
	out := jsonRole{
		Slug:                  ro.Slug,
		Title:                 ro.Title,
		Summary:               ro.Summary,
		Levels:                []jsonLevel{},
		Family:                toJSONGroup(ro.Family),
		Specialties:           []jsonGroup{},
		PerformanceIndicators: nonNil(ro.PerformanceIndicators),
		CareerLadder:          nonNil(ro.CareerLadder),
		HiringProcess:         nonNil(ro.HiringProcess),
		Warnings:              r.Warnings,
	}
	if out.Warnings == nil {
		out.Warnings = []Warning{}
	}
	for _, l := range ro.Levels {
		out.Levels = append(out.Levels, jsonLevel{
			Slug: l.Slug, Title: l.Title, Grade: l.Grade, ReportsTo: l.ReportsTo,
			Extends: l.Extends, NoBase: l.NoBase,
			Responsibilities: toJSONItems(l.Responsibilities),
			Requirements:     toJSONItems(l.Requirements),
		})
	}
	for _, g := range ro.Specialties {
		out.Specialties = append(out.Specialties, toJSONGroup(g))
	}
	return json.MarshalIndent(out, "", "  ")
}

func toJSONGroup(g role.Group) jsonGroup {
	return jsonGroup{Name: g.Name, Responsibilities: toJSONItems(g.Responsibilities), Requirements: toJSONItems(g.Requirements)}
}

func toJSONItems(items []role.Item) []jsonItem {
	out := make([]jsonItem, 0, len(items))
	for _, it := range items {
		j := jsonItem{ID: it.ID, Text: it.Text, Kind: string(it.Kind), Bonus: it.Bonus, Details: it.Details, Line: it.Line, Area: it.Area}
		if it.Kind == role.KindExperience {
			y := it.MinYears
			j.MinYears = &y
		}
		out = append(out, j)
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
