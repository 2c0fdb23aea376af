package jobfamily

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/role"
)

func TestGuessKind(t *testing.T) {
	tests := []struct {
		name     string
		text     string
		want     role.Kind
		minYears float64
	}{
		{"NumberWordsRange", "Two to four years of relevant experience or equivalent combination of experience and education", role.KindExperience, 2},
		{"Plus", "5+ years experience in a content-related role", role.KindExperience, 5},
		{"Range", "1-3 years experience in a design-related role.", role.KindExperience, 1},
		{"RangeEnDash", "3–5 years of experience managing teams", role.KindExperience, 3},
		{"SpacedPlus", "15 + years of related experience, with increasing levels of responsibility", role.KindExperience, 15},
		{"WordPlus", "Five + years experience leading the finance function in a public company.", role.KindExperience, 5},
		{"FirstNumberIsTheBar", "5+ years of B2B software sales experience, with at least 2 years managing sales teams", role.KindExperience, 5},
		{"OrEquivalent", "1+ years experience in an analytics role or equivalent experience/training", role.KindExperience, 1},
		{"Parenthesised", "At least three (3) years of experience in security", role.KindExperience, 3},
		{"OrMore", "7 or more years of engineering experience", role.KindExperience, 7},
		{"SingleYear", "1 year of experience with Go", role.KindExperience, 1},
		{"MonthsAreNotYears", "Minimum of 9 months in the SMB Advocate role", role.KindFact, 0},
		{"Values", "You share our values, and work in accordance with those values", role.KindFact, 0},
		{"ValuesLinked", "Share our values, and work in accordance with those values.", role.KindFact, 0},
		{"Living", "You are living wherever you want and are excited about the all remote lifestyle", role.KindFact, 0},
		{"BackgroundCheck", "Ability to pass a background check", role.KindFact, 0},
		{"RightToWork", "Legal right to work in the United States", role.KindFact, 0},
		{"Authorized", "Must be authorized to work in Canada", role.KindFact, 0},
		{"Travel", "Ability to travel if needed and comply with the company's travel policy", role.KindFact, 0},
		{"Willing", "Willingness to travel up to 25%", role.KindFact, 0},
		{"TimeZone", "Located in a time zone between UTC-3 and UTC+3", role.KindFact, 0},
		{"Reside", "Reside in Australia with the ability to travel throughout the region as needed.", role.KindFact, 0},
		{"Clearance", "Must have security clearance", role.KindFact, 0},
		{"Degree", "Degree in graphic design or a related field.", role.KindFact, 0},
		{"UseGitLabIsASkill", "Ability to use GitLab", role.KindSkill, 0},
		{"Skill", "Thorough understanding of Git and Git workflows", role.KindSkill, 0},
		{"TeamSizeIsNotYears", "Manages a team of 3-5 Strategic Account Leaders", role.KindSkill, 0},
		{"PercentIsNotYears", "Spends up to 20% of time researching & defining category vision", role.KindSkill, 0},
		{"ClearanceWork", "Conducting security clearance indoctrination briefings and debriefings", role.KindSkill, 0},
		{"Empty", "", role.KindSkill, 0},
		{"Passion", "Passion for design and usability", role.KindTrait, 0},
		{"JoinedAdjectives", "Highly independent and pragmatic", role.KindTrait, 0},
		{"Collaborative", "Highly interdependent and collaborative", role.KindTrait, 0},
		{"SelfAware", "Self-aware and understands how their interactions impact others", role.KindTrait, 0},
		{"SelfStarter", "You are a self-starter who thrives in a remote team", role.KindTrait, 0},
		{"Ambiguity", "Comfortable with ambiguity and changing priorities", role.KindTrait, 0},
		{"AdjectiveBeforeNounIsASkill", "Creative writing skills for product launches", role.KindSkill, 0},
		{"ComfortablePresentingIsASkill", "Comfortable presenting to C-level executives", role.KindSkill, 0},
		{"DrivenByIsNotATrait", "Data-driven decision making", role.KindSkill, 0},
		{"English", "Excellent proficiency in English", role.KindLanguage, 0},
		{"Fluent", "Fluent in Spanish and English", role.KindLanguage, 0},
		{"WrittenEnglish", "Excellent written and verbal communication skills in English", role.KindLanguage, 0},
		{"MarketIsNotALanguage", "Knowledge of the German market", role.KindSkill, 0},
		{"CommunicationWithoutALanguage", "Excellent written and verbal communication skills", role.KindSkill, 0},
		{"YearsOfALanguageAreYears", "3+ years working in Japanese", role.KindExperience, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, y := GuessKind(tt.text)
			if k != tt.want || y != tt.minYears {
				t.Errorf("GuessKind(%q) = %s, %v; want %s, %v", tt.text, k, y, tt.want, tt.minYears)
			}
		})
	}
}

func TestIsBonus(t *testing.T) {
	tests := []struct {
		name string
		text string
		want bool
	}{
		{"BonusPoints", "Bonus points: experience with GitLab", true},
		{"BonusUpper", "BONUS: A passion for and strong understanding of the industry", true},
		{"Bonus", "Bonus: Kubernetes", true},
		{"NiceToHave", "Nice to have: a security certification", true},
		{"NiceToHaveHyphen", "Nice-to-have: Ruby", true},
		{"Preferred", "Preferred experience with Git, Software Development Tools", true},
		{"Plus", "Plus: experience with Rails", true},
		{"InlinePreferredStaysRequired", "An understanding of B2B software is preferred", false},
		{"IsAPlus", "A security clearance is a plus", false},
		{"HighlyDesirable", "Knowledge of open source enterprise software is highly desirable", false},
		{"MidSentence", "Experience with Google Cloud Platform (preferred) or Amazon Web Services", false},
		{"Plain", "Ability to use GitLab", false},
		{"PlusWord", "Plus-size retail experience", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsBonus(tt.text); got != tt.want {
				t.Errorf("IsBonus(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParseInheritance(t *testing.T) {
	name := func(v string) []target { return []target{{kind: targetName, value: v}} }
	base := []target{{kind: targetBase}}
	prev := []target{{kind: targetPrev}}
	tests := []struct {
		name   string
		text   string
		links  []linkRef
		bullet bool
		want   []target // nil: not inheritance
	}{
		{"Extends", "Extends the Product Manager - Marketing (Intermediate) responsibilities", nil, true, name("Product Manager - Marketing (Intermediate)")},
		{"ExtendsThatOf", "Extends that of the Product Manager - Marketing (Intermediate) requirements", nil, true, name("Product Manager - Marketing (Intermediate)")},
		{"ExtendsThoseOf", "Extends those of the SMB Advocate requirements", nil, true, name("SMB Advocate")},
		{"ExtendsToThe", "Extends to the responsibilities of a Major Account Executive", nil, true, name("Major Account Executive")},
		{"ExtendsPeriod", "Extends the UX Research Operations Coordinator (Intermediate) responsibilities.", nil, true, name("UX Research Operations Coordinator (Intermediate)")},
		{"TwoTargets", "Extends that of the Area Sales Manager (Intermediate) or Senior Area Sales Manager Requirements", nil, true,
			[]target{{kind: targetName, value: "Area Sales Manager (Intermediate)"}, {kind: targetName, value: "Senior Area Sales Manager"}}},
		{"IncludesAnchor", "Includes responsibilities listed here", []linkRef{{text: "here", dest: "#responsibilities"}}, true, []target{{kind: targetAnchor, value: "responsibilities"}}},
		{"IncludesLevelAnchor", "Includes senior responsibilities listed here", []linkRef{{text: "here", dest: "#senior-engineer-responsibilities"}}, true, []target{{kind: targetAnchor, value: "senior-engineer-responsibilities"}}},
		{"AllAbove", "All responsibilities listed above (applicalbe to all roles) plus:", nil, false, base},
		{"AllAboveWhole", "All requirements listed above (applicable to all roles)", nil, false, base},
		{"AllPrevious", "All requirements of previous roles plus:", nil, false, prev},
		{"SameAs", "Same as Senior Engineer plus", nil, true, name("Senior Engineer")},
		{"SentenceRole", "The SMB Advocate Team Lead role extends the responsibilities of the SMB Advocate role, with the addition of new official responsibilities. These are:", nil, false, name("SMB Advocate")},
		{"SentenceOutlinedAbove", "The Strategic Account Executive role extends the Associate Strategic Account Executive role outlined above. A Strategic Account Executive reports to an Area Sales Manager.", nil, false, name("Associate Strategic Account Executive")},
		{"SentenceSr", "The Sr. Strategic Account Executive  role extends the Strategic Account Executive role outlined above.", nil, false, name("Strategic Account Executive")},
		{"SentenceExtendPlural", "The responsibilities of the Data Analyst extend the Junior Data Analyst role and include:", nil, false, name("Junior Data Analyst")},
		{"SectionAbove", "The Junior Data Analyst Requirements extend the Requirements section above and include:", nil, false, base},
		{"ListedAbove", "The responsibilities of the Junior Data Analyst are listed in the Responsibilities section above.", nil, false, base},
		{"ExtendIsAnItem", "Extend and translate established creative concepts into production-ready assets.", nil, true, nil},
		{"IncludesIsAnItem", "Includes travel to customer sites", nil, true, nil},
		{"EverythingPlus", "Everything in the Junior Widget Maker role, plus:", nil, false, name("Junior Widget Maker")},
		{"EverythingPlusBullet", "Everything in the Junior Widget Maker role, plus:", nil, true, name("Junior Widget Maker")},
		{"ShareSameAs", "Lead widget makers share the same requirements as the Widget Maker listed above, but also carry the following:", nil, false, name("Widget Maker")},
		{"AnchorWithName", "The Lead Widget Maker role extends the Widget Maker role.", []linkRef{{text: "Widget Maker", dest: "#base-requirements"}}, false,
			[]target{{kind: targetAnchor, value: "base-requirements", fallback: "Widget Maker"}}},
		{"Negation", "An intern is not required to meet the base Data Analyst responsibilities and requirements.", nil, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var inh inheritance
			var ok bool
			if tt.bullet {
				inh, ok = parseInheritBullet(tt.text, tt.links)
			} else {
				inh, ok = parseInheritSentence(tt.text, tt.links)
			}
			if tt.want == nil {
				if ok {
					t.Errorf("%q parsed as inheritance %+v", tt.text, inh.targets)
				}
				return
			}
			if !ok || len(inh.targets) != len(tt.want) {
				t.Fatalf("%q = %+v, %v; want %+v", tt.text, inh.targets, ok, tt.want)
			}
			for i := range tt.want {
				if inh.targets[i] != tt.want[i] {
					t.Errorf("target %d = %+v, want %+v", i, inh.targets[i], tt.want[i])
				}
			}
		})
	}
}

func TestClassifyHeading(t *testing.T) {
	tests := []struct {
		text string
		want headClass
	}{
		{"Product Manager - Marketing (Intermediate) Job Grade", classGrade},
		{"Senior Product Manager Responsibilities", classResp},
		{"Responsibilites", classResp},
		{"Reqiurements", classReq},
		{"What you'll do", classOther}, // scored by meaningOf, not a keyword
		{"VP of Incubation Engineering Nice-to-haves", classBonus},
		{"Levels", classLevels},
		{"Specialties", classGroup},
		{"Location Specific Requirements", classGroup},
		{"Performance Indicators (PI)", classClosing},
		{"Career Progression", classClosing},
		{"Hiring Process", classClosing},
		{"Compensation", classClosing},
		{"Manager, Compensation Programs", classOther},
		{"Senior Blog Editor", classOther},
		{"**Enterprise Account Executive Job Family Matrix**", classOther},
	}
	for _, tt := range tests {
		if got, _ := classifyHeading(tt.text); got != tt.want {
			t.Errorf("classifyHeading(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}

func TestShortSlug(t *testing.T) {
	tests := map[string]string{
		"Product Manager - Marketing (Intermediate)":    "intermediate",
		"Senior Product Manager":                        "senior",
		"Data Analyst Intern":                           "intern",
		"Manager, Blog Strategy":                        "manager",
		"Senior Director, People Strategy & Engagement": "senior-director",
		"VP of Incubation Engineering":                  "vp",
		"Vice President of Security":                    "vp",
		"Strategic Account Executive":                   "",
	}
	for title, want := range tests {
		if got := shortSlug(title); got != want {
			t.Errorf("shortSlug(%q) = %q, want %q", title, got, want)
		}
	}
}

// TestParse_Robust feeds untidy inputs that must import or refuse, never
// panic.
func TestParse_Robust(t *testing.T) {
	inputs := map[string]string{
		"CRLF":         "---\r\ntitle: X Roles\r\n---\r\n## Responsibilities\r\n\r\n- Do things\r\n",
		"BadYAML":      "---\ntitle: [unclosed\n---\n## Requirements\n- Know things\n",
		"MapTitle":     "---\ntitle: {a: b}\n---\n## Requirements\n- Know things\n",
		"Unclosed":     "---\ntitle: x\n## Requirements\n- Know things\n",
		"Shortcode":    "{{< details \"x\" >}}\n## Requirements\n- Know [it]({{< ref \"a\" >}})\n{{< /details >}}\n",
		"ERB":          "## Requirements\n- <%= foo %> things\n",
		"HTML":         "## Requirements\n<div>\n- not an item\n</div>\n\n- <script>alert(1)</script> item [x](javascript:alert(1))\n",
		"Blockquote":   "## Requirements\n> - quoted\n> ### Heading\n",
		"Fence":        "## Requirements\n```\n- code\n```\n",
		"Deep":         strings.Repeat(">", 500) + " x\n" + strings.Repeat("- ", 300) + "y\n",
		"Emphasis":     "## Requirements\n- " + strings.Repeat("*a ", 2000) + "\n",
		"OnlyHeadings": strings.Repeat("# Levels\n## Level\n### Requirements\n", 50),
		"Cycle":        "## Levels\n### A\n#### Requirements\n- Extends the B requirements\n- one\n### B\n#### Requirements\n- Extends the A requirements\n- two\n",
		"InvalidUTF8":  "## Requirements\n- \xff\xfe bad\n",
		"NUL":          "## Requirements\n- a\x00b\n",
	}
	for name, in := range inputs {
		t.Run(name, func(t *testing.T) {
			res, err := Parse([]byte(in), name+".md")
			if err == nil {
				if verr := res.Role.Validate(); verr != nil {
					t.Errorf("imported an invalid role: %v", verr)
				}
				if _, jerr := res.JSON(); jerr != nil {
					t.Error(jerr)
				}
				for _, l := range res.Role.Levels {
					for _, it := range l.Requirements {
						if strings.Contains(it.HTML, "<script") || strings.Contains(it.HTML, "javascript:") {
							t.Errorf("unsafe HTML %q", it.HTML)
						}
					}
				}
			}
		})
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("---\ntitle: x\n---\n## Levels\n### A\n- Extends the A\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		res, err := Parse(src, "fuzz.md")
		if err != nil {
			if strings.Contains(err.Error(), "internal error") {
				t.Fatalf("panic recovered: %v", err)
			}
			return
		}
		if err := res.Role.Validate(); err != nil {
			t.Fatalf("invalid role: %v", err)
		}
		if _, err := res.JSON(); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkParse parses the largest fixture; a page must take a few
// milliseconds at most.
func BenchmarkParse(b *testing.B) {
	src, err := os.ReadFile("testdata/sales__enterprise-account-executive.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := Parse(src, "page.md"); err != nil {
			b.Fatal(err)
		}
	}
}
