package jobfamily

import (
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/role"
)

// TestParse_Patterns covers layouts met on real pages outside the fixtures,
// each with a minimal page written for the test: levels (slug, grade,
// extends, own item counts), family counts and specialties.
func TestParse_Patterns(t *testing.T) {
	tests := []struct {
		name            string
		src             string
		levels          []wantLevel
		famResp, famReq int
		specialties     int
		warnSubstr      string
		noWarnSubstr    string
	}{
		{
			// Two Levels headings, one per track: both hold levels and
			// nothing under the second becomes family-wide.
			name: "SeveralLevelsHeadings",
			src: `---
title: Widget Maker
---
## Individual Contributor Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Responsibilities
- Make widgets
#### Requirements
- Patience
## People Manager Levels
### Manager, Widgets
#### Job Grade
The Manager, Widgets is a grade 8.
#### Responsibilities
- Lead the widget team
- Hire widget makers
#### Requirements
- Leadership
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1, req: 1},
				{slug: "manager", title: "Manager, Widgets", grade: 8, resp: 2, req: 1},
			},
		},
		{
			// "## Job Grades" holding the levels is a Levels heading; the
			// lists under the family heading before it are the base.
			name: "JobGradesAsLevels",
			src: `## Widget Roles at Acme
### Requirements
- Patience
- Care
### Responsibilities
- Make widgets
## Job Grades
### Widget Maker
#### Job Grade
The Widget Maker is a grade 6.
### Senior Widget Maker
#### Job Grade
The Senior Widget Maker is a grade 7.
#### Responsibilities
- Mentor widget makers
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 6},
				{slug: "senior", title: "Senior Widget Maker", grade: 7, resp: 1},
			},
			famResp: 1, famReq: 2,
		},
		{
			// A per-level page: the Levels section is a list of links to the
			// other levels, the grade and lists are the page's own.
			name: "PerLevelLinkList",
			src: `---
title: Senior Widget Maker
---
## Responsibilities
- Make widgets
## Requirements
- Patience
## Levels
- [Widget Maker](../widget-maker/)
- Senior
## Job Grade
The Senior Widget Maker is a grade 7.
`,
			levels:     []wantLevel{{slug: "senior", title: "Senior Widget Maker", grade: 7, resp: 1, req: 1}},
			warnSubstr: "only links to other pages",
		},
		{
			// A per-level page that names itself in the level list: the
			// other headings under Levels are teams, not levels; the grade
			// stated before the levels is the only level's.
			name: "PerLevelNamedInList",
			src: `---
title: Senior Widget Maker
---
## Job Grade
The Senior Widget Maker is a grade 7.
## Responsibilities
- Make widgets
## Levels
- [Widget Maker](../widget-maker/)
- Senior
### Senior
#### Senior Responsibilities
- Mentor widget makers
### Gears Team
#### Requirements
- Knows gears
`,
			levels:  []wantLevel{{slug: "senior", title: "Senior", grade: 7, resp: 1}},
			famResp: 1, specialties: 1,
		},
		{
			// Specialties written as siblings of their Specialties heading,
			// with sections but no grade, after graded levels.
			name: "SiblingSpecialties",
			src: `## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Responsibilities
- Make widgets
### Specialties
#### Widget Maker (Red)
#### Widget Maker (Red) Responsibilities
- Paint widgets red
### Widget Maker (Blue)
#### Widget Maker (Blue) Responsibilities
- Paint widgets blue
## Hiring Process
- Call
`,
			levels:      []wantLevel{{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1}},
			specialties: 2,
		},
		{
			// A Specialties heading inside a level, its specialties one
			// level shallower: the rest of the level is specialties.
			name: "SpecialtiesShallowerThanHeading",
			src: `## Widget Maker
### Job Grade
The Widget Maker is a grade 5.
### Responsibilities
- Make widgets
#### Specialties
### Red
#### Red Responsibilities
- Paint widgets red
### Blue
### Blue Responsibilities
- Paint widgets blue
## Manager, Widgets
### Job Grade
The Manager, Widgets is a grade 8.
### Responsibilities
- Lead the widget team
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1},
				{slug: "manager", title: "Manager, Widgets", grade: 8, resp: 1},
			},
			specialties: 2,
		},
		{
			// Topic headings inside Responsibilities: their bullets are
			// responsibilities.
			name: "TopicHeadingsInSection",
			src: `---
title: Widget Maker
---
## Responsibilities
### Making
- Make widgets
- Polish widgets
### Shipping
- Ship widgets
## Requirements
- Patience
`,
			levels: []wantLevel{{slug: "widget-maker", title: "Widget Maker", resp: 3, req: 1}},
		},
		{
			// A single role whose Compensation section (with the grade)
			// comes before its lists.
			name: "SingleRoleCompensationFirst",
			src: `---
title: Widget Intern
---
### Compensation
Interns are paid. The Widget Intern is a grade 4.
## Responsibilities
- Make widgets
## Requirements
- Curiosity
`,
			levels: []wantLevel{{slug: "intern", title: "Widget Intern", grade: 4, resp: 1, req: 1}},
		},
		{
			// "Extends that of Widgets" on a "Widgets Roles" page names the
			// family-wide lists, not a level that contains the word.
			name: "ExtendsTheFamily",
			src: `---
title: Widgets Roles
---
## Requirements
- Patience
## Widgets Specialist
### Job Grade
The Widgets Specialist is a grade 5.
### Requirements
- Extends that of Widgets
### Responsibilities
- Make widgets
## Senior Widgets Specialist
### Job Grade
The Senior Widgets Specialist is a grade 6.
### Responsibilities
- Extends the Widgets Specialist responsibilities
- Mentor
`,
			levels: []wantLevel{
				{slug: "widgets-specialist", title: "Widgets Specialist", grade: 5, resp: 1},
				{slug: "senior", title: "Senior Widgets Specialist", grade: 6, extends: "widgets-specialist", resp: 1},
			},
			famReq:       1,
			noWarnSubstr: "cycle",
		},
		{
			// Prose inheritance: "Everything in X, plus:", "share the same
			// requirements as X", and an anchor that names no heading.
			name: "ProseInheritance",
			src: `## Levels
### Widget Maker
<a id="base"></a>
#### Job Grade
The Widget Maker is a grade 5.
#### Responsibilities
- Make widgets
### Senior Widget Maker
Everything in the Widget Maker role, plus:
- Mentor widget makers
#### Job Grade
The Senior Widget Maker is a grade 6.
### Staff Widget Maker
The Staff Widget Maker role extends the [Senior Widget Maker](#senior-role) role.
#### Responsibilities
- Design widgets
### Lead Widget Maker
#### Responsibilities
Lead widget makers share the same requirements as the Staff Widget Maker listed above, but also carry the following:
- Lead
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1},
				{slug: "senior", title: "Senior Widget Maker", grade: 6, extends: "widget-maker", resp: 1},
				{slug: "staff", title: "Staff Widget Maker", extends: "senior", resp: 1},
				{slug: "lead-widget-maker", title: "Lead Widget Maker", extends: "staff", resp: 1},
			},
		},
		{
			// A bonus phrase before the section word makes a bonus list.
			name: "NiceToHaveRequirements",
			src: `## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Responsibilities
- Make widgets
#### Nice-to-have Requirements
- Prior gear experience
- Open source work
`,
			levels: []wantLevel{{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1, req: 2, bonus: 2}},
		},
		{
			// Bullets under a level's Job Grade heading are its missing
			// Responsibilities; bullets under the level heading, when the
			// level has its own Responsibilities, are context. "Reports to"
			// and "extends" bullets are the level's details.
			name: "BulletsOutsideSections",
			src: `## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
- Make widgets
- Sort gears
#### Requirements
- Patience
### Senior Widget Maker
Market Justification
- Few companies have one
- The market pays well for them
#### Responsibilities
- Mentor widget makers
### Lead Widget Maker
- The Lead Widget Maker reports to the [Director](#director).
- The Lead Widget Maker role extends the [Senior Widget Maker](#senior-widget-maker) role.
#### Job Grade
The Lead Widget Maker is a grade 7.
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 2, req: 1},
				{slug: "senior", title: "Senior Widget Maker", resp: 1},
				{slug: "lead-widget-maker", title: "Lead Widget Maker", grade: 7, extends: "senior"},
			},
			warnSubstr: "are not items",
		},
		{
			// "Job Grades" over plain headings that state grades is a Levels
			// heading; the lists under the family heading are the base.
			name: "JobGradesOverPlainHeadings",
			src: `## Widget Roles at Acme
### Requirements
- Patience
### Responsibilities
- Make widgets
## Job Grades
### Senior Widget Maker
The Senior Widget Maker is a grade 7.
`,
			levels:  []wantLevel{{slug: "senior", title: "Senior Widget Maker", grade: 7}},
			famResp: 1, famReq: 1,
		},
		{
			// Levels written after the Levels section, at its depth.
			name: "LevelsAfterLevelsSection",
			src: `## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Responsibilities
- Make widgets
## Manager, Widgets
### Job Grade
The Manager, Widgets is a grade 8.
### Responsibilities
- Lead the widget team
- Hire widget makers
## Hiring Process
- Screening call
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1},
				{slug: "manager", title: "Manager, Widgets", grade: 8, resp: 2},
			},
		},
		{
			// A level heading with nothing under it but prose, followed by
			// a sibling "Job Grades" heading holding its grade and lists.
			name: "SiblingJobGradeHeading",
			src: `## Widget Maker
Widget makers make widgets.
## Job Grades
The Widget Maker is a grade 6.
### Responsibilities
- Make widgets
### Requirements
- Patience
## Senior Widget Maker
### Job Grade
The Senior Widget Maker is a grade 7.
### Responsibilities
- Mentor widget makers
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 6, resp: 1, req: 1},
				{slug: "senior", title: "Senior Widget Maker", grade: 7, resp: 1},
			},
		},
		{
			// Performance indicators in the intro do not hide the family
			// lists that follow.
			name: "ClosingHeadingBeforeLevels",
			src: `## Core Competencies
### Widget Performance Indicators
Widgets made per week.
## Responsibilities
- Make widgets
## Requirements
- Patience
## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Widget Maker Responsibilities
- Sort gears
`,
			levels:  []wantLevel{{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1}},
			famResp: 1, famReq: 1,
		},
		{
			// The grade stated under a sub-heading that repeats the level's
			// name; inheritance stated in the Job Grade section; "All of
			// the responsibilities listed for X"; "The X responsibilities,
			// plus".
			name: "GradeAndInheritanceWordings",
			src: `## Levels
### Widget Maker
#### Widget Maker (Intermediate)
The role is a grade 5.
#### Widget Maker (Intermediate) Responsibilities
- Make widgets
### Senior Widget Maker
#### Job Grade
The Senior Widget Maker is a grade 6. This role extends the [Widget Maker](#widget-maker) role.
### Staff Widget Maker
#### Responsibilities
- All of the responsibilities listed for Senior Widget Maker.
- Design widgets
### Principal Widget Maker
#### Responsibilities
The Staff responsibilities, plus the responsibilities below:
- Invent widgets
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1},
				{slug: "senior", title: "Senior Widget Maker", grade: 6, extends: "widget-maker"},
				{slug: "staff", title: "Staff Widget Maker", extends: "senior", resp: 1},
				{slug: "principal", title: "Principal Widget Maker", extends: "staff", resp: 1},
			},
		},
		{
			// A section heading naming the next rung of the ladder, with no
			// level heading of its own, starts that level.
			name: "LadderWordSectionHeading",
			src: `## Levels
### Widget Maker
#### Job Grade
The Widget Maker is a grade 5.
#### Widget Maker Responsibilities
- Make widgets
### Senior Widget Maker
#### Job Grade
The Senior Widget Maker is a grade 6.
#### Senior Widget Maker Responsibilities
- Mentor widget makers
#### Staff Widget Maker Responsibilities
- Extends Senior Widget Maker responsibilities plus;
- Design widgets
#### Staff Widget Maker Requirements
- Deep widget knowledge
- Gear theory
`,
			levels: []wantLevel{
				{slug: "widget-maker", title: "Widget Maker", grade: 5, resp: 1},
				{slug: "senior", title: "Senior Widget Maker", grade: 6, resp: 1},
				{slug: "staff", title: "Staff Widget Maker", extends: "senior", resp: 1, req: 2},
			},
			warnSubstr: "names another level",
		},
		{
			// A level whose only content is a link to another page is
			// dropped; a level extending it extends its parent instead. A
			// "Performance Indicators" bullet ends the list it sits in.
			name: "PointerLevelDroppedAndClosingBullet",
			src: `## Levels
### Senior Widget Manager
The Senior Widget Manager role extends the [Widget Manager](/job-families/widgets/manager/) role.
#### Job Grade
The Senior Widget Manager is a grade 9.
#### Responsibilities
Senior Widget Manager responsibilities match those of [Widget Manager](/job-families/widgets/manager/).
### Director, Widgets
The Director role extends the [Senior Widget Manager](#senior-widget-manager) role.
#### Job Grade
The Director, Widgets is a grade 10.
#### Requirements
- Leadership
- Performance Indicators
- Widgets shipped
`,
			levels:     []wantLevel{{slug: "director", title: "Director, Widgets", grade: 10, req: 1}},
			warnSubstr: "only links to another page: dropped",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse([]byte(tt.src), "page.md")
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			r := &res.Role
			if len(r.Levels) != len(tt.levels) {
				t.Fatalf("got %d levels %v, want %d; warnings %v", len(r.Levels), levelTitles(r), len(tt.levels), res.Warnings)
			}
			for i, w := range tt.levels {
				l := r.Levels[i]
				if l.Slug != w.slug || l.Title != w.title || gradeOf(l) != w.grade || l.Extends != w.extends {
					t.Errorf("level %d = %q %q grade %d extends %q; want %q %q grade %d extends %q",
						i, l.Slug, l.Title, gradeOf(l), l.Extends, w.slug, w.title, w.grade, w.extends)
				}
				if len(l.Responsibilities) != w.resp || len(l.Requirements) != w.req {
					t.Errorf("%s: %d responsibilities, %d requirements; want %d, %d", w.slug, len(l.Responsibilities), len(l.Requirements), w.resp, w.req)
				}
				if b := bonusCount(l); b != w.bonus {
					t.Errorf("%s: %d bonus items, want %d", w.slug, b, w.bonus)
				}
			}
			if len(r.Family.Responsibilities) != tt.famResp || len(r.Family.Requirements) != tt.famReq {
				t.Errorf("family %d/%d, want %d/%d", len(r.Family.Responsibilities), len(r.Family.Requirements), tt.famResp, tt.famReq)
			}
			if len(r.Specialties) != tt.specialties {
				t.Errorf("%d specialties, want %d", len(r.Specialties), tt.specialties)
			}
			for _, w := range res.Warnings {
				if tt.noWarnSubstr != "" && strings.Contains(w.Message, tt.noWarnSubstr) {
					t.Errorf("unexpected warning %+v", w)
				}
			}
			if tt.warnSubstr != "" {
				found := false
				for _, w := range res.Warnings {
					found = found || strings.Contains(w.Message, tt.warnSubstr)
				}
				if !found {
					t.Errorf("no warning containing %q: %v", tt.warnSubstr, res.Warnings)
				}
			}
		})
	}
}

func bonusCount(l role.Level) int {
	n := 0
	for _, it := range append(append([]role.Item(nil), l.Responsibilities...), l.Requirements...) {
		if it.Bonus {
			n++
		}
	}
	return n
}

// TestParse_SummaryNotSEODescription: a page's search-engine description
// speaks of the page, so the summary is the page's own summary or the
// first sentences of its introduction, never the description.
func TestParse_SummaryNotSEODescription(t *testing.T) {
	intro := "Widget Makers build the widgets our customers use every day. " + strings.Repeat("They care about quality and speed. ", 12)
	tests := []struct{ name, frontMatter, want string }{
		{"Intro", "description: Learn more about Widget Maker roles at Example", "Widget Makers build the widgets our customers use every day."},
		{"OwnSummary", "summary: Build widgets.\ndescription: Learn more about Widget Maker roles", "Build widgets."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "---\ntitle: Widget Maker\n" + tt.frontMatter + "\n---\n" + intro + "\n\n## Responsibilities\n- Make widgets\n## Requirements\n- Patience\n"
			res, err := Parse([]byte(src), "widget-maker.md")
			if err != nil {
				t.Fatal(err)
			}
			got := res.Role.Summary
			if tt.name == "Intro" && (!strings.HasPrefix(got, tt.want) || len([]rune(got)) > summaryMax || strings.Contains(got, "Learn more")) {
				t.Errorf("summary %q: want the intro's first sentences, at most %d characters", got, summaryMax)
			}
			if tt.name == "OwnSummary" && got != tt.want {
				t.Errorf("summary %q, want %q", got, tt.want)
			}
		})
	}
}
