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
	// Answered of Questions is the progress: answers given of all the
	// check asks.
	Answered, Questions int
	// ProgressHTML, when set, is the progress exactly as Progress renders
	// it; see Item.Rendered.
	ProgressHTML string
	Heading      string
	Intro        string
	// Action is the URL the step's form posts to.
	Action string
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
	// ResumeLink continues the check in any browser until ResumeUntil
	// (a date in words).
	ResumeLink, ResumeUntil string
}

// ProblemModel explains why a page of the check cannot be shown, with the
// ways on.
type ProblemModel struct {
	Title, Message     string
	RoleTitle, RoleURL string
	// ContinueURL carries on with the check under way; empty when none.
	ContinueURL string
}

// Underway describes a check under way, for the pages that ask before
// replacing it.
type Underway struct {
	Mode            string
	Answered, Total int
}

// ConfirmStartModel asks before a new check replaces the one under way.
type ConfirmStartModel struct {
	RoleTitle, RoleURL string
	Current            Underway
	// NewMode is the check asked for ("Quick check"); Action, Mode,
	// Specialty and CSRF make the form that starts it.
	NewMode           string
	Action            string
	Mode, Specialty   string
	CSRF, ContinueURL string
}

// ResumeModel asks before a resume link replaces this browser's check.
type ResumeModel struct {
	RoleTitle, RoleURL string
	Linked             Underway
	// Current is this browser's check of the role, if any, that the
	// link would replace.
	Current *Underway
	// Action, Token and CSRF make the form that takes the link's check.
	Action, Token, CSRF string
}
