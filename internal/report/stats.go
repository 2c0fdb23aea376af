package report

import "context"

// Store reads the aggregate counters a report is built from; *sqlite.DB
// implements it.
type Store interface {
	RoleStats(ctx context.Context, f StatsFilter) (*RoleStats, error)
	RoleSlices(ctx context.Context, f StatsFilter) ([]Slice, error)
	RoleSummaries(ctx context.Context, from, to string) (map[string]RoleSummary, error)
	DailyCompleted(ctx context.Context, role string) ([]DayCompleted, error)
}

// MaxAnswerBucket caps the whole-number bucket an answer is counted in:
// ratings are 0–4 and yes/no 0–1, so only years reach it ("20 or more").
const MaxAnswerBucket = 20

// FitBands is the number of 10-point bands of the fit histogram; a fit of
// 100 falls in the last (90–100).
const FitBands = 10

// StatsFilter narrows a report's figures. Empty fields do not narrow. A
// report echoes it in its JSON without the role, which the report names.
type StatsFilter struct {
	Role string `json:"-"`
	// From and To are inclusive UTC dates, YYYY-MM-DD.
	From      string `json:"from"`
	To        string `json:"to"`
	Channel   string `json:"channel,omitempty"`
	Mode      string `json:"mode,omitempty"`
	VersionID int64  `json:"version,omitempty"`
}

func (f StatsFilter) filtered() bool { return f.Channel != "" || f.Mode != "" || f.VersionID != 0 }

// RoleStats are a role's raw aggregate counts over a filter. They are not
// safe to publish as they are: Build passes them through kanon.
type RoleStats struct {
	Started, Completed, Apply int
	// Steps maps a step number to how many reached it.
	Steps map[int]int
	// Answers maps an item id to its answer counts by bucket
	// (0..MaxAnswerBucket).
	Answers map[string][]int
	// Fits maps a level slug to its fit histogram (FitBands bands).
	Fits map[string][]int
	// Recommended maps a level slug ("" when none) to its count.
	Recommended map[string]int
	// Daily holds the funnel counts of each day that has any, by day.
	Daily []DayCounts
}

// DayCounts are one day's funnel counts.
type DayCounts struct {
	Day                       string
	Started, Completed, Apply int
}

// Slice is how many checks of one channel × mode × version were completed
// in a date range; Build uses slices to refuse filters that would narrow
// a view below k, directly or by difference.
type Slice struct {
	Channel, Mode string
	VersionID     int64
	Completed     int
}

// RoleSummary is a role's funnel totals over a date range.
type RoleSummary struct {
	Role                      string
	Started, Completed, Apply int
}

// DayCompleted is how many checks of one channel × mode × version were
// completed on a day.
type DayCompleted struct {
	Day           string
	Channel, Mode string
	VersionID     int64
	Completed     int
}
