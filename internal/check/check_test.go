package check

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/jobfamily"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

func item(id string, k role.Kind) role.Item { return role.Item{ID: id, Text: id, Kind: k} }

func grade(g int) *int { return &g }

func bonusItem(id string) role.Item {
	it := item(id, role.KindSkill)
	it.Bonus = true
	return it
}

// testRole lists its higher level first, so that the plan's order comes
// from the ladder and not from the page. Senior repeats one of junior's
// items, which is asked once, with junior.
func testRole() *role.Role {
	return &role.Role{
		Slug: "pm", Title: "PM",
		Levels: []role.Level{
			{Slug: "senior", Title: "Senior", Grade: grade(8), Extends: "junior",
				Requirements:     []role.Item{item("s-req", role.KindSkill), item("j-req", role.KindSkill)},
				Responsibilities: []role.Item{item("s-resp", role.KindSkill)}},
			{Slug: "junior", Title: "Junior", Grade: grade(7),
				Requirements:     []role.Item{item("j-req", role.KindSkill), item("j-years", role.KindExperience)},
				Responsibilities: []role.Item{item("j-resp", role.KindSkill)}},
		},
		Family: role.Group{Requirements: []role.Item{item("f-fact", role.KindFact)}},
		Specialties: []role.Group{
			{Name: "Growth", Requirements: []role.Item{item("g-req", role.KindSkill)}},
			{Name: "Empty"},
		},
	}
}

// stepsOf lists each step of p as "level/section: ids" or
// "specialty name: ids".
func stepsOf(p *Plan) []string {
	var out []string
	for i, st := range p.Steps {
		name := ""
		if st.Specialty != nil {
			name = "specialty " + st.Specialty.Name
		} else {
			name = st.Level.Slug + "/" + string(st.Section)
		}
		var ids []string
		for _, q := range st.Questions {
			if p.Questions[q].Step != i+1 {
				ids = append(ids, "(wrong step)")
			}
			ids = append(ids, p.Questions[q].ID)
		}
		out = append(out, name+": "+strings.Join(ids, " "))
	}
	return out
}

func TestNewPlan(t *testing.T) {
	tests := []struct {
		name      string
		mode      score.Mode
		specialty int
		want      []string
	}{
		{"Quick", score.Quick, -1, []string{
			"junior/requirements: j-req j-years f-fact",
			"senior/requirements: s-req",
		}},
		{"Full", score.Full, -1, []string{
			"junior/requirements: j-req j-years f-fact",
			"junior/responsibilities: j-resp",
			"senior/requirements: s-req",
			"senior/responsibilities: s-resp",
		}},
		{"SpecialtyLast", score.Quick, 0, []string{
			"junior/requirements: j-req j-years f-fact",
			"senior/requirements: s-req",
			"specialty Growth: g-req",
		}},
		{"EmptySpecialtyNoStep", score.Quick, 1, []string{
			"junior/requirements: j-req j-years f-fact",
			"senior/requirements: s-req",
		}},
		{"SpecialtyOutOfRange", score.Quick, 7, []string{
			"junior/requirements: j-req j-years f-fact",
			"senior/requirements: s-req",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := NewPlan(testRole(), tt.mode, tt.specialty)
			if diff := cmp.Diff(tt.want, stepsOf(p)); diff != "" {
				t.Errorf("steps (-want +got):\n%s", diff)
			}
			for i, q := range p.Questions {
				if pos, ok := p.Position(q.ID); !ok || pos != i {
					t.Errorf("Position(%s) = %d, %v; want %d", q.ID, pos, ok, i)
				}
			}
		})
	}
}

// TestNewPlan_MustHaves: a bonus requirement is asked in the full
// assessment only, and an experience item under responsibilities is asked
// in the quick check too, on the level's one step.
func TestNewPlan_MustHaves(t *testing.T) {
	r := testRole()
	junior := r.Level("junior")
	junior.Requirements = append(junior.Requirements, bonusItem("j-bonus"))
	junior.Responsibilities = append(junior.Responsibilities, item("j-resp-years", role.KindExperience))
	for _, tt := range []struct {
		mode score.Mode
		want []string
	}{
		{score.Quick, []string{"junior/requirements: j-req j-years f-fact j-resp-years", "senior/requirements: s-req"}},
		{score.Full, []string{"junior/requirements: j-req j-years j-bonus f-fact", "junior/responsibilities: j-resp j-resp-years",
			"senior/requirements: s-req", "senior/responsibilities: s-resp"}},
	} {
		if diff := cmp.Diff(tt.want, stepsOf(NewPlan(r, tt.mode, -1))); diff != "" {
			t.Errorf("%s steps (-want +got):\n%s", tt.mode, diff)
		}
	}
}

// TestNewPlan_QuickIsMustHaves: the quick check of the imported
// database-engineer page asks its must-have requirements and nothing
// else: no bonus item and no responsibility but years of experience.
func TestNewPlan_QuickIsMustHaves(t *testing.T) {
	src, err := os.ReadFile("../jobfamily/testdata/engineering__database-engineer.md")
	if err != nil {
		t.Fatal(err)
	}
	res, err := jobfamily.Parse(src, "engineering__database-engineer.md")
	if err != nil {
		t.Fatal(err)
	}
	r := &res.Role
	p := NewPlan(r, score.Quick, -1)
	mustHaves := 0
	for _, l := range r.Levels {
		for _, e := range r.EffectiveItems(l.Slug, role.Requirements) {
			if !e.Bonus {
				mustHaves++
			}
		}
	}
	if len(p.Questions) > 16 || len(p.Questions) != mustHaves {
		t.Errorf("quick check asks %d items; the page has %d must-have requirements (at most 16 expected)", len(p.Questions), mustHaves)
	}
	for _, q := range p.Questions {
		if q.Bonus || (q.Section == role.Responsibilities && q.Kind != role.KindExperience) {
			t.Errorf("quick check asks %q (%s, bonus %v)", q.Text, q.Section, q.Bonus)
		}
	}
	if full := NewPlan(r, score.Full, -1); len(full.Questions) <= len(p.Questions) {
		t.Errorf("full assessment asks %d items, quick %d", len(full.Questions), len(p.Questions))
	}
}

func TestNewPlan_InheritedAskedOnce(t *testing.T) {
	p := NewPlan(testRole(), score.Full, 0)
	seen := map[string]int{}
	for _, q := range p.Questions {
		seen[q.ID]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s asked %d times", id, n)
		}
	}
	if pos, _ := p.Position("j-req"); p.Questions[pos].Owner != "junior" || p.Questions[pos].Step != 1 {
		t.Errorf("j-req asked at step %d as owned by %q, want step 1, junior", p.Questions[pos].Step, p.Questions[pos].Owner)
	}
	if pos, _ := p.Position("f-fact"); p.Questions[pos].Owner != "" || p.Questions[pos].Step != 1 {
		t.Errorf("the family item is asked at step %d, want 1 (with the first level)", p.Questions[pos].Step)
	}
}

// TestNewPlan_Pages checks that a long section is asked over pages of
// near-equal size, none above StepSize, in the section's order.
func TestNewPlan_Pages(t *testing.T) {
	for _, n := range []int{1, StepSize, StepSize + 1, 15, 21, 40} {
		t.Run(strconv.Itoa(n), func(t *testing.T) {
			r := &role.Role{Slug: "r", Levels: []role.Level{{Slug: "only", Title: "Only"}}}
			for i := range n {
				r.Levels[0].Requirements = append(r.Levels[0].Requirements, item("i"+strconv.Itoa(i), role.KindSkill))
			}
			p := NewPlan(r, score.Quick, -1)
			wantParts := (n + StepSize - 1) / StepSize
			if len(p.Steps) != wantParts {
				t.Fatalf("%d items make %d steps, want %d", n, len(p.Steps), wantParts)
			}
			next := 0
			for i, st := range p.Steps {
				if st.Part != i+1 || st.Parts != wantParts {
					t.Errorf("step %d is part %d of %d, want %d of %d", i+1, st.Part, st.Parts, i+1, wantParts)
				}
				if len(st.Questions) > StepSize || len(st.Questions) < n/wantParts {
					t.Errorf("step %d asks %d questions; want at most %d and at least %d", i+1, len(st.Questions), StepSize, n/wantParts)
				}
				for _, q := range st.Questions {
					if q != next || p.Questions[q].ID != "i"+strconv.Itoa(next) || p.Questions[q].Step != i+1 {
						t.Fatalf("step %d asks question %d (%s, step %d), want %d in order", i+1, q, p.Questions[q].ID, p.Questions[q].Step, next)
					}
					next++
				}
			}
		})
	}
}

// TestNewPlan_LongItems checks that long questions make shorter pages:
// seven items of five lines each are too much reading for one.
func TestNewPlan_LongItems(t *testing.T) {
	r := &role.Role{Slug: "r", Levels: []role.Level{{Slug: "only", Title: "Only"}}}
	for i := range StepSize {
		it := item("long"+strconv.Itoa(i), role.KindSkill)
		it.Text = strings.Repeat("word ", 100)
		r.Levels[0].Requirements = append(r.Levels[0].Requirements, it)
	}
	p := NewPlan(r, score.Quick, -1)
	if len(p.Steps) != 2 || len(p.Steps[0].Questions) < 3 || len(p.Steps[1].Questions) < 3 {
		t.Errorf("%d long items make steps %v, want two of 3 or 4", StepSize, stepsOf(p))
	}
}

func TestPlan_Answers(t *testing.T) {
	p := NewPlan(testRole(), score.Quick, -1) // j-req j-years f-fact | s-req
	tests := []struct {
		name      string
		answers   []string
		wantOpen  int
		wantScore score.Answers
	}{
		{"None", nil, 1, score.Answers{}},
		{"FirstStep", []string{"3", "2.5", "1"}, 2, score.Answers{"j-req": 3, "j-years": 2.5, "f-fact": 1}},
		{"GapInFirst", []string{"3", "", "0", "4"}, 1, score.Answers{"j-req": 3, "f-fact": 0, "s-req": 4}},
		{"All", []string{"0", "0", "0", "0"}, 3, score.Answers{"j-req": 0, "j-years": 0, "f-fact": 0, "s-req": 0}},
		{"ExtraIgnored", []string{"1", "1", "1", "1", "4"}, 3, score.Answers{"j-req": 1, "j-years": 1, "f-fact": 1, "s-req": 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := p.FirstOpen(tt.answers); got != tt.wantOpen {
				t.Errorf("FirstOpen = %d, want %d", got, tt.wantOpen)
			}
			if diff := cmp.Diff(tt.wantScore, p.Scored(tt.answers)); diff != "" {
				t.Errorf("Scored (-want +got):\n%s", diff)
			}
			if got := p.Fit(append([]string(nil), tt.answers...)); len(got) != len(p.Questions) {
				t.Errorf("Fit gave %d answers, want %d", len(got), len(p.Questions))
			}
		})
	}
}

func TestPlan_CarryOver(t *testing.T) {
	old := NewPlan(testRole(), score.Quick, -1) // j-req j-years f-fact | s-req
	r := testRole()
	r.Levels[1].Requirements = []role.Item{item("j-years", role.KindSkill), item("j-new", role.KindSkill), item("j-req", role.KindSkill)}
	p := NewPlan(r, score.Quick, -1) // j-years j-new j-req f-fact | s-req
	got := p.CarryOver(old, []string{"3", "2.5", "1", "4"})
	// j-years changed kind: its answer does not carry over.
	if diff := cmp.Diff([]string{"", "", "3", "1", "4"}, got); diff != "" {
		t.Errorf("CarryOver (-want +got):\n%s", diff)
	}
}

func TestSpecialtyIndex(t *testing.T) {
	r := testRole()
	for name, want := range map[string]int{"Growth": 0, "Empty": 1, "Nope": -1, "": -1} {
		if got := SpecialtyIndex(r, name); got != want {
			t.Errorf("SpecialtyIndex(%q) = %d, want %d", name, got, want)
		}
	}
}

func TestMinutes(t *testing.T) {
	for n, want := range map[int]int{0: 1, 1: 1, 5: 1, 6: 2, 30: 6, 31: 7} {
		if got := Minutes(n); got != want {
			t.Errorf("Minutes(%d) = %d, want %d", n, got, want)
		}
	}
}

func TestParseAnswer(t *testing.T) {
	tests := []struct {
		name        string
		kind        role.Kind
		raw         string
		want        string
		wantProblem bool
	}{
		{"Skill", role.KindSkill, " 3 ", "3", false},
		{"SkillTooHigh", role.KindSkill, "5", "", true},
		{"SkillNotDigit", role.KindSkill, "٣", "", true},
		{"SkillDecimal", role.KindSkill, "2.5", "", true},
		{"Years", role.KindExperience, "2.5", "2.5", false},
		{"YearsComma", role.KindExperience, "3,5", "3.5", false},
		{"YearsRounded", role.KindExperience, "1.234", "1.23", false},
		{"YearsNegative", role.KindExperience, "-1", "", true},
		{"YearsTooMany", role.KindExperience, strconv.Itoa(MaxYears + 1), "", true},
		{"YearsNaN", role.KindExperience, "NaN", "", true},
		{"FactYes", role.KindFact, "yes", "1", false},
		{"FactNo", role.KindFact, "no", "0", false},
		{"FactCase", role.KindFact, "Yes", "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, problem := ParseAnswer(tt.kind, tt.raw)
			if got != tt.want || (problem != "") != tt.wantProblem {
				t.Errorf("ParseAnswer(%s, %q) = %q, %q", tt.kind, tt.raw, got, problem)
			}
		})
	}
}

func TestReadAnswer(t *testing.T) {
	if v, msg := ReadAnswer(role.KindExperience, "  ", true); v != "" || msg != MissingMessage(role.KindExperience) {
		t.Errorf("required and empty: %q, %q", v, msg)
	}
	if v, msg := ReadAnswer(role.KindSkill, "", false); v != "" || msg != "" {
		t.Errorf("optional and empty: %q, %q", v, msg)
	}
	if v, msg := ReadAnswer(role.KindFact, "no", true); v != "0" || msg != "" {
		t.Errorf("given: %q, %q", v, msg)
	}
}

// FuzzParseAnswer checks the answer decoder: whatever it accepts is
// canonical (parsing it again gives it back) and in range.
func FuzzParseAnswer(f *testing.F) {
	for _, s := range []string{"0", "4", "5", "-1", "2.5", " 3 ", "3,5", "1e2", "NaN", "yes", "no", "Yes", "٣", "\x00", "0x10", "+1"} {
		for k := range role.Kinds {
			f.Add(uint8(k), s)
		}
	}
	kinds := role.Kinds
	f.Fuzz(func(t *testing.T, k uint8, raw string) {
		kind := kinds[int(k)%len(kinds)]
		canon, msg := ParseAnswer(kind, raw)
		if (canon == "") == (msg == "") {
			t.Fatalf("ParseAnswer(%s, %q) = %q, %q: want exactly one of value and message", kind, raw, canon, msg)
		}
		if canon == "" {
			return
		}
		v, err := strconv.ParseFloat(canon, 64)
		if err != nil || v < 0 || v > MaxYears || (kind.Rated() && v > score.MaxRating) ||
			(kind == role.KindFact && v != 0 && v != 1) {
			t.Fatalf("ParseAnswer(%s, %q) accepted %q", kind, raw, canon)
		}
		if again, msg := ParseAnswer(kind, FormValue(kind, canon)); again != canon {
			t.Fatalf("ParseAnswer(%s, %q) = %q, but its form value reads back as %q (%s)", kind, raw, canon, again, msg)
		}
	})
}

// TestAnsweringOf: every kind has its words, and each rated kind a full
// 0–4 scale of its own.
func TestAnsweringOf(t *testing.T) {
	seen := map[string]role.Kind{}
	for _, k := range role.Kinds {
		a := AnsweringOf(k)
		if a.Kind != k || a.Name == "" || a.Prompt == "" || a.Scoring == "" || a.Advice == "" {
			t.Errorf("%s: incomplete %+v", k, a)
		}
		if k.Rated() != (len(a.Scale) == score.MaxRating+1) {
			t.Errorf("%s: %d scale points", k, len(a.Scale))
		}
		if len(a.Scale) > 0 {
			if other, dup := seen[a.Scale[0].Label]; dup {
				t.Errorf("%s shares its scale with %s", k, other)
			}
			seen[a.Scale[0].Label] = k
		}
	}
	if AnsweringOf("nonsense").Kind != role.KindSkill {
		t.Error("an unknown kind is not answered as a skill")
	}
}
