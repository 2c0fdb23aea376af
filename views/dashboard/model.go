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
	// Change compares the completed checks with the previous period of
	// the same length, or says why it cannot.
	Change string
	// Presets are the date ranges one link away.
	Presets []Link
	// Hosts is the widget's funnel per embedding site; HostsEmpty says
	// why there is none to show.
	Hosts      Table
	HostsEmpty string
	// Gaps are the requirements most often below expectation.
	Gaps []Gap
	// Split is how often each level was recommended.
	Split []Split
	// CheckTypes is completion per kind of check (quick, full, widget).
	CheckTypes []CheckType
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
	ID, Text string
	// Below is the share below expectation as text ("about 62% ± 9%");
	// Width is its bar's width in percent.
	Below string
	Width int
}

// Split is how often one level was recommended.
type Split struct {
	Slug, Title string
	// Count is as shown ("about 12 ± 3"); Width is the bar's width in
	// percent of the largest.
	Count string
	Width int
}

// CheckType is how far applicants got through one kind of check.
type CheckType struct {
	Name, Started, Completed, Rate string
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
