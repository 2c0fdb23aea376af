package jobfamily

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/rolefit/rolefit/internal/role"
)

// numberWords maps the number words real pages use for years ("Two to
// four years", "Five + years") to their values.
var numberWords = map[string]float64{
	"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
	"seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
	"thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "twenty-five": 25, "thirty": 30,
}

const numPattern = `(\d{1,2}(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty(?:-five)?|thirty)`

var (
	// yearsRe finds "5+ years", "1-3 years", "Two to four years",
	// "15 + years", "three (3) years", "3 or more years". The first group is
	// the lower bound, the bar an applicant must meet.
	yearsRe = regexp.MustCompile(`(?i)\b` + numPattern +
		`(?:\s*\(\d{1,2}\+?\))?\s*(?:\+|plus)?\s*(?:(?:-|–|—|to)\s*` + numPattern +
		`\s*\+?\s*)?(?:or more\s+|or greater\s+)?(?:full[- ]time\s+)?(?:years?|yrs?)\b`)
	// monthsRe finds durations in months or weeks, which are not years.
	monthsRe = regexp.MustCompile(`(?i)\b` + numPattern + `\s*\+?\s*(?:months?|weeks?)\b`)

	// factRes are the fact patterns, each with a substring it needs: the
	// cheap check keeps the regular expression off most items.
	factRes = []struct {
		hint string
		re   *regexp.Regexp
	}{
		// Values statements.
		{"values", regexp.MustCompile(`\bshare (?:in )?(?:our|gitlab'?s|the company'?s) values\b`)},
		{"values", regexp.MustCompile(`\b(?:share|accordance with|align(?:ed|ment)? with) .*\bvalues\b`)},
		// Location, residence, time zones.
		{"", regexp.MustCompile(`^(?:you are |you're |are |be )?(?:living|located|based|residing)\b`)},
		{"living wherever", nil},
		{"resid", regexp.MustCompile(`\b(?:reside|resides|residing|resident|residence)\b`)},
		{" in", regexp.MustCompile(`\b(?:must be|be) (?:located|based) in\b`)},
		{"zone", regexp.MustCompile(`\btime ?zones?\b`)},
		// Legal and logistics.
		{"background", regexp.MustCompile(`\bbackground (?:check|screening)`)},
		{"right to work", regexp.MustCompile(`\bright to work\b`)},
		{"to work", regexp.MustCompile(`\b(?:authori[sz]ed|eligible|entitled|permitted) to work\b`)},
		{"work ", regexp.MustCompile(`\bwork (?:permit|authori[sz]ation|visa)\b`)},
		{"visa sponsorship", nil},
		{"clearance", regexp.MustCompile(`(?:^|\b(?:have|hold|holds|obtain|maintain|eligible for|active|current|valid)\s+|^(?:a|an)\s+)(?:\w+\s+)?clearance\b`)},
		{"citizen", regexp.MustCompile(`\bcitizen(?:ship)?\b`)},
		{"vaccinat", regexp.MustCompile(`\bvaccinat`)},
		{"licen", regexp.MustCompile(`\bdriver'?s licen[cs]e\b`)},
		{"to travel", regexp.MustCompile(`\b(?:ability|able|willing|willingness|available|availability|prepared|must|need) to travel\b`)},
		{"travel ", regexp.MustCompile(`\btravel (?:up to|as needed|if needed|when needed|is required|required|\d)`)},
		{"willing", regexp.MustCompile(`\bwilling(?:ness)? to (?:relocate|work (?:on|during|in) )`)},
		// Formal education is held or not.
		{"degree", regexp.MustCompile(`^(?:a |an )?(?:bachelor'?s|master'?s|ba|bs|ms|mba|phd|college|university)?\s*degree\b`)},
		{"degree", regexp.MustCompile(`\b(?:bachelor'?s|master'?s) degree\b`)},
	}
)

var (
	// languageRe names a language; languageUseRe says the item is about
	// speaking or writing it, not, say, a market or a team.
	languageRe    = regexp.MustCompile(`\b(?:english|spanish|french|german|italian|portuguese|dutch|japanese|mandarin|chinese|cantonese|korean|arabic|russian|hindi|polish|swedish|turkish)\b`)
	languageUseRe = regexp.MustCompile(`\b(?:proficien\w*|fluen\w*|native|bilingual|spoken|speak\w*|written|verbal|language|command of)\b`)

	// traitRes find traits and behaviours: who someone is rather than what
	// they have practised. An adjective must stand alone or be joined to
	// another ("Highly independent and pragmatic"), so "Creative writing
	// skills" stays a skill.
	traitRes = []*regexp.Regexp{
		regexp.MustCompile(`^(?:an? |you have an? |you have )?(?:genuine |strong |deep |real |natural |demonstrated )?(?:passion|enthusiasm|curiosity|drive|love) (?:for|about|to)\b`),
		regexp.MustCompile(`^(?:you are |you're |are |be |being )?(?:(?:highly|very|extremely|naturally|intellectually|genuinely) )?(?:independent|pragmatic|interdependent|collaborative|curious|humble|empathetic|proactive|resourceful|adaptable|resilient|positive|optimistic|motivated|driven|reliable|dependable|flexible|persistent|patient|passionate|enthusiastic|detail[- ]oriented|results[- ]oriented|hard[- ]?working)(?:$|[,;.]|\s+(?:and|with|about|in|to)\b)`),
		regexp.MustCompile(`\bself[- ](?:aware|awareness|motivated|starter|directed|driven|reflective|disciplined)\b`),
		regexp.MustCompile(`\b(?:team player|growth mindset|sense of (?:urgency|ownership|humou?r)|bias (?:for|towards?) action|work ethic|positive attitude|comfortable with ambiguity)\b`),
	}
)

// GuessKind guesses how an applicant answers an item from its plain text:
// experience when it states a number of years (MinYears is the lower
// bound); language for speaking or writing a named language; fact for
// yes/no statements about the person or logistics; trait for a trait or
// behaviour; else skill. It is the one place these heuristics live.
func GuessKind(text string) (role.Kind, float64) {
	t := strings.ToLower(quoteFolder.Replace(text))
	// Cheap substring checks keep the regular expressions off most items.
	if (strings.Contains(t, "year") || strings.Contains(t, "yr")) && yearsRe.MatchString(t) {
		m := yearsRe.FindStringSubmatch(t)
		if n := parseNumber(m[1]); n > 0 {
			return role.KindExperience, n
		}
	}
	if (strings.Contains(t, "month") || strings.Contains(t, "week")) && monthsRe.MatchString(t) {
		return role.KindFact, 0
	}
	if languageRe.MatchString(t) && languageUseRe.MatchString(t) {
		return role.KindLanguage, 0
	}
	for _, f := range factRes {
		switch {
		case f.hint != "" && !strings.Contains(t, f.hint):
		case f.re == nil, f.re.MatchString(t):
			return role.KindFact, 0
		}
	}
	for _, re := range traitRes {
		if re.MatchString(t) {
			return role.KindTrait, 0
		}
	}
	return role.KindSkill, 0
}

var quoteFolder = strings.NewReplacer("’", "'", "‘", "'")

func parseNumber(s string) float64 {
	if v, ok := numberWords[strings.ToLower(s)]; ok {
		return v
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0
	}
	return f
}

// bonusPrefixRe matches the optional markers an item can start with.
var bonusPrefixRe = regexp.MustCompile(`(?i)^[\s*_]*(?:bonus\b|nice[\s-]+to[\s-]+haves?\b|preferred\b|preferably\b|(?:a\s+)?plus\s*(?::|\s[-–]\s)|optional\s*(?::|\s[-–]\s)|desired\s*(?::|\s[-–]\s))`)

// IsBonus reports whether an item's text marks it as optional by its prefix
// ("Bonus points:", "BONUS:", "Nice to have", "Preferred …", "Plus:").
// Inline hedges such as "… is a plus" keep an item required.
func IsBonus(text string) bool {
	return bonusPrefixRe.MatchString(text)
}

var placeholderRe = regexp.MustCompile(`(?i)^\W*(?:to be (?:defined|determined|decided|added|confirmed)|tbd|tba|n/?a|none|nothing|coming soon|not (?:yet )?(?:defined|applicable)|currently no\b.*\bdefined|no \w+ (?:defined|yet))\b`)

// isPlaceholder reports whether a bullet only says that content is missing.
func isPlaceholder(text string) bool {
	return placeholderRe.MatchString(strings.TrimSpace(text))
}

var (
	gradeRes = []*regexp.Regexp{
		regexp.MustCompile(`(?i)\bgrade\s*\]?\s*[:#]?\s*(\d{1,2})\b`),
	}
	gradeLineRe  = regexp.MustCompile(`(?im)^\s*job\s+grade\s*[:\-]\s*(\d{1,2})\b`)
	gradeLevelRe = regexp.MustCompile(`(?i)\blevel\s+(\d{1,2})\b`)
)

// findGrade looks for a grade statement in a paragraph: "grade 7",
// "[grade 7](…)", "Grade: 7", a bare number linked to the compensation
// calculator, a "Job Grade: N" line, and, when allowLevel, "Level N".
func findGrade(text string, links []linkRef, allowLevel bool) (int, bool) {
	hasGrade := strings.Contains(strings.ToLower(text), "grade")
	for _, re := range gradeRes {
		if !hasGrade {
			break
		}
		if m := re.FindStringSubmatch(text); m != nil {
			return atoiOK(m[1])
		}
	}
	for _, l := range links {
		if strings.Contains(strings.ToLower(l.dest), "compensation-calculator") {
			if n, ok := atoiOK(strings.TrimSpace(l.text)); ok {
				return n, true
			}
		}
	}
	if hasGrade {
		if m := gradeLineRe.FindStringSubmatch(text); m != nil {
			return atoiOK(m[1])
		}
	}
	if allowLevel {
		if m := gradeLevelRe.FindStringSubmatch(text); m != nil {
			return atoiOK(m[1])
		}
	}
	return 0, false
}

func atoiOK(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 99 {
		return 0, false
	}
	return n, true
}
