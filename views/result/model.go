// Package result renders an applicant's result: the fit per level, what it
// rests on, and what happens next.
package result

// Model is the result page's view model.
type Model struct {
	RoleTitle, RoleURL string
	// Mode is "Quick check" or "Full assessment"; Quick says the check
	// scored requirements only.
	Mode  string
	Quick bool
	// Outdated is set when the role's page has changed since the check.
	Outdated bool
	Levels   []Level
	// Recommended is the title of the recommended level; Closest is set
	// when no level is a good fit and it is only the best-fitting one.
	Recommended string
	Closest     bool
	Strengths   []Line
	Bonus       []Line
	Specialty   *Specialty
	Hiring      []string
	// ApplyURL is rolefit's counting redirect to the role's apply link;
	// empty when the role has none.
	ApplyURL  string
	DeleteURL string
}

// Level is the fit for one level.
type Level struct {
	Slug, Title string
	Assessed    bool
	// Fit is a whole percentage.
	Fit       int
	Band      string // strong, good, partial, not-yet
	BandLabel string
	// Own says what the level adds ("Senior adds 12 items; you meet 7"),
	// Inherited what it carries over at a higher standard.
	Own, Inherited string
	Recommended    bool
	Gaps           []Line
}

// Line is one item with the answer given and the bar it is measured
// against, in words ("Practised (2)").
type Line struct {
	HTML     string
	You      string
	Expected string
}

// Specialty is the chosen specialty's items, shown apart from the levels.
type Specialty struct {
	Name       string
	Met, Total int
	Items      []Line
}

// Deleted is the confirmation after "delete my answers".
type Deleted struct{}
