// Package wizard renders the steps of an applicant's self-assessment.
package wizard

// Step is one page of the wizard.
type Step struct {
	RoleTitle, RoleURL string
	// Mode is "Quick check" or "Full assessment".
	Mode string
	// Number is 1-based; Last is set on the final step, whose button
	// submits the check.
	Number, Total int
	Last          bool
	Heading       string
	Intro         string
	// Action is the URL the step's form posts to.
	Action string
	CSRF   string
	Scale  []ScalePoint
	Items  []Item
	// Errors lead the page in an error summary that links to each item.
	Errors []ErrorLink
}

// ScalePoint is one value of the rating scale.
type ScalePoint struct {
	Value, Label, Anchor string
}

// Item is one question.
type Item struct {
	ID string
	// HTML is the item's sanitised text.
	HTML    string
	Details []string
	// Kind is "skill", "trait", "language", "experience" or "fact".
	Kind string
	// Prompt is the question the kind puts ("How often does this describe
	// how you work?"); Scale holds the 0–4 points of a rated kind.
	Prompt string
	Scale  []ScalePoint
	Bonus  bool
	// Note says where the item comes from, such as "Asked of every level".
	Note string
	// Value is the current answer as the form sends it ("3", "2.5", "yes").
	Value string
	// Error is shown beside the item.
	Error string
	// MinYears is the bar of an experience item.
	MinYears string
	// Rendered, when set, is this item's fieldset exactly as Question
	// renders it, made once per role version and answer; the page writes
	// it as is instead of rendering the item again.
	Rendered string
}

// ErrorLink is one line of the error summary.
type ErrorLink struct {
	Target, Text string
}

// SavedModel is the page shown after "save and continue later".
type SavedModel struct {
	RoleTitle, RoleURL, ContinueURL string
	Answered, Total                 int
}
