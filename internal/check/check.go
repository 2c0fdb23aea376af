// Package check is the domain of an applicant's check of a role: the plan
// of steps and questions, reading and validating answers, and turning the
// answers kept by position into scoring input. It knows nothing of HTTP
// or storage, so the wizard and the widget ask the same questions in the
// same order and accept the same answers.
package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

// MaxYears bounds an experience answer: beyond it a number is a typo.
const MaxYears = 60

// ScalePoint is one value of a rating scale with the words shown beside it.
type ScalePoint struct{ Label, Anchor string }

// RatingScale is the 0–4 scale of a practised skill (SPEC §2), indexed by
// value.
var RatingScale = [score.MaxRating + 1]ScalePoint{
	{"Not yet", "I have not done this"},
	{"Aware", "I know what it involves, little practice"},
	{"Practised", "I have done it with guidance"},
	{"Proficient", "I do it on my own, repeatedly"},
	{"Expert", "I lead it, or teach it to others"},
}

// Answering is how an applicant answers items of one kind and what the
// kind means for the result: the one place the wizard, the widget and
// the result page take these words from.
type Answering struct {
	Kind role.Kind
	// Name names the kind on the result ("Skills").
	Name string
	// Prompt is the question put beside each item of the kind.
	Prompt string
	// Scale holds the 0–4 points of a rated kind, indexed by value; it is
	// empty for years and yes/no.
	Scale []ScalePoint
	// Scoring says in plain words how an answer counts towards a fit.
	Scoring string
	// Advice says what evidence would close a gap on an item of the kind.
	Advice string
}

// answering lists the kinds in the order the result explains them. A
// trait is rated by how often it shows (frequency anchors, since a
// behaviour is seen over time) and a language on CEFR-like levels; both
// expect the fourth point, as a skill does.
var answering = []Answering{
	{Kind: role.KindSkill, Name: "Skills", Prompt: "How much have you done this?",
		Scale:   RatingScale[:],
		Scoring: "rated from Not yet (0) to Expert (4); it counts fully at Proficient (3) for a level's own items, and one step more for work a level carries over from the level below (up to Expert). Below that it counts in part: Practised (2) against Proficient (3) counts two thirds.",
		Advice:  "Show it in practice: a project, a piece of work or a result you can point to where you did this on your own, more than once."},
	{Kind: role.KindTrait, Name: "Traits and ways of working", Prompt: "How often does this describe how you work?",
		Scale: []ScalePoint{
			{"Rarely", "It seldom describes how I work"},
			{"Sometimes", "Now and then, in some situations"},
			{"Often", "Often, though not when it gets hard"},
			{"Usually", "Usually, and people I work with would say so"},
			{"Always", "Consistently, and I help others do the same"},
		},
		Scoring: "rated by how often it describes you, from Rarely (0) to Always (4); Usually (3) counts fully at every level, since a trait is not expected more strongly at a higher level.",
		Advice:  "Traits are judged from behaviour: think of two or three situations where you showed it, and what others saw, to tell in an interview."},
	{Kind: role.KindLanguage, Name: "Languages", Prompt: "Your level in this language, on the CEFR scale",
		Scale: []ScalePoint{
			{"A1–A2 · Basic", "I get by in simple, everyday exchanges"},
			{"B1 · Independent", "I handle familiar work topics, with effort"},
			{"B2 · Upper intermediate", "I work in it fluently on most topics"},
			{"C1 · Advanced", "I write, present and negotiate in it with ease"},
			{"C2 · Mastery", "I am as precise in it as a native speaker"},
		},
		Scoring: "rated on CEFR-like levels from A1–A2 (0) to C2 (4); C1 (3) counts fully at every level.",
		Advice:  "A certificate, a course level or a stretch of work or study in the language is the usual evidence; a practice conversation shows where you stand."},
	{Kind: role.KindExperience, Name: "Years of experience", Prompt: "How many years?",
		Scoring: "counts fully at the stated minimum, and in proportion below it: 1 year against 2 counts half.",
		Advice:  "Related work counts too: list adjacent roles, projects and study that built the same experience, with their dates."},
	{Kind: role.KindFact, Name: "Yes/no items", Prompt: "Does this apply to you?",
		Scoring: "count fully for yes and not at all for no, with the weight the role gives them. They are listed after the rated gaps, because one yes or no says less about what to work on than a rated skill does.",
		Advice:  "A yes/no item is often a condition, such as where you live or the right to work; ask the hiring team whether it can be met or waived in your case."},
}

// AnsweringOf returns how items of kind k are answered; an unknown kind
// is answered as a skill.
func AnsweringOf(k role.Kind) Answering {
	for _, a := range answering {
		if a.Kind == k {
			return a
		}
	}
	return answering[0]
}

// AllAnswering returns every kind's answering, in the order the result
// explains them.
func AllAnswering() []Answering { return answering }

// ModeTitle is the name of a mode as applicants see it.
func ModeTitle(m score.Mode) string {
	if m == score.Quick {
		return "Quick check"
	}
	return "Full assessment"
}

// SecondsPerItem is the time an applicant takes to answer one item, for
// the "about N minutes" estimates.
const SecondsPerItem = 12

// Minutes is the time a check of n items takes, rounded up to whole
// minutes, at least one.
func Minutes(n int) int {
	return max(1, int(math.Ceil(float64(n*SecondsPerItem)/60)))
}

// Question is one item asked in a check, at the step where it is asked.
type Question struct {
	role.Effective
	Step int // 1-based
}

// Step is one page of the wizard: one section of one level, or the chosen
// specialty, or one part of it when it holds more than StepSize items.
type Step struct {
	Level     *role.Level // nil for the specialty step
	Section   role.Section
	Specialty *role.Group
	// Part and Parts say which page of its section this is (1 of 1 when
	// the section fits on one page).
	Part, Parts int
	// Questions are positions in Plan.Questions.
	Questions []int
}

// StepSize is the most questions a step holds. A longer section is asked
// over several pages of near-equal length, so that no page is a wall of
// questions: a step stays under 2,000 px on a laptop and 3,600 px on a
// phone (see the browser test of page heights).
const StepSize = 7

// stepBudget is how much reading a step holds, in the units of
// questionCost: seven questions of a line or two each, fewer long ones.
const stepBudget = 7 * 5

// questionCost estimates how much of a page a question takes: its scale,
// a line of text per hundred characters, and a line per detail bullet.
func questionCost(e role.Effective) int {
	return 4 + (len(e.Text)+99)/100 + len(e.DetailsHTML)
}

// Plan is the ordered list of questions of a check: one step (or a few,
// see StepSize) per section per level, lowest level first; an inherited item is asked once, at the
// lowest level that owns it (family-wide items with the first level), and
// the chosen specialty's items come last. Answers are kept by position in
// Questions. A plan is shared once made and must not be changed.
type Plan struct {
	Steps     []Step
	Questions []Question
	index     map[string]int // item id → position
}

// NewPlan returns the plan of a check of r in mode, with the specialty at
// that index in r.Specialties, or none when it is out of range (-1).
func NewPlan(r *role.Role, mode score.Mode, specialty int) *Plan {
	p := &Plan{index: map[string]int{}}
	// A step's questions are gathered first and paged once complete.
	var items []role.Effective
	add := func(e role.Effective) {
		if _, dup := p.index[e.ID]; dup {
			return
		}
		p.index[e.ID] = -1
		items = append(items, e)
	}
	for _, l := range score.Ladder(r) {
		// The quick check asks a level's must-haves on one step, the
		// experience items it lists under responsibilities included; the
		// full assessment has a step per section.
		for _, sec := range role.Sections {
			for _, e := range r.EffectiveItems(l.Slug, sec) {
				if mode.Asks(e) {
					add(e)
				}
			}
			if mode == score.Full {
				p.addSteps(Step{Level: l, Section: sec}, items)
				items = items[:0]
			}
		}
		if mode != score.Full {
			p.addSteps(Step{Level: l, Section: role.Requirements}, items)
			items = items[:0]
		}
	}
	if specialty >= 0 && specialty < len(r.Specialties) {
		g := &r.Specialties[specialty]
		for _, sec := range role.Sections {
			for _, it := range g.Items(sec) {
				if e := (role.Effective{Item: it, Section: sec}); mode.Asks(e) {
					add(e)
				}
			}
		}
		p.addSteps(Step{Specialty: g}, items)
	}
	return p
}

// addSteps appends the questions of one section as steps like st, in
// order, on as few pages as keep each within StepSize questions and
// stepBudget, with the reading spread evenly over them.
func (p *Plan) addSteps(st Step, items []role.Effective) {
	total := 0
	for _, e := range items {
		total += questionCost(e)
	}
	parts := max((len(items)+StepSize-1)/StepSize, (total+stepBudget-1)/stepBudget)
	for ; parts > 0; parts++ {
		if pages := splitPages(items, total, parts); pages != nil {
			for i, page := range pages {
				step := st
				step.Part, step.Parts = i+1, len(pages)
				for _, e := range page {
					p.index[e.ID] = len(p.Questions)
					step.Questions = append(step.Questions, len(p.Questions))
					p.Questions = append(p.Questions, Question{Effective: e, Step: len(p.Steps) + 1})
				}
				p.Steps = append(p.Steps, step)
			}
			return
		}
	}
}

// splitPages cuts items into at most parts pages of near-equal cost: each
// question goes to the page its middle falls in. It reports nil when a
// page would hold more than StepSize questions.
func splitPages(items []role.Effective, total, parts int) [][]role.Effective {
	var pages [][]role.Effective
	cum, last := 0, -1
	for _, e := range items {
		c := questionCost(e)
		page := min(parts-1, (2*cum+c)*parts/(2*total))
		cum += c
		if page != last {
			pages = append(pages, nil)
			last = page
		}
		pages[len(pages)-1] = append(pages[len(pages)-1], e)
		if len(pages[len(pages)-1]) > StepSize {
			return nil
		}
	}
	return pages
}

// Position returns the position of the question of item id.
func (p *Plan) Position(id string) (int, bool) {
	i, ok := p.index[id]
	return i, ok
}

// FirstOpen returns the first step with an unanswered question, or
// len(Steps)+1 when every question is answered.
func (p *Plan) FirstOpen(answers []string) int {
	for i, st := range p.Steps {
		for _, q := range st.Questions {
			if q >= len(answers) || answers[q] == "" {
				return i + 1
			}
		}
	}
	return len(p.Steps) + 1
}

// Fit returns answers with one value per question: extra values are
// dropped and missing ones are unanswered.
func (p *Plan) Fit(answers []string) []string {
	if len(answers) > len(p.Questions) {
		answers = answers[:len(p.Questions)]
	}
	for len(answers) < len(p.Questions) {
		answers = append(answers, "")
	}
	return answers
}

// CarryOver maps answers given to the questions of old onto p by item id,
// so that a check begun on an older version of a role loses nothing still
// asked. An answer is dropped when its item is gone or changed kind.
func (p *Plan) CarryOver(old *Plan, answers []string) []string {
	out := make([]string, len(p.Questions))
	for i, v := range answers {
		if i >= len(old.Questions) || v == "" {
			continue
		}
		q := old.Questions[i]
		if j, ok := p.index[q.ID]; ok && p.Questions[j].Kind == q.Kind {
			out[j] = v
		}
	}
	return out
}

// Scored converts the answers kept by position to scoring input.
func (p *Plan) Scored(answers []string) score.Answers {
	out := score.Answers{}
	for i, v := range answers {
		if v == "" || i >= len(p.Questions) {
			continue
		}
		if f, err := strconv.ParseFloat(v, 64); err == nil {
			out[p.Questions[i].ID] = f
		}
	}
	return out
}

// Answered counts the answers given.
func Answered(answers []string) int {
	n := 0
	for _, v := range answers {
		if v != "" {
			n++
		}
	}
	return n
}

// SpecialtyIndex returns the index in r.Specialties of the specialty
// called name, the last one if names repeat, or -1.
func SpecialtyIndex(r *role.Role, name string) int {
	for i := len(r.Specialties) - 1; i >= 0; i-- {
		if r.Specialties[i].Name == name {
			return i
		}
	}
	return -1
}

// ReadAnswer reads the value sent for an item of kind. An empty value is
// a problem only when an answer is required; otherwise it is returned as
// unanswered. See ParseAnswer for the rest.
func ReadAnswer(kind role.Kind, raw string, required bool) (value, problem string) {
	if strings.TrimSpace(raw) == "" {
		if required {
			return "", MissingMessage(kind)
		}
		return "", ""
	}
	return ParseAnswer(kind, raw)
}

// ParseAnswer checks one submitted value for an item of kind and returns
// its canonical form ("3", "2.5", "1"), or a message to show beside the
// item.
func ParseAnswer(kind role.Kind, raw string) (value, problem string) {
	raw = strings.TrimSpace(raw)
	switch kind {
	case role.KindExperience:
		v, err := strconv.ParseFloat(strings.ReplaceAll(raw, ",", "."), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			return "", "Enter a number of years, such as 3 or 2.5."
		}
		if v < 0 || v > MaxYears {
			return "", fmt.Sprintf("Enter a number of years between 0 and %d.", MaxYears)
		}
		// Two decimals are more precision than anyone's memory of years.
		return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64), ""
	case role.KindFact:
		switch raw {
		case "yes":
			return "1", ""
		case "no":
			return "0", ""
		}
		return "", "Choose yes or no."
	}
	if len(raw) == 1 && raw[0] >= '0' && raw[0] <= '0'+score.MaxRating {
		return raw, ""
	}
	return "", fmt.Sprintf("Choose a rating from 0 to %d.", score.MaxRating)
}

// MissingMessage is the message beside an item of kind left unanswered.
func MissingMessage(kind role.Kind) string {
	switch kind {
	case role.KindExperience:
		return "Enter your years of experience (0 if none)."
	case role.KindFact:
		return "Choose yes or no."
	case role.KindTrait:
		return "Choose how often this describes you."
	case role.KindLanguage:
		return "Choose your level in this language."
	}
	return "Choose a rating for this item."
}

// FormValue turns a stored answer back into what the form submits.
func FormValue(kind role.Kind, stored string) string {
	if kind == role.KindFact && stored != "" {
		if stored == "1" {
			return "yes"
		}
		return "no"
	}
	return stored
}
