// Package dashboard renders the recruiters' aggregate views. Every figure
// arrives already suppressed (as text) from the web layer's one k-anonymity
// pass; these components only lay it out.
package dashboard

// Index is the list of roles with their headline figures.
type Index struct {
	From, To string
	Roles    []RoleLine
	K        int
}

// RoleLine is one role's headline figures.
type RoleLine struct {
	Slug, Title string
	Archived    bool
	Submissions string
	Started     string
	Completion  string
	Apply       string
	// Period is the span the figures cover, snapped to whole groups of at
	// least K applicants.
	Period string
}

// Role is the dashboard of one role.
type Role struct {
	Slug, Title string
	K           int
	Filter      Filter
	// Refused explains why the figures are not shown (a selection below k).
	Refused string
	// Period says which dates the figures cover and why they may differ
	// from the dates asked for (whole groups of at least K applicants).
	Period string
	// Headline figures.
	Submissions, Started, Completion, Apply, ApplyRate string
	Funnel                                             Table
	FunnelChart                                        Chart
	Levels                                             Table
	LevelChart                                         Chart
	Fits                                               []FitLevel
	Trend                                              Table
	TrendChart                                         Chart
	Items                                              []Item
	Sort                                               Sort
	// Change compares the completed checks with the previous period of
	// the same length, or says why it cannot.
	Change string
	// Presets are the date ranges one link away.
	Presets []Link
	// Gaps are the requirements most often below expectation.
	Gaps []Gap
	// Split is how often each level was recommended.
	Split []Split
	// CheckTypes is completion per check type (quick, full, widget).
	CheckTypes Table
	// CSV maps a table name to its download URL; XLSX is the workbook of
	// all of them.
	CSV  map[string]string
	XLSX string
	// Compare opens the comparison with this role preselected.
	Compare string
}

// Link is a link that may be the page shown.
type Link struct {
	Label, Href string
	Current     bool
}

// Gap is a requirement many applicants fall short of.
type Gap struct {
	ID, Text, Level string
	// Below is the share below expectation as text ("62%"); Width is
	// its bar's width in percent.
	Below   string
	Width   int
	Answers string
}

// Split is one level's share of the recommendations.
type Split struct {
	Slug, Title string
	// Count and Share are as shown ("12", "40%", or why hidden); Width
	// is the bar's width in percent of the largest.
	Count, Share string
	Width        int
}

// Compare is two roles, or two versions of one, side by side.
type Compare struct {
	Roles   []Option
	A, B    CompareSide
	From    string
	To      string
	Errors  map[string]string
	Refused string
	// Rows are the requirements asked in both, by item id.
	Rows []CompareRow
	// OnlyA and OnlyB count the items asked on one side only.
	OnlyA, OnlyB int
}

// CompareSide is one side of a comparison: the choice and its headline.
type CompareSide struct {
	Role, Version string
	Versions      []Option
	Title         string
	Period        string
	Refused       string
	Submissions   string
	Completion    string
}

// CompareRow is one requirement on both sides.
type CompareRow struct {
	ID, Text         string
	AAnswers, AShare string
	BAnswers, BShare string
	Difference       string
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
