package report

import (
	"context"

	"github.com/rolefit/rolefit/internal/release"
)

// Store reads released aggregates; *sqlite.DB implements it.
type Store interface {
	// ReleasedSums sums the released cells of a role over nodes, per
	// slice and cell; metrics, when given, limits what is read.
	ReleasedSums(ctx context.Context, slug string, nodes []release.Node, metrics ...string) ([]release.Released, error)
}

// FitBands is the number of 10-point bands of the fit histogram; a fit of
// 100 falls in the last (90–100).
const FitBands = release.FitBands

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

// selects reports whether the released slice s is read for f: the whole
// role's own cells when f filters nothing (one cell's noise per interval),
// else the sum of every version × channel × mode slice f keeps.
func (f StatsFilter) selects(s release.Slice) bool {
	if !f.filtered() {
		return s.Whole()
	}
	return !s.Whole() && (f.Channel == "" || s.Channel == f.Channel) &&
		(f.Mode == "" || s.Mode == f.Mode) && (f.VersionID == 0 || s.VersionID == f.VersionID)
}
