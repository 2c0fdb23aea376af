// Package report builds a role's dashboard figures: it reads the counters
// for a filter, snaps the period to whole k-blocks and passes every figure
// through kanon. The page, the CSV files and the JSON API all render a
// Report, so they cannot disagree about what is hidden.
package report

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"

	"github.com/rolefit/rolefit/internal/kanon"
	"github.com/rolefit/rolefit/internal/role"
)

// Report is one role's figures over a filter, every one already passed
// through kanon.
type Report struct {
	Role        string      `json:"role"`
	Title       string      `json:"title"`
	K           int         `json:"k"`
	Filter      StatsFilter `json:"filter"`
	Period      Period      `json:"period"`
	Refused     string      `json:"refused,omitempty"`
	Submissions *kanon.Cell `json:"submissions,omitempty"`
	Started     *kanon.Cell `json:"started,omitempty"`
	ApplyClicks *kanon.Cell `json:"apply_clicks,omitempty"`
	Completion  *Share      `json:"completion_rate,omitempty"`
	ApplyRate   *Share      `json:"apply_rate,omitempty"`
	Steps       []Step      `json:"steps,omitempty"`
	Levels      []Level     `json:"levels,omitempty"`
	Weeks       []Week      `json:"weeks,omitempty"`
	Items       []Item      `json:"items,omitempty"`
}

// Period is the requested date range and the one the figures cover:
// the requested one snapped to whole k-blocks (see kanon.Blocks).
type Period struct {
	Requested DateRange `json:"requested"`
	// Reported is nil when no complete block lies in the requested range.
	Reported *DateRange `json:"reported"`
	Note     string     `json:"note"`
}

// DateRange is an inclusive range of UTC dates, YYYY-MM-DD.
type DateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// Step is how many reached a step of the check.
type Step struct {
	Step    int        `json:"step"`
	Reached kanon.Cell `json:"reached"`
	// DropOff is the share of those reaching the step who did not reach
	// the next one.
	DropOff *Share `json:"drop_off,omitempty"`
}

// Level is how often a level was recommended and how its fits spread.
type Level struct {
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Recommended kanon.Cell `json:"recommended"`
	Assessed    kanon.Cell `json:"assessed"`
	// Fits are the 10-point bands, 0–9 to 90–100.
	Fits []kanon.Cell `json:"fit_histogram"`
}

// Week is the funnel of the k-blocks that close in a week.
type Week struct {
	Week        string     `json:"week"` // Monday, YYYY-MM-DD
	Started     kanon.Cell `json:"started"`
	Completed   kanon.Cell `json:"completed"`
	ApplyClicks kanon.Cell `json:"apply_clicks"`
}

// Item is how applicants answered one item of the role.
type Item struct {
	ID       string     `json:"id"`
	Text     string     `json:"text"`
	Level    string     `json:"level"`
	Section  string     `json:"section"`
	Kind     string     `json:"kind"`
	MinYears float64    `json:"min_years,omitempty"`
	Answers  kanon.Cell `json:"answers"`
	Spread   []Spread   `json:"spread"`
	// Below and Meets split the answers at the expectation.
	Below kanon.Cell `json:"below_expectation"`
	Meets kanon.Cell `json:"meeting_expectation"`
	Mean  *Share     `json:"mean,omitempty"`
	Share *Share     `json:"share_meeting"`
}

// Spread is how many gave one answer (or range of answers) to an item.
type Spread struct {
	Value string     `json:"value"`
	N     kanon.Cell `json:"n"`
}

// Share is a derived figure (a rate or a mean): its value, or the label
// of why it is hidden.
type Share struct {
	V      float64
	Hidden string
}

// MarshalJSON writes the value to three decimals, or the hidden label.
func (s Share) MarshalJSON() ([]byte, error) {
	if s.Hidden != "" {
		return json.Marshal(s.Hidden)
	}
	return json.Marshal(math.Round(s.V*1000) / 1000)
}

// Percent writes a rate as a whole percentage, or its hidden label; "" for
// no share.
func (s *Share) Percent() string {
	if s == nil {
		return ""
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return strconv.FormatFloat(s.V*100, 'f', 0, 64) + "%"
}

// Decimal writes the value with prec decimals, or its hidden label; "—"
// for no share.
func (s *Share) Decimal(prec int) string {
	if s == nil {
		return "—"
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return strconv.FormatFloat(s.V, 'f', prec, 64)
}

// ratio publishes num/den when both counts are shown.
func ratio(k int, num, den kanon.Cell) *Share {
	if num.Visible() && den.Visible() && den.N > 0 {
		return &Share{V: float64(num.N) / float64(den.N)}
	}
	return &Share{Hidden: hiddenLabel(k, num, den)}
}

func hiddenLabel(k int, cells ...kanon.Cell) string {
	for _, c := range cells {
		if c.State == kanon.Few {
			return kanon.FewerThan(k)
		}
	}
	return kanon.HiddenLabel
}

// Build reads the counters for f over its dates snapped to whole k-blocks
// and suppresses them. It is the one place that snaps, for the page, the
// CSV files and the API alike.
func Build(ctx context.Context, st Store, k int, r *role.Role, f StatsFilter) (*Report, error) {
	k = kanon.Guard(k)
	rep := &Report{Role: r.Slug, Title: r.Title, K: k, Filter: f}
	blocks, err := kBlocks(ctx, st, k, f)
	if err != nil {
		return nil, err
	}
	period, blocks, ok := snapPeriod(k, f, blocks)
	rep.Period = period
	if !ok {
		rep.Refused = period.Note
		return rep, nil
	}
	f.From, f.To = period.Reported.From, period.Reported.To
	slices, err := st.RoleSlices(ctx, f)
	if err != nil {
		return nil, err
	}
	if msg := refusal(k, f, slices); msg != "" {
		rep.Refused = msg
		return rep, nil
	}
	stats, err := st.RoleStats(ctx, f)
	if err != nil {
		return nil, err
	}
	sub, started, apply := kanon.Count(k, stats.Completed), kanon.Count(k, stats.Started), kanon.Count(k, stats.Apply)
	rep.Submissions, rep.Started, rep.ApplyClicks = &sub, &started, &apply
	rep.Completion = ratio(k, sub, started)
	rep.ApplyRate = ratio(k, apply, sub)
	rep.Steps = stepFigures(k, stats.Steps)
	rep.Levels = levelFigures(k, r, stats)
	rep.Weeks = weekFigures(k, f, blocks, stats.Daily)
	rep.Items = itemFigures(k, r, stats)
	return rep, nil
}

func stepFigures(k int, reached map[int]int) []Step {
	var steps []int
	for n := range reached {
		steps = append(steps, n)
	}
	sort.Ints(steps)
	var out []Step
	for i, n := range steps {
		sf := Step{Step: n, Reached: kanon.Count(k, reached[n])}
		if i+1 < len(steps) {
			next := kanon.Count(k, reached[steps[i+1]])
			sf.DropOff = ratio(k, next, sf.Reached)
			if sf.DropOff.Hidden == "" {
				sf.DropOff.V = 1 - sf.DropOff.V
			}
		}
		out = append(out, sf)
	}
	return out
}

// refusal says why a filtered view may not be shown: it rests on fewer
// than k submissions, or a filter leaves out fewer than k (so the view and
// the unfiltered one would differ by a small group).
func refusal(k int, f StatsFilter, slices []Slice) string {
	match := func(sl Slice, skip string) bool {
		return (skip == "channel" || f.Channel == "" || sl.Channel == f.Channel) &&
			(skip == "mode" || f.Mode == "" || sl.Mode == f.Mode) &&
			(skip == "version" || f.VersionID == 0 || sl.VersionID == f.VersionID)
	}
	n := 0
	for _, sl := range slices {
		if match(sl, "") {
			n += sl.Completed
		}
	}
	var complements []int
	for _, dim := range []string{"channel", "mode", "version"} {
		if (dim == "channel" && f.Channel == "") || (dim == "mode" && f.Mode == "") || (dim == "version" && f.VersionID == 0) {
			continue
		}
		wider := 0
		for _, sl := range slices {
			if match(sl, dim) {
				wider += sl.Completed
			}
		}
		complements = append(complements, wider-n)
	}
	if kanon.ViewAllowed(k, n, complements...) {
		return ""
	}
	if n < k {
		return fmt.Sprintf("This selection holds %s completed checks, too few to show any figure without singling someone out. Widen the dates or remove a filter.", kanon.FewerThan(k))
	}
	return fmt.Sprintf("This filter leaves out %s completed checks, so comparing it with the unfiltered view would single someone out. Widen the dates or remove a filter.", kanon.FewerThan(k))
}
