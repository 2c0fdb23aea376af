package jobfamily

import (
	"strings"
	"testing"
)

// TestParse_Layouts covers the layouts beyond the main template, each with
// a synthetic page: competency areas, sections named by meaning, headings
// written as lines, levels after the closing sections.
func TestParse_Layouts(t *testing.T) {
	tests := []struct {
		name    string
		src     string
		levels  []wantLevel
		areas   map[string][]string // level slug → the areas of its requirements, in order
		famReq  int
		refused bool
	}{
		{
			// Areas repeated under each level; the axes described before
			// the levels are not items.
			name: "NamedAreas",
			src: `---
title: Platform Engineer
---
## Areas of expertise
| Area | Meaning |
|---|---|
| Technical | How you build |
| Execution | How you deliver |

## Platform Engineer
The Platform Engineer is a grade 6.
### Technical
- Writes tested code
- Reviews changes
### Execution
- Ships small increments

## Senior Platform Engineer
The Senior Platform Engineer is a grade 7.
### Technical
- Designs systems across teams
### Execution
- Plans a quarter of work
- Removes blockers for others
`,
			levels: []wantLevel{
				{slug: "platform-engineer", title: "Platform Engineer", grade: 6, req: 3},
				{slug: "senior", title: "Senior Platform Engineer", grade: 7, req: 3},
			},
			areas: map[string][]string{
				"platform-engineer": {"Technical", "Technical", "Execution"},
				"senior":            {"Technical", "Execution", "Execution"},
			},
		},
		{
			// The areas described under "Areas of expertise" before the
			// levels are not a level; an area whose words come in another
			// order is the same area.
			name: "AreasDescribedFirst",
			src: `---
title: Operator
---
## Areas of expertise
### Technical
- Systems and networks
### Collaboration and Communication
- Writing and reviews
## Levels
### Operator
#### Technical
- Runs the systems
#### Collaboration and Communication
- Writes runbooks
### Senior Operator
#### Technical
- Designs the systems
#### Communication and Collaboration
- Leads reviews
`,
			levels: []wantLevel{
				{slug: "operator", title: "Operator", req: 2},
				{slug: "senior", title: "Senior Operator", req: 2},
			},
			areas: map[string][]string{"senior": {"Technical", "Communication and Collaboration"}},
		},
		{
			// One level per file, its axes as headings: plain noun
			// phrases holding lists, three or more of them, on a page
			// with no section keyword.
			name: "AxesPage",
			src: `# Data Engineer II

_Each level includes the levels below._

## Craft
* Builds reliable pipelines
* Tests data quality
## Delivery
* Estimates work
## Collaboration
* Reviews peers' changes
`,
			levels: []wantLevel{{slug: "data-engineer-ii", title: "Data Engineer II", req: 4}},
			areas:  map[string][]string{"data-engineer-ii": {"Craft", "Craft", "Delivery", "Collaboration"}},
		},
		{
			// Coded axes, one level per file: the code alone marks them.
			name: "CodedAxes",
			src: `---
title: Staff Engineer
---
The Staff Engineer is a grade 8.

## Craftsmanship (C3)
> Sets the standard for the code base.

* **Quality**: keeps the code base healthy
* **Testing**: makes testing easy

## Impact (I3)
* Delivers work that changes the product
`,
			levels: []wantLevel{{slug: "staff", title: "Staff Engineer", grade: 8, req: 3}},
			areas:  map[string][]string{"staff": {"Craftsmanship (C3)", "Craftsmanship (C3)", "Impact (I3)"}},
		},
		{
			// A job ad: sections named by meaning; what the company offers
			// is not a section.
			name: "JobAd",
			src: `---
title: Backend Engineer
---
We build tools for farmers.

## Here is what you will be working on
- Design the billing service
- Keep the API fast

## Our ideal candidate has
- Go in production
- 3+ years of backend work

## Even better if you have
- Rust

## What we offer
- A four-day week
`,
			levels: []wantLevel{{slug: "backend-engineer", title: "Backend Engineer", resp: 2, req: 3}},
		},
		{
			// An old job page: "Requirements for Applicants".
			name: "RequirementsForApplicants",
			src: `---
title: Developer
---
## Responsibilities
- Fix bugs
## Requirements for Applicants
- You share our values
- Know Ruby
## Workflow
See the [handbook](/handbook/).
`,
			levels: []wantLevel{{slug: "developer", title: "Developer", resp: 1, req: 2}},
		},
		{
			// Section names written as a bold line and as a plain line
			// ending in a colon.
			name: "LineHeadings",
			src: `---
title: Support Agent
---
**What you'll do**

- Answer tickets
- Write help articles

Who you are:

- Patient with customers
`,
			levels: []wantLevel{{slug: "support-agent", title: "Support Agent", resp: 2, req: 1}},
		},
		{
			// A level after the career-ladder section is a level.
			name: "LevelAfterCareerLadder",
			src: `---
title: Analyst
---
## Levels
### Analyst
#### Responsibilities
- Analyse data
### Senior Analyst
#### Responsibilities
- Lead analyses
## Career Ladder
- Analyst, then Senior Analyst, then Staff Analyst
### Staff Analyst
The Staff Analyst is a grade 8.
#### Responsibilities
- Set the analysis strategy
`,
			levels: []wantLevel{
				{slug: "analyst", title: "Analyst", resp: 1},
				{slug: "senior", title: "Senior Analyst", resp: 1},
				{slug: "staff", title: "Staff Analyst", grade: 8, resp: 1},
			},
		},
		{
			// Inheritance written as prose and as a "plus;" bullet.
			name: "InheritanceAsWords",
			src: `---
title: Designer
---
## Levels
### Intermediate Designer
#### Responsibilities
- Design screens
#### Requirements
- A portfolio
### Senior Designer
#### Responsibilities
The same responsibilities as the intermediate position, plus:
- Lead design reviews
#### Requirements
- Everything in Intermediate Designer, plus;
- Mentoring experience
`,
			levels: []wantLevel{
				{slug: "intermediate", title: "Intermediate Designer", resp: 1, req: 1},
				{slug: "senior", title: "Senior Designer", extends: "intermediate", resp: 1, req: 1},
			},
		},
		{
			// Front matter missing its opening "---".
			name: "FrontMatterNoOpening",
			src: `title: Recruiter
description: Finds people
---
## Responsibilities
- Source candidates
`,
			levels: []wantLevel{{slug: "recruiter", title: "Recruiter", resp: 1}},
		},
		{
			// A list written as plain lines with no markers.
			name: "PlainLines",
			src: `---
title: Editor
---
## Responsibilities
Edit articles for clarity.
Plan the editorial calendar.
Coach writers on style.

## Requirements
- Excellent written English
`,
			levels: []wantLevel{{slug: "editor", title: "Editor", resp: 3, req: 1}},
		},
		{
			// A manager level's first bullets describe the role; the
			// duties follow.
			name: "ManagerIntroBullets",
			src: `---
title: Engineering Manager
---
## Responsibilities
- This role reports to the Director of Engineering
- You will lead a team of 5-8 engineers
- Hire and retain engineers
- Run the team's planning
- Coach engineers in their careers
`,
			levels: []wantLevel{{slug: "engineering-manager", title: "Engineering Manager", resp: 3}},
		},
		{
			// Entry levels nested one heading deeper, under a track.
			name: "TrackHeadings",
			src: `---
title: Engineer
---
## Levels
### Individual contributor track
#### Junior Engineer
The Junior Engineer is a grade 5.
##### Responsibilities
- Fix small bugs
#### Engineer
The Engineer is a grade 6.
##### Responsibilities
- Build features
### Senior Engineer
The Senior Engineer is a grade 7.
#### Responsibilities
- Design features
`,
			levels: []wantLevel{
				{slug: "junior", title: "Junior Engineer", grade: 5, resp: 1},
				{slug: "engineer", title: "Engineer", grade: 6, resp: 1},
				{slug: "senior", title: "Senior Engineer", grade: 7, resp: 1},
			},
		},
		{
			// A first level with its own grade and lists, before any
			// other level, is a level, not the family base.
			name: "FirstLevelWithGrade",
			src: `---
title: Accountant
---
## Accountant
The Accountant is a grade 6.
### Responsibilities
- Close the books
## Senior Accountant
The Senior Accountant is a grade 7.
### Responsibilities
- Review the close
`,
			levels: []wantLevel{
				{slug: "accountant", title: "Accountant", grade: 6, resp: 1},
				{slug: "senior", title: "Senior Accountant", grade: 7, resp: 1},
			},
		},
		{
			// A level whose areas are lines ending in a colon, and whose
			// intro says it takes the level below: "are X who
			// additionally meet…".
			name: "AreasAsLinesAndAreWho",
			src: `---
title: Tester
---
## Levels
### Tester
#### Responsibilities
- Test features
### Lead Tester
The Lead Tester is a grade 8.

Lead Testers are Testers who additionally meet the following criteria:

Technical:

1. Designs the test strategy
1. Automates the regression suite

Influence:

1. Coaches other testers
`,
			levels: []wantLevel{
				{slug: "tester", title: "Tester", resp: 1},
				{slug: "lead-tester", title: "Lead Tester", grade: 8, extends: "tester", req: 3},
			},
			areas: map[string][]string{"lead-tester": {"Technical", "Technical", "Influence"}},
		},
		{
			// A level that only points to another page's description
			// has no content here: dropped, not scored on the base alone.
			name: "PointerLevel",
			src: `---
title: Analysts
---
## Responsibilities
- Analyse data
## Levels
### Analyst
#### Responsibilities
- Build dashboards
### Principal Analyst
Refer to the [Principal Engineer](../engineer/#principal) description.
`,
			levels: []wantLevel{{slug: "analyst", title: "Analyst", resp: 1}},
		},
		{
			// A tutorial's "What you'll do" steps ask nothing of a
			// person: not a job.
			name: "TutorialNotAJob",
			src: `## Lab 1: Deploy a web server

### What you'll do

1. Write a manifest
2. Apply it
3. Roll back
`,
			refused: true,
		},
		{
			// A contributing guide: what it looks for, then steps under
			// H3 noun phrases. Steps are not a ladder's axes; the page
			// names no work, so it is not a job.
			name: "GuideStepsNotAxes",
			src: `# Contributing to Widgets

## What we're looking for
- Bug fixes
- Documentation

## Development guide
### Setup
1. Fork the repository
### Making changes
1. Create a branch
### Submitting changes
1. Open a merge request
`,
			refused: true,
		},
		{
			// A ladder description with no assessable items is refused.
			name: "LadderWithoutItems",
			src: `---
title: Engineering Career Framework
---
## Levels
Our levels are described in the [framework](https://example.com/framework).
`,
			refused: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Parse([]byte(tt.src), "page.md")
			if tt.refused {
				if err == nil {
					t.Fatalf("imported %v, want a refusal", levelTitles(&res.Role))
				}
				return
			}
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
					t.Errorf("%s: %d responsibilities, %d requirements; want %d, %d; warnings %v", w.slug, len(l.Responsibilities), len(l.Requirements), w.resp, w.req, res.Warnings)
				}
				if want, ok := tt.areas[l.Slug]; ok {
					var got []string
					for _, it := range l.Requirements {
						got = append(got, it.Area)
					}
					if strings.Join(got, "|") != strings.Join(want, "|") {
						t.Errorf("%s: areas %q, want %q", l.Slug, got, want)
					}
				}
			}
			if len(r.Family.Requirements) != tt.famReq {
				t.Errorf("family requirements %d, want %d", len(r.Family.Requirements), tt.famReq)
			}
		})
	}
}

func TestMeaningOf(t *testing.T) {
	tests := map[string]headClass{
		"What you'll do":                       classResp,
		"Your mission":                         classResp,
		"In this role you will":                classResp,
		"Here is what you will be working on":  classResp,
		"What you'll bring":                    classReq,
		"Who you are":                          classReq,
		"About you":                            classReq,
		"What we look for":                     classReq,
		"Our ideal candidate has":              classReq,
		"You may be a fit if":                  classReq,
		"Requirements for applicants":          classReq,
		"Even better if":                       classBonus,
		"Nice to have, but not required":       classBonus,
		"What we offer":                        classOther,
		"Who we are":                           classOther,
		"About the team":                       classOther,
		"Senior Data Engineer":                 classOther,
		"Workflow":                             classOther,
		"As a DBRE you will":                   classResp,
		"What you will bring":                  classReq,
		"You may be a fit to this role if you": classReq,
		"Projects you could work on":           classOther,
	}
	for text, want := range tests {
		if got := meaningOf(text); got != want {
			t.Errorf("meaningOf(%q) = %v, want %v", text, got, want)
		}
	}
}
