// Package dashboard renders the recruiters' aggregate views. Every figure
// arrives as text from the released report (a noisy estimate with its
// margin); these components only lay it out.
package dashboard

// Index is the list of roles with their headline figures.
type Index struct {
	From, To string
	Roles    []RoleLine
}

// RoleLine is one role's headline figures.
type RoleLine struct {
	Slug, Title string
	Archived    bool
	Submissions string
	Started     string
	Completion  string
	Apply       string
	// Period is the span the figures cover: the days that are over.
	Period string
}

// Role is the dashboard of one role.
type Role struct {
	Slug, Title string
	Filter      Filter
	// Refused explains why no figure is shown (no day of the period is
	// over yet).
	Refused string
	// Empty is the plain empty state when no completed check is released.
	Empty string
	// Period says which dates the figures cover (days that are over) and
	// how to read a margin.
	Period string
	// Headline figures.
	Submissions, Started, Completion, Apply, ApplyRate string
	Funnels                                            []Funnel
	Levels                                             Table
	LevelChart                                         Chart
	Fits                                               []FitLevel
	Trend                                              Table
	TrendChart                                         Chart
	Items                                              []Item
	Sort                                               Sort
	// CSV maps a table name to its download URL.
	CSV map[string]string
}

// Filter is the filter form's state.
type Filter struct {
	From, To, Channel, Mode, Version string
	Versions                         []Option
	Errors                           map[string]string
}

// Option is a choice of a select.
type Option struct{ Value, Label string }

// Table is a data table: a caption, a header row and text cells.
type Table struct {
	Caption string
	Head    []string
	Rows    [][]string
}

// Chart is an inline SVG chart, with its geometry worked out in Go.
type Chart struct {
	Title, Desc   string
	Width, Height int
	Bars          []Bar
	Labels        []Label
}

// Bar is one rectangle of a chart.
type Bar struct {
	X, Y, W, H int
	Class      string
	Title      string
}

// Label is one text of a chart.
type Label struct {
	X, Y   int
	Text   string
	Anchor string
}

// Funnel is the way through one kind of check.
type Funnel struct {
	Title string
	Chart Chart
	Table Table
}

// FitLevel is the fit histogram of one level.
type FitLevel struct {
	Slug, Title string
	Chart       Chart
	Table       Table
}

// Item is one row of the requirements table.
type Item struct {
	ID, Text, Section, Level, Kind string
	Answers                        string
	// Spread holds the labelled cells ("3: Proficient" → "12").
	Spread []SpreadCell
	Bar    Chart
	Mean   string
	Share  string
}

// SpreadCell is one answer value's count.
type SpreadCell struct{ Name, Value string }

// Sort is the requirements table's order and the links to change it.
type Sort struct {
	By, Dir string
	Links   map[string]string
}
