package jobfamily

import (
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

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
		// Never the front matter's description: it is written for search
		// engines and speaks of the page ("Learn more about … roles at
		// GitLab"), not of the role.
		r.Summary = introSummary(r.Intro)
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
	if reason, ok := p.notAJob(); !ok {
		return nil, &RefusedError{Reason: reason, FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	if !r.HasItem() {
		return nil, &RefusedError{Reason: "no Responsibilities or Requirements found", FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	if err := r.Validate(); err != nil {
		return nil, &RefusedError{Reason: err.Error(), FromLine: 1, ToLine: max(p.totalLines, 1)}
	}
	return &Result{Role: r, Warnings: p.warnings, open: p.open}, nil
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

// notAJob tells a job page from a page that only looks like one: a
// tutorial's "What you'll do" steps are a list under a heading that names
// work, yet nothing is asked of a person; a persona file's "Who you are"
// names a person but no work. A page with no section heading matched by
// its keywords, no competency area and no grade must name, by meaning,
// both what the person will do and what they bring. It returns the reason
// and false for a page that is not a job.
func (p *parser) notAJob() (string, bool) {
	for _, h := range p.heads {
		switch h.class {
		case classResp, classReq, classBonus, classGrade, classArea:
			if !h.byMeaning {
				return "", true
			}
		}
	}
	for _, l := range p.levels {
		if l.level.Grade != nil {
			return "", true
		}
	}
	work, bring := p.meaningKinds[role.Responsibilities], p.meaningKinds[role.Requirements]
	switch {
	case work && bring, !work && !bring:
		return "", true
	case work:
		return "not a job description: its lists say what one will do, but no section says what a person must bring", false
	}
	return "not a job description: its lists say who one is, but no section says what the work is", false
}

// introSummary is the first paragraph of a page's introduction as plain
// text, cut to whole sentences of at most summaryMax characters (a
// summary stands in a list of roles).
func introSummary(introHTML string) string {
	for _, part := range strings.Split(introHTML, "\n") {
		if !strings.HasPrefix(part, "<p>") {
			continue
		}
		txt := strings.TrimSpace(html.UnescapeString(tagPattern.ReplaceAllString(part, "")))
		if txt != "" {
			return shortenSummary(txt)
		}
	}
	return ""
}

const summaryMax = 300

func shortenSummary(txt string) string {
	if utf8.RuneCountInString(txt) <= summaryMax {
		return txt
	}
	cut := string([]rune(txt)[:summaryMax])
	if i := strings.LastIndex(cut, ". "); i > summaryMax/3 {
		return cut[:i+1]
	}
	if i := strings.LastIndex(cut, " "); i > 0 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:") + "…"
}

var tagPattern = regexp.MustCompile(`<[^>]*>`)
