// Package rolepage renders a role for applicants: its levels, what each
// asks for, and how to start a check.
package rolepage

// Model is the role page's view model.
type Model struct {
	Slug, Title, Summary string
	// IntroHTML is sanitised HTML from the imported page.
	IntroHTML string
	Levels    []Level
	Family    []Section
	// Specialties an applicant may choose to be asked about too.
	Specialties           []string
	Quick, Full           Check
	PerformanceIndicators []string
	HiringProcess         []string
	// StartURL receives the start form (mode, specialty).
	StartURL string
	// Resume is the applicant's unfinished check of this role, if any.
	Resume *Resume
}

// Resume offers to continue a check where the applicant left it.
type Resume struct {
	URL, Mode       string
	Answered, Total int
}

// Check describes one way to start.
type Check struct {
	Items, Minutes int
}

// Level is one level as shown on the page.
type Level struct {
	Slug, Title string
	Grade       string
	ReportsTo   string
	// ExtendsTitle names the level this one builds on, if any.
	ExtendsTitle string
	Sections     []Section
}

// Section is a list of a level's own items, with a note of what it
// inherits rather than a repeat of it.
type Section struct {
	Name           string
	Items          []Item
	InheritedCount int
	InheritedFrom  string
}

// Item is one bullet.
type Item struct {
	HTML    string
	Bonus   bool
	Kind    string
	Details []string
}
