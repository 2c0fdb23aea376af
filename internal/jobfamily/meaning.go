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
	cueWork                      // the work: do, working on, mission, impact
	cueBring                     // what the person brings: have, bring, skills
	cueExtra                     // optional: nice, bonus, even better, plus
	cueOffer                     // what the employer gives: offer, benefits, perks
)

var cueWords = map[string]cue{
	"you": cueApplicant, "youll": cueApplicant, "youre": cueApplicant, "your": cueApplicant,
	"yourself": cueApplicant, "candidate": cueApplicant | cueBring, "candidates": cueApplicant | cueBring,
	"applicant": cueApplicant | cueBring, "applicants": cueApplicant | cueBring, "person": cueApplicant,
	"we": cueCompany, "our": cueCompany, "us": cueCompany, "weve": cueCompany, "were": cueCompany,
	"team": cueCompany, "company": cueCompany,
	"look": cueSeek, "looking": cueSeek, "seek": cueSeek, "seeking": cueSeek, "want": cueSeek,
	"expect": cueSeek, "need": cueSeek | cueBring, "needs": cueSeek | cueBring,
	"do": cueWork, "doing": cueWork, "working": cueWork, "work": cueWork, "mission": cueWork,
	"role": cueWork, "day": cueWork, "impact": cueWork, "tasks": cueWork, "job": cueWork,
	"build": cueWork, "building": cueWork, "own": cueWork, "achieve": cueWork, "accomplish": cueWork,
	"bring": cueBring, "have": cueBring, "has": cueBring, "are": cueBring, "skills": cueBring,
	"experience": cueBring, "background": cueBring, "profile": cueBring, "about": cueBring,
	"qualify": cueBring, "fit": cueBring, "ideal": cueBring, "must": cueBring, "requirements": cueBring,
	"qualifications": cueBring, "knowledge": cueBring, "who": cueBring,
	"nice": cueExtra, "bonus": cueExtra, "plus": cueExtra, "better": cueExtra, "extra": cueExtra,
	"preferred": cueExtra, "desirable": cueExtra, "ideally": cueExtra,
	"offer": cueOffer, "benefits": cueOffer, "perks": cueOffer, "get": cueOffer, "culture": cueOffer,
}

// meaningOf scores a heading's words and returns classResp, classReq,
// classBonus, or classOther when the heading is not about the applicant or
// its words do not lean one way.
func meaningOf(text string) headClass {
	w := words(text)
	if len(w) == 0 || len(w) > 10 {
		return classOther
	}
	var all cue
	work, bring := 0, 0
	for _, x := range w {
		c := cueWords[x]
		all |= c
		if c&cueWork != 0 {
			work++
		}
		if c&cueBring != 0 {
			bring++
		}
	}
	// About the applicant: "you…", or the employer saying what it seeks.
	aboutApplicant := all&cueApplicant != 0 || (all&cueCompany != 0 && all&cueSeek != 0) ||
		(all&cueCompany == 0 && (bring > 0 || work > 0 || (all&cueExtra != 0 && len(w) <= 3)))
	switch {
	case !aboutApplicant || all&cueOffer != 0:
		return classOther
	case all&cueExtra != 0 && (bring > 0 || all&cueApplicant != 0 || len(w) <= 3):
		return classBonus
	case all&cueSeek != 0 && work == 0:
		return classReq
	case bring > work:
		return classReq
	case work > bring:
		return classResp
	}
	return classOther
}
