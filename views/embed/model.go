// Package embed renders the widget's frame: the quick check of a role on
// another site's job page, its result, and its error messages. The pages
// are compact and themable, and use the wizard's item markup.
package embed

import (
	"github.com/rolefit/rolefit/views/result"
	"github.com/rolefit/rolefit/views/wizard"
)

// Frame is what every page in the widget's frame needs.
type Frame struct {
	Title string
	// CSS and Script are the content-hashed URLs of the frame's assets.
	CSS, Script string
	// Theme is "light", "dark" or "auto" (the visitor's preference).
	Theme string
	// AccentCSS is a rule that sets the accent colour, or empty for the
	// default. The server only puts a validated colour here, and the page's
	// CSP allows exactly this text by its hash.
	AccentCSS string
	// Parent is the embedding page's origin, for browsers that do not tell
	// the frame its ancestors; empty when unknown.
	Parent string
	// Level is set on the result: the recommended level's slug, which the
	// frame passes to the embedding page.
	Level string
}

// Check is one page of the quick check: a few requirements of one level.
type Check struct {
	RoleTitle string
	// Action is where the form posts; State is the sealed state it carries.
	Action, State string
	// Total is the number of questions, Answered how many have an answer.
	Total, Answered, Minutes int
	// Page is the page shown of Pages (1-based).
	Page, Pages int
	// Preview is the admin page's preview, which stores nothing.
	Preview bool
	Scale   []wizard.ScalePoint
	Group   Group
	Errors  []wizard.ErrorLink
}

// Group is the items first asked at one level.
type Group struct {
	Title string
	Items []wizard.Item
}

// Result is the outcome shown in the frame.
type Result struct {
	RoleTitle string
	Levels    []Fit
	// Verdict is the recommendation and its reason, as on the site.
	Verdict result.Verdict
	// Gaps are the largest gaps at the recommended level.
	Gaps []result.Line
	// ResultURL is the full result on rolefit's own site (empty in a
	// preview); AgainURL starts a new check in the frame; ApplyURL is
	// rolefit's counting redirect to the role's apply link, empty when the
	// role has none.
	ResultURL, AgainURL, ApplyURL string
	// Preview is the admin page's preview: nothing was stored.
	Preview bool
}

// Fit is one level's fit.
type Fit struct {
	Slug, Title string
	Fit         int
	// Band is strong, good, partial or not-yet under the verdict rule;
	// BandLabel says it in words, and Capped why it is lower than the
	// fit alone gives.
	Band, BandLabel, Capped string
	Assessed                bool
	Recommended             bool
}

// Problem is an error shown inside the frame.
type Problem struct {
	Title, Message string
	// AgainURL starts the check afresh; empty when there is no check to start.
	AgainURL string
}
