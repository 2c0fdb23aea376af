package jobfamily

import (
	"regexp"
	"strings"
	"unicode"

	"github.com/rolefit/rolefit/internal/role"
)

// targetKind says how an inheritance link names the level it points at.
type targetKind int

const (
	targetBase   targetKind = iota // the family-wide lists ("above", "all roles")
	targetPrev                     // the previous level ("previous roles")
	targetAnchor                   // an in-page anchor ("#senior-…-responsibilities")
	targetName                     // a level title, matched fuzzily
)

type target struct {
	kind  targetKind
	value string
	// fallback is the link text of an anchor target, matched as a level
	// title when the anchor names no heading (an <a id> in raw HTML).
	fallback string
}

// inheritance is an "Extends …" / "Includes …" / "All … plus" statement.
type inheritance struct {
	targets []target
	// mentions is the section the words name, "" when none or both.
	mentions role.Section
	// offPage is set when the statement links to another page.
	offPage bool
	// paths are the destinations of its links to other pages.
	paths []string
}

// offPagePaths returns the destinations of the links that leave the page.
func offPagePaths(links []linkRef) []string {
	var out []string
	for _, l := range links {
		if d := strings.TrimSpace(l.dest); d != "" && !strings.HasPrefix(d, "#") {
			out = append(out, d)
		}
	}
	return out
}

// linksOffPage reports whether any link leaves the page.
func linksOffPage(links []linkRef) bool {
	for _, l := range links {
		if d := strings.TrimSpace(l.dest); d != "" && !strings.HasPrefix(d, "#") {
			return true
		}
	}
	return false
}

var (
	extendsBulletRe = regexp.MustCompile(`(?i)^\W*extends\b\s*(.*)$`)
	includesRe      = regexp.MustCompile(`(?i)^\W*includes?\b(.*)$`)
	allOfRe         = regexp.MustCompile(`(?i)^\W*all\s+(?:the\s+)?(?:responsibilities|requirements|duties|of\s+the)\b`)
	sameAsRe        = regexp.MustCompile(`(?i)^\W*same\s+(?:\w+\s+)?as\s+(.+)$`)
	// everythingRe: "Everything in the Associate Brand Designer role, plus:".
	everythingRe = regexp.MustCompile(`(?i)^\W*(?:everything|all)\s+(?:in|from|of)\s+(?:the\s+|an?\s+)?(.+?)(?:\s+roles?)?\s*,?\s+plus\b`)
	allForRe     = regexp.MustCompile(`(?i)^\W*all\s+(?:of\s+)?(?:the\s+)?(?:responsibilities|requirements|duties)\s+(?:(?:listed|described|outlined|defined)\s+)?(?:for|of|in)\s+(?:the\s+|an?\s+)?(.+)$`)
	// plusRe: "The Intermediate responsibilities, plus the responsibilities
	// below:".
	plusRe = regexp.MustCompile(`(?i)^\W*(?:the\s+)?(.{1,80}?)(?:['’]s)?\s+(?:responsibilities|requirements|duties)\s*,?\s+plus\b`)
	// areWhoRe: "Staff Engineers are Senior Engineers who additionally
	// meet the following criteria".
	areWhoRe = regexp.MustCompile(`(?i)\bare\s+(?:the\s+|an?\s+)?(.{3,80}?)\s+who\s+(?:additionally|also)\b`)
	// shareSameRe: "… share the same requirements as the Intermediate
	// Accounting Manager listed above, but also carry the following".
	shareSameRe = regexp.MustCompile(`(?i)\bshares?\s+the\s+same\s+(?:[\w,]+\s+){0,4}?as\s+(.+)$`)
	// extendsWordRe finds the verb in a sentence such as "The X role extends
	// the Y role outlined above" or "The requirements of X extend the Y role".
	extendsWordRe = regexp.MustCompile(`(?i)\b(extends?)\s+(.*)$`)
	sectionAbove  = regexp.MustCompile(`(?i)\b(?:listed|described|outlined|found|included|defined)\s+(?:in|under)\s+the\s+(?:[\w-]+\s+){0,3}?(?:section\s+)?above\b|\bsections?\s+above\b|\b(?:appl\w+|common)\s+to\s+all\s+(?:roles|levels)\b`)
	previousRe    = regexp.MustCompile(`(?i)\b(?:previous|prior|preceding|lower)\s+(?:roles?|levels?)\b`)
	negationRe    = regexp.MustCompile(`(?i)\bnot\s+(?:be\s+)?(?:required|expected|needed)\s+to\s+(?:meet|fulfil|fulfill|have)\b|\bexempt\s+from\b|\bdoes\s+not\s+(?:inherit|extend|include)\b`)
	leadPrefixRe  = regexp.MustCompile(`(?i)^(?:to\s+)?(?:that|those)\s+of\s+|^(?:to\s+)?(?:the\s+)?(?:responsibilities|requirements)\s+(?:of|for)\s+|^(?:to|the|a|an)\s+`)
	genericLinkRe = regexp.MustCompile(`(?i)^(?:here|this|link|this page|above|below|see)?$`)
	orRe          = regexp.MustCompile(`(?i)\s+or\s+`)
	nameStopRe    = regexp.MustCompile(`(?i)\s+(?:roles?|responsibilities|requirements|section|outlined|above|listed|and\s+include[sd]?|plus|with\s+the\s+addition|as\s+well)\b|\s+\(?(?:see|applicable)\b|[;:]`)
)

// inheritHints holds the words one of the inheritance sentences needs: the
// substring tests are far cheaper than the patterns they guard.
var inheritHints = []string{"all", "same", "plus", "share", "extend", "above", "who additionally", "who also"}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// firstWord returns the first word of a text, lower-cased.
func firstWord(text string) string {
	start := -1
	for i, r := range text {
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r)
		switch {
		case isWord && start < 0:
			start = i
		case !isWord && start >= 0:
			return strings.ToLower(text[start:i])
		}
	}
	if start < 0 {
		return ""
	}
	return strings.ToLower(text[start:])
}

// sectionMentioned returns the section a text names, "" for none or both.
func sectionMentioned(text string) role.Section {
	t := strings.ToLower(text)
	resp := strings.Contains(t, "responsibilit")
	req := strings.Contains(t, "requirement")
	switch {
	case resp && !req:
		return role.Responsibilities
	case req && !resp:
		return role.Requirements
	}
	return ""
}

// anchorTargets returns the in-page anchors a statement links to.
func anchorTargets(links []linkRef) []target {
	var out []target
	for _, l := range links {
		if d := strings.TrimSpace(l.dest); strings.HasPrefix(d, "#") && len(d) > 1 {
			t := target{kind: targetAnchor, value: strings.ToLower(d[1:])}
			if txt := strings.TrimSpace(l.text); !genericLinkRe.MatchString(txt) {
				t.fallback = txt
			}
			out = append(out, t)
		}
	}
	return out
}

// parseInheritBullet recognises a bullet that is an inheritance link rather
// than an item. "Extend and translate …" is an item: the verb must be
// "Extends", or one of the other phrasings.
func parseInheritBullet(text string, links []linkRef) (inheritance, bool) {
	// Every bullet form starts with one of these words: most bullets are
	// items and need no regular expression.
	switch firstWord(text) {
	case "extends", "include", "includes", "all", "same", "everything":
	default:
		return inheritance{}, false
	}
	inh := inheritance{mentions: sectionMentioned(text), offPage: linksOffPage(links), paths: offPagePaths(links)}
	if m := extendsBulletRe.FindStringSubmatch(text); m != nil {
		inh.targets = namesToTargets(m[1])
		return inh, true
	}
	if m := includesRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 20 {
		if a := anchorTargets(links); len(a) > 0 {
			inh.targets = a
			return inh, true
		}
		rest := m[1]
		if inh.mentions == "" && !strings.Contains(strings.ToLower(rest), "listed") {
			return inh, false
		}
		switch {
		case previousRe.MatchString(rest):
			inh.targets = []target{{kind: targetPrev}}
		case sectionAbove.MatchString(rest) || strings.Contains(strings.ToLower(rest), "above"):
			inh.targets = []target{{kind: targetBase}}
		default:
			inh.targets = namesToTargets(rest)
		}
		return inh, true
	}
	if allOfRe.MatchString(text) && len(words(text)) <= 16 {
		return allOf(text, links, inh)
	}
	if m := sameAsRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 16 {
		inh.targets = namesToTargets(m[1])
		return inh, true
	}
	if m := everythingRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 16 {
		inh.targets = namesToTargets(m[1])
		return inh, true
	}
	return inh, false
}

func allOf(text string, links []linkRef, inh inheritance) (inheritance, bool) {
	switch {
	case len(anchorTargets(links)) > 0:
		inh.targets = anchorTargets(links)
	case previousRe.MatchString(text):
		inh.targets = []target{{kind: targetPrev}}
	case strings.Contains(strings.ToLower(text), "above") || sectionAbove.MatchString(text):
		inh.targets = []target{{kind: targetBase}}
	default:
		// "All of the responsibilities listed for Engineering Productivity
		// Team Manager."
		m := allForRe.FindStringSubmatch(text)
		if m == nil {
			return inh, false
		}
		inh.targets = namesToTargets(m[1])
		if len(inh.targets) == 0 {
			return inh, false
		}
	}
	return inh, true
}

// parseInheritSentence recognises inheritance written as prose in a level
// intro or before a section's list: "The X role extends the Y role outlined
// above", "… extend the Requirements section above and include:", "All
// requirements of previous roles plus:", "… are listed in the
// Responsibilities section above."
func parseInheritSentence(text string, links []linkRef) (inheritance, bool) {
	lower := strings.ToLower(text)
	if !containsAny(lower, inheritHints) {
		return inheritance{}, false
	}
	inh := inheritance{mentions: sectionMentioned(text), offPage: linksOffPage(links), paths: offPagePaths(links)}
	if allOfRe.MatchString(text) {
		if r, ok := allOf(text, links, inh); ok {
			return r, true
		}
	}
	if m := sameAsRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 16 {
		inh.targets = namesToTargets(m[1])
		return inh, true
	}
	if m := everythingRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 16 {
		inh.targets = namesToTargets(m[1])
		return inh, true
	}
	if m := plusRe.FindStringSubmatch(text); m != nil && len(words(text)) <= 16 {
		if t := namesToTargets(m[1]); len(t) > 0 {
			inh.targets = t
			return inh, true
		}
	}
	if m := areWhoRe.FindStringSubmatch(text); m != nil {
		if t := namesToTargets(m[1]); len(t) > 0 {
			inh.targets = t
			return inh, true
		}
	}
	for _, sentence := range splitSentences(text) {
		if !strings.Contains(lower, "share") {
			break
		}
		if m := shareSameRe.FindStringSubmatch(sentence); m != nil && !negationRe.MatchString(sentence) {
			if t := namesToTargets(m[1]); len(t) > 0 {
				inh.targets = t
				return inh, true
			}
		}
	}
	for _, sentence := range splitSentences(text) {
		if !strings.Contains(lower, "extend") {
			break
		}
		loc := extendsWordRe.FindStringSubmatchIndex(sentence)
		if loc == nil {
			continue
		}
		verb := strings.ToLower(sentence[loc[2]:loc[3]])
		before := strings.ToLower(sentence[:loc[0]])
		if verb == "extend" && !strings.Contains(before, "responsibilit") && !strings.Contains(before, "requirement") && !strings.Contains(before, "role") {
			continue
		}
		if negationRe.MatchString(sentence) {
			continue
		}
		rest := sentence[loc[4]:loc[5]]
		if sectionAbove.MatchString(rest) || isSectionWordsOnly(rest) {
			inh.targets = []target{{kind: targetBase}}
			return inh, true
		}
		if a := anchorTargets(links); len(a) > 0 {
			inh.targets = a
			return inh, true
		}
		inh.targets = namesToTargets(rest)
		if len(inh.targets) == 0 {
			continue
		}
		return inh, true
	}
	if inh.mentions != "" && (strings.Contains(lower, "above") || strings.Contains(lower, "all")) && sectionAbove.MatchString(text) {
		inh.targets = []target{{kind: targetBase}}
		return inh, true
	}
	return inh, false
}

// isSectionWordsOnly reports whether a phrase names only a section of this
// page ("the Requirements section above and include:").
func isSectionWordsOnly(s string) bool {
	w := words(nameStopRe.ReplaceAllString(" "+s, " "))
	for _, x := range w {
		switch x {
		case "the", "responsibilities", "requirements", "section", "above", "base", "family", "common", "shared":
		default:
			return false
		}
	}
	return true
}

// namesToTargets turns "that of the A or B requirements" into name targets.
func namesToTargets(rest string) []target {
	s := strings.TrimSpace(firstSentence(rest))
	for i := 0; i < 4; i++ {
		n := leadPrefixRe.ReplaceAllString(s, "")
		if n == s {
			break
		}
		s = strings.TrimSpace(n)
	}
	if loc := nameStopRe.FindStringIndex(s); loc != nil {
		s = s[:loc[0]]
	}
	s = strings.TrimSpace(strings.TrimRight(strings.TrimSpace(s), ".,"))
	if s == "" || isSectionWordsOnly(s) {
		if strings.Contains(strings.ToLower(rest), "above") || s == "" {
			return []target{{kind: targetBase}}
		}
	}
	var out []target
	for _, part := range orRe.Split(s, -1) {
		part = strings.TrimSpace(leadPrefixRe.ReplaceAllString(strings.TrimSpace(part), ""))
		if part != "" {
			out = append(out, target{kind: targetName, value: part})
		}
	}
	return out
}

// abbreviations that end in a period without ending a sentence.
var abbreviations = map[string]bool{"sr": true, "jr": true, "dr": true, "mr": true, "ms": true, "mrs": true, "st": true, "inc": true, "co": true, "e.g": true, "i.e": true, "vs": true, "etc": false}

// splitSentences splits prose at sentence ends, not at "Sr." or "e.g.".
func splitSentences(text string) []string {
	var out []string
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c != '.' && c != '!' && c != '?' {
			continue
		}
		if i+1 < len(text) && text[i+1] != ' ' {
			continue
		}
		if c == '.' {
			j := i
			for j > start && text[j-1] != ' ' {
				j--
			}
			if abbreviations[strings.ToLower(text[j:i])] {
				continue
			}
		}
		out = append(out, strings.TrimSpace(text[start:i+1]))
		start = i + 1
	}
	if rest := strings.TrimSpace(text[start:]); rest != "" {
		out = append(out, rest)
	}
	return out
}

func firstSentence(text string) string {
	s := splitSentences(text)
	if len(s) == 0 {
		return ""
	}
	return s[0]
}

// titleTokens folds a level title for matching: case, punctuation,
// parentheses, plural s, "Sr."→"senior", and filler words do not count.
func titleTokens(s string) []string {
	var out []string
	w := strings.Fields(role.Normalize(s))
	for i := 0; i < len(w); i++ {
		t := w[i]
		switch t {
		case "sr", "snr":
			t = "senior"
		case "jr":
			t = "junior"
		case "mgr":
			t = "manager"
		case "vice":
			if i+1 < len(w) && w[i+1] == "president" {
				i++
				t = "vp"
			}
		case "the", "a", "an", "of", "role", "roles", "level", "position", "that", "those", "job", "family":
			continue
		}
		if len(t) > 3 && strings.HasSuffix(t, "s") && !strings.HasSuffix(t, "ss") {
			t = strings.TrimSuffix(t, "s")
		}
		out = append(out, t)
	}
	return out
}

// matchScore rates how well a link's name matches a level title: 3 exact,
// 2 one contains the other (extra is the number of words not shared), 1 a
// token overlap above the threshold, 0 no match.
func matchScore(name, title []string) (score int, extra int, overlap float64) {
	if len(name) == 0 || len(title) == 0 {
		return 0, 0, 0
	}
	if strings.Join(name, " ") == strings.Join(title, " ") {
		return 3, 0, 1
	}
	inTitle := map[string]bool{}
	for _, t := range title {
		inTitle[t] = true
	}
	inName := map[string]bool{}
	shared := 0
	for _, t := range name {
		if !inName[t] {
			inName[t] = true
			if inTitle[t] {
				shared++
			}
		}
	}
	union := len(inName) + len(inTitle) - shared
	overlap = float64(shared) / float64(union)
	if shared == len(inName) || shared == len(inTitle) {
		return 2, union - shared, overlap
	}
	if overlap >= 0.5 && shared >= 2 {
		return 1, union - shared, overlap
	}
	return 0, 0, overlap
}
