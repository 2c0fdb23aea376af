// Package result renders an applicant's result: the fit per level, what it
// rests on, and what happens next.
package result

// Model is the result page's view model.
type Model struct {
	RoleTitle, RoleURL string
	// Mode is "Quick check" or "Full assessment"; Quick says the check
	// scored the must-have requirements only.
	Mode  string
	Quick bool
	// Outdated is set when the role's page has changed since the check.
	Outdated bool
	Levels   []Level
	Verdict  Verdict
	// Strengths are what the applicant meets at the recommended level.
	Strengths []Line
	Bonus     []Line
	Specialty *Specialty
	// Kinds explain how each kind of item in the check counts.
	Kinds []Kind
	// Advice says, per kind of gap at the recommended level, what would
	// move it.
	Advice []Advice
	Hiring []string
	// ApplyURL is rolefit's counting redirect to the role's apply link;
	// empty when the role has none.
	ApplyURL string
	// ShareURL is the page's full address, to copy; ChangeURL takes a new
	// check pre-filled with these answers; DeleteURL asks to confirm the
	// deletion.
	ShareURL, ChangeURL, DeleteURL string
}

// Verdict is the recommendation and the rule that gave it, in words.
type Verdict struct {
	// Level is the recommended level's slug and Title its title; empty
	// when the check assessed no level.
	Level, Title string
	// Kind is "fit" when the level is a good or strong fit, "closest"
	// when no level is and it is only the best-fitting one.
	Kind string
	// Reason says why, in words: the fit, the band, and what caps it.
	Reason string
}

// Closest reports whether no level is a fit.
func (v Verdict) Closest() bool { return v.Kind == "closest" }

// Level is the fit for one level.
type Level struct {
	Slug, Title string
	Assessed    bool
	// Fit is a whole percentage, as shown.
	Fit int
	// Band is the level's band under the verdict rule: strong, good,
	// partial or not-yet; BandLabel says it in words.
	Band, BandLabel string
	// Capped says why the band is lower than the fit alone would give
	// ("73 %, but 2 items are …"); empty when it is not.
	Capped string
	// Own says what the level adds ("Senior adds 12 items; you meet 7"),
	// Inherited what it carries over at a higher standard.
	Own, Inherited string
	Recommended    bool
	// Gaps are the largest gaps; MoreGaps the rest, folded away.
	Gaps, MoreGaps []Line
}

// Line is one item with the answer given and the bar it is measured
// against, in words ("Practised (2)").
type Line struct {
	HTML     string
	You      string
	Expected string
	// Kind is the item's kind, for the page's markup.
	Kind string
	// Short is set when the item is two or more steps below the bar.
	Short bool
	// Weight is the item's weight in words when it is not 1 ("counts
	// 2×"), else empty.
	Weight string
}

// Kind says how items of one kind count.
type Kind struct {
	Name, Scoring string
}

// Advice is what would move the gaps of one kind.
type Advice struct {
	Name string
	// Gaps is how many gaps of the kind the recommended level has.
	Gaps int
	Text string
}

// Specialty is the chosen specialty's items, shown apart from the levels.
type Specialty struct {
	Name       string
	Met, Total int
	Items      []Line
}

// Confirm is the step before "delete my answers".
type Confirm struct {
	RoleTitle, ResultURL, DeleteURL string
}
