package jobfamily

// Sections named by meaning. Job ads and other companies' ladders name
// their lists in endless wordings ("What you'll bring", "Our ideal
// candidate has", "Here is what you will be working on"), so a heading the
// keywords do not recognise is scored by what its words are about: who
// (the applicant, or the company), and what (the work, what the person
// brings, or extras). Only a heading that is about the applicant and holds
// a list becomes a section; "What we offer" or "About the team" stay
// information.

// cue is what a word says about a heading.
type cue int

const (
	cueApplicant cue = 1 << iota // the person: you, candidate, applicants
	cueCompany                   // we, our, the team: about the employer
	cueSeek                      // the employer wants: look for, seek, expect
	cueExtra                     // optional: nice, bonus, even better, plus
	cueOffer                     // what the employer gives, or examples: offer, perks, projects
	cueNot                       // a negation: what one refuses or will not do
)

// wordCue is a word's cues and how strongly it speaks of the work to do
// and of what the person brings. Words that carry the heading ("bring",
// "fit", "mission") weigh more than words that often just come along
// ("will", "role", "have").
type wordCue struct {
	cue         cue
	work, bring float64
}

var cueWords = map[string]wordCue{
	"you": {cue: cueApplicant}, "youll": {cue: cueApplicant, work: 0.5}, "youre": {cue: cueApplicant, bring: 0.5},
	"your": {cue: cueApplicant}, "yourself": {cue: cueApplicant}, "person": {cue: cueApplicant},
	"candidate": {cue: cueApplicant, bring: 1}, "candidates": {cue: cueApplicant, bring: 1},
	"applicant": {cue: cueApplicant, bring: 1}, "applicants": {cue: cueApplicant, bring: 1},
	"we": {cue: cueCompany}, "our": {cue: cueCompany}, "us": {cue: cueCompany}, "weve": {cue: cueCompany},
	"were": {cue: cueCompany}, "team": {cue: cueCompany}, "company": {cue: cueCompany},
	"look": {cue: cueSeek}, "looking": {cue: cueSeek}, "seek": {cue: cueSeek}, "seeking": {cue: cueSeek},
	"want": {cue: cueSeek}, "expect": {cue: cueSeek}, "need": {cue: cueSeek, bring: 1}, "needs": {cue: cueSeek, bring: 1},
	"will": {work: 0.5}, "do": {work: 2}, "doing": {work: 2}, "working": {work: 1}, "work": {work: 1},
	"mission": {work: 2}, "role": {work: 0.5}, "day": {work: 1}, "impact": {work: 1}, "tasks": {work: 2},
	"job": {work: 0.5}, "build": {work: 1}, "building": {work: 1}, "own": {work: 1}, "achieve": {work: 1},
	"accomplish": {work: 1},
	"bring":      {bring: 2}, "have": {bring: 0.5}, "has": {bring: 0.5}, "are": {bring: 0.5}, "skills": {bring: 1},
	"experience": {bring: 1}, "background": {bring: 1}, "profile": {bring: 1}, "about": {bring: 1},
	"qualify": {bring: 1}, "fit": {bring: 2}, "ideal": {bring: 2}, "must": {bring: 1}, "requirements": {bring: 2},
	"qualifications": {bring: 2}, "knowledge": {bring: 1}, "who": {bring: 1},
	"nice": {cue: cueExtra}, "bonus": {cue: cueExtra}, "plus": {cue: cueExtra}, "better": {cue: cueExtra},
	"extra": {cue: cueExtra}, "preferred": {cue: cueExtra}, "desirable": {cue: cueExtra}, "ideally": {cue: cueExtra},
	"offer": {cue: cueOffer}, "benefits": {cue: cueOffer}, "perks": {cue: cueOffer}, "get": {cue: cueOffer},
	"culture": {cue: cueOffer}, "projects": {cue: cueOffer}, "examples": {cue: cueOffer},
	"not": {cue: cueNot}, "never": {cue: cueNot}, "refuse": {cue: cueNot}, "avoid": {cue: cueNot},
	"dont": {cue: cueNot}, "wont": {cue: cueNot},
}

// meaningOf scores a heading's words and returns classResp, classReq,
// classBonus, or classOther when the heading is not about the applicant or
// its words do not lean one way.
func meaningOf(text string) headClass {
	w := words(text)
	if len(w) == 0 || len(w) > 16 {
		return classOther
	}
	var all cue
	work, bring := 0.0, 0.0
	for _, x := range w {
		c := cueWords[x]
		all |= c.cue
		work += c.work
		bring += c.bring
	}
	// About the applicant: "you…", or the employer saying what it seeks.
	aboutApplicant := all&cueApplicant != 0 || (all&cueCompany != 0 && all&cueSeek != 0) ||
		(all&cueCompany == 0 && (bring > 0 || work > 0 || (all&cueExtra != 0 && len(w) <= 3)))
	switch {
	case !aboutApplicant || all&cueOffer != 0:
		return classOther
	case all&cueExtra != 0 && (bring > 0 || all&cueApplicant != 0 || len(w) <= 3):
		return classBonus // "Nice to have, but not required"
	case all&cueNot != 0:
		return classOther // "What you refuse to do"
	case all&cueSeek != 0 && work == 0:
		return classReq
	case bring > work:
		return classReq
	case work > bring:
		return classResp
	}
	return classOther
}
