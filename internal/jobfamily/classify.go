package jobfamily

import (
	"regexp"
	"strings"
	"unicode"
)

// headClass is what a heading means, judged by its words.
type headClass int

const (
	classOther headClass = iota
	classGrade
	classResp
	classReq
	classBonus
	// classArea is a competency area of a level ("Technical",
	// "Craftsmanship (C3)"): its bullets are requirements (see areas.go).
	classArea
	classLevels
	classGroup
	classClosing
)

// closingKind says which family section a closing heading opens.
type closingKind int

const (
	closeNone closingKind = iota
	closePI
	closeCareer
	closeHiring
	closeInfo // compensation, about the company, benefits: kept out of items
)

var parenRe = regexp.MustCompile(`\([^()]*\)`)

// words splits a heading or phrase into lower-case words: emphasis,
// punctuation and apostrophes ("you'll" → "youll") do not count.
func words(s string) []string {
	s = strings.ToLower(s)
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘':
			// join contractions
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			flush()
		}
	}
	flush()
	return out
}

// keyword phrases, matched against the last words of a heading.
var (
	closingPhrases = []struct {
		words []string
		kind  closingKind
		whole bool // must be the whole heading
	}{
		{[]string{"performance", "indicators"}, closePI, false},
		{[]string{"performance", "indicator"}, closePI, false},
		{[]string{"kpis"}, closePI, true},
		{[]string{"career", "ladder"}, closeCareer, false},
		{[]string{"career", "progression"}, closeCareer, false},
		{[]string{"career", "path"}, closeCareer, false},
		{[]string{"career", "paths"}, closeCareer, false},
		{[]string{"hiring", "process"}, closeHiring, false},
		{[]string{"interview", "process"}, closeHiring, false},
		{[]string{"compensation"}, closeInfo, true},
		{[]string{"benefits"}, closeInfo, true},
	}
	groupPhrases = [][]string{
		{"specialties"}, {"specialty"}, {"specializations"}, {"specialisations"},
		{"specialization"}, {"specialisation"}, {"segment"}, {"segments"},
		{"verticals"}, {"location", "specific", "requirements"},
		{"location", "specific", "responsibilities"},
	}
	bonusPhrases = [][]string{
		{"nice", "to", "haves"}, {"nice", "to", "have"}, {"nice", "haves"},
		{"desired", "skills"}, {"bonus"}, {"bonus", "points"},
		{"preferred", "qualifications"}, {"preferred", "skills"},
		{"preferred", "requirements"}, {"preferred", "experience"},
	}
)

// classifyHeading classifies a heading by its last words, so a level or
// specialty prefix ("Senior Product Manager Responsibilities") does not
// matter. Keywords tolerate small misspellings.
func classifyHeading(text string) (headClass, closingKind) {
	w := words(parenRe.ReplaceAllString(text, " "))
	// Leading numbers ("1. Initial Screen") are not words of the heading.
	for len(w) > 0 && isDigits(w[0]) {
		w = w[1:]
	}
	if len(w) == 0 {
		return classOther, closeNone
	}
	for _, p := range closingPhrases {
		if p.whole && len(w) != len(p.words) {
			continue
		}
		if hasSuffix(w, p.words) {
			return classClosing, p.kind
		}
	}
	if len(w) == 2 && w[0] == "about" && cueWords[w[1]].cue&cueApplicant == 0 {
		// "About Acme", "About us": the employer, not the applicant.
		return classClosing, closeInfo
	}
	for _, p := range groupPhrases {
		if hasSuffix(w, p) {
			return classGroup, closeNone
		}
	}
	last := w[len(w)-1]
	if fuzzyEq(last, "specialties") {
		return classGroup, closeNone
	}
	for _, p := range bonusPhrases {
		if hasSuffix(w, p) {
			return classBonus, closeNone
		}
	}
	// "Nice-to-have Requirements": a bonus phrase before the section word.
	if n := len(w); n >= 2 && (fuzzyEq(w[n-1], "requirements") || w[n-1] == "qualifications" || w[n-1] == "skills") {
		for _, p := range bonusPhrases {
			if hasSuffix(w[:n-1], p) {
				return classBonus, closeNone
			}
		}
	}
	if last == "grade" || last == "grades" {
		return classGrade, closeNone
	}
	if fuzzyEq(last, "responsibilities") || last == "responsibility" || last == "duties" {
		return classResp, closeNone
	}
	if fuzzyEq(last, "requirements") || last == "qualifications" {
		return classReq, closeNone
	}
	if last == "levels" || (len(w) == 1 && last == "level") {
		return classLevels, closeNone
	}
	return classOther, closeNone
}

// atMostWords reports whether s has at most n words as words counts them,
// without building them.
func atMostWords(s string, n int) bool {
	count, in := 0, false
	for _, r := range s {
		switch {
		case r == '\'' || r == '’' || r == '‘':
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if !in {
				count++
				if count > n {
					return false
				}
			}
			in = true
		default:
			in = false
		}
	}
	return true
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

func hasSuffix(w, suffix []string) bool {
	if len(suffix) > len(w) {
		return false
	}
	off := len(w) - len(suffix)
	for i, s := range suffix {
		if w[off+i] != s {
			return false
		}
	}
	return true
}

// fuzzyEq reports whether word is keyword up to a small edit distance: 2 for
// long keywords, 1 for medium ones.
func fuzzyEq(word, keyword string) bool {
	if word == keyword {
		return true
	}
	max := 0
	switch {
	case len(keyword) >= 10:
		max = 2
	case len(keyword) >= 6:
		max = 1
	}
	if max == 0 || abs(len(word)-len(keyword)) > max || len(word) > 40 {
		return false
	}
	return editDistance(word, keyword) <= max
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// editDistance is the optimal string alignment distance (Levenshtein plus
// adjacent transpositions), so a swapped pair of letters counts once.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}

// anchorOf makes the in-page anchor Hugo gives a heading: lower case,
// punctuation dropped, spaces to hyphens.
func anchorOf(text string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimSpace(text)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_':
			b.WriteRune(r)
		case unicode.IsSpace(r):
			b.WriteByte('-')
		}
	}
	return b.String()
}
