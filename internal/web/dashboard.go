package web

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/kanon"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/views/dashboard"
)

// StatsStore reads the aggregate counters.
type StatsStore interface {
	RoleStats(ctx context.Context, f sqlite.StatsFilter) (*sqlite.RoleStats, error)
	RoleSlices(ctx context.Context, f sqlite.StatsFilter) ([]sqlite.Slice, error)
	RoleSummaries(ctx context.Context, from, to string) (map[string]sqlite.RoleSummary, error)
	RoleVersionList(ctx context.Context, slug string) ([]sqlite.VersionInfo, error)
	DailyCompleted(ctx context.Context, role string) ([]sqlite.DayCompleted, error)
}

// defaultDays is the dashboard's default period; maxDays bounds a range.
const (
	defaultDays = 90
	maxDays     = 3 * 366
)

// report is one role's figures over a filter, every one already passed
// through kanon. The page, the CSV files and the JSON API all render a
// report, so they cannot disagree about what is hidden.
type report struct {
	Role        string       `json:"role"`
	Title       string       `json:"title"`
	K           int          `json:"k"`
	Filter      reportFilter `json:"filter"`
	Period      reportPeriod `json:"period"`
	Refused     string       `json:"refused,omitempty"`
	Submissions *kanon.Cell  `json:"submissions,omitempty"`
	Started     *kanon.Cell  `json:"started,omitempty"`
	ApplyClicks *kanon.Cell  `json:"apply_clicks,omitempty"`
	Completion  *share       `json:"completion_rate,omitempty"`
	ApplyRate   *share       `json:"apply_rate,omitempty"`
	Steps       []stepFig    `json:"steps,omitempty"`
	Levels      []levelFig   `json:"levels,omitempty"`
	Weeks       []weekFig    `json:"weeks,omitempty"`
	Items       []itemFig    `json:"items,omitempty"`
}

type reportFilter struct {
	From    string `json:"from"`
	To      string `json:"to"`
	Channel string `json:"channel,omitempty"`
	Mode    string `json:"mode,omitempty"`
	Version int64  `json:"version,omitempty"`
}

// reportPeriod is the requested date range and the one the figures cover:
// the requested one snapped to whole k-blocks (see kanon.Blocks).
type reportPeriod struct {
	Requested dateRange `json:"requested"`
	// Reported is nil when no complete block lies in the requested range.
	Reported *dateRange `json:"reported"`
	Note     string     `json:"note"`
}

type dateRange struct {
	From string `json:"from"`
	To   string `json:"to"`
}

type stepFig struct {
	Step    int        `json:"step"`
	Reached kanon.Cell `json:"reached"`
	// DropOff is the share of those reaching the step who did not reach
	// the next one.
	DropOff *share `json:"drop_off,omitempty"`
}

type levelFig struct {
	Slug        string     `json:"slug"`
	Title       string     `json:"title"`
	Recommended kanon.Cell `json:"recommended"`
	Assessed    kanon.Cell `json:"assessed"`
	// Fits are the 10-point bands, 0–9 to 90–100.
	Fits []kanon.Cell `json:"fit_histogram"`
}

type weekFig struct {
	Week        string     `json:"week"` // Monday, YYYY-MM-DD
	Started     kanon.Cell `json:"started"`
	Completed   kanon.Cell `json:"completed"`
	ApplyClicks kanon.Cell `json:"apply_clicks"`
}

type itemFig struct {
	ID       string      `json:"id"`
	Text     string      `json:"text"`
	Level    string      `json:"level"`
	Section  string      `json:"section"`
	Kind     string      `json:"kind"`
	MinYears float64     `json:"min_years,omitempty"`
	Answers  kanon.Cell  `json:"answers"`
	Spread   []spreadFig `json:"spread"`
	// Below and Meets split the answers at the expectation.
	Below kanon.Cell `json:"below_expectation"`
	Meets kanon.Cell `json:"meeting_expectation"`
	Mean  *share     `json:"mean,omitempty"`
	Share *share     `json:"share_meeting"`
}

type spreadFig struct {
	Value string     `json:"value"`
	N     kanon.Cell `json:"n"`
}

// share is a derived figure (a rate or a mean): its value, or the label
// of why it is hidden.
type share struct {
	V      float64
	Hidden string
}

func (s share) MarshalJSON() ([]byte, error) {
	if s.Hidden != "" {
		return json.Marshal(s.Hidden)
	}
	return json.Marshal(math.Round(s.V*1000) / 1000)
}

// ratio publishes num/den when both counts are shown.
func ratio(k int, num, den kanon.Cell) *share {
	if num.Visible() && den.Visible() && den.N > 0 {
		return &share{V: float64(num.N) / float64(den.N)}
	}
	return &share{Hidden: hiddenLabel(k, num, den)}
}

func hiddenLabel(k int, cells ...kanon.Cell) string {
	for _, c := range cells {
		if c.State == kanon.Few {
			return kanon.FewerThan(k)
		}
	}
	return kanon.HiddenLabel
}

func (s *share) pct() string {
	if s == nil {
		return ""
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return strconv.FormatFloat(s.V*100, 'f', 0, 64) + "%"
}

func (s *share) num(prec int) string {
	if s == nil {
		return "—"
	}
	if s.Hidden != "" {
		return s.Hidden
	}
	return strconv.FormatFloat(s.V, 'f', prec, 64)
}

// dashFilter parses and checks the filter query parameters.
func (s *Server) dashFilter(c echo.Context, slug string) (sqlite.StatsFilter, []sqlite.VersionInfo, map[string]string, error) {
	errs := map[string]string{}
	today := s.Now().UTC().Truncate(24 * time.Hour)
	f := sqlite.StatsFilter{Role: slug, To: today.Format(time.DateOnly),
		From: today.AddDate(0, 0, -(defaultDays - 1)).Format(time.DateOnly)}
	parse := func(name string, dst *string) time.Time {
		v := strings.TrimSpace(c.QueryParam(name))
		if v == "" {
			t, _ := time.Parse(time.DateOnly, *dst)
			return t
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			errs[name] = "Enter a date as YYYY-MM-DD."
			return t
		}
		*dst = v
		return t
	}
	from, to := parse("from", &f.From), parse("to", &f.To)
	if len(errs) == 0 {
		switch {
		case from.After(to):
			errs["from"] = "The start must be on or before the end."
		case to.Sub(from) > maxDays*24*time.Hour:
			errs["from"] = "Choose a period of at most three years."
		}
	}
	switch f.Channel = c.QueryParam("channel"); f.Channel {
	case "", "site", "embed":
	default:
		errs["channel"] = "Choose a channel from the list."
	}
	switch f.Mode = c.QueryParam("mode"); f.Mode {
	case "", "quick", "full":
	default:
		errs["mode"] = "Choose a check from the list."
	}
	versions, err := s.Recruiters.RoleVersionList(c.Request().Context(), slug)
	if err != nil {
		return f, nil, nil, err
	}
	if v := c.QueryParam("version"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		found := false
		for _, vi := range versions {
			found = found || vi.ID == id
		}
		if err != nil || !found {
			errs["version"] = "Choose a version from the list."
		} else {
			f.VersionID = id
		}
	}
	return f, versions, errs, nil
}

// kBlocks returns the k-blocks a view of f is reported in. They depend
// on which dimensions f filters, never on the dates asked for.
//
// A view with no filter is cut on the role's completed checks per day. A
// filtered view could be combined with the unfiltered one and with other
// filters: (all, A) − (site, A) − (all, B) + (site, B) is the widget's
// checks over A∖B, and as the widget only runs the quick check, (site) +
// (quick) − (all) is the site's quick checks. So every filtered view of a
// role shares one set of blocks, cut only where the unfiltered blocks are
// cut, at the first such day on which every channel × check group since
// the previous cut holds none or at least k. Then each filtered period is
// also an unfiltered one, and any sum or difference of views over such
// periods counts whole groups of none or at least k. A version filter
// adds the version to the groups (its blocks are cut only where the
// channel × check ones are), so that an old version's last few
// stragglers hold up version-filtered views only. The price is that a
// group that stays between 1 and k-1 (two widget checks, then no more)
// holds filtered views back until it grows; the unfiltered view is never
// held back.
func (s *Server) kBlocks(ctx context.Context, k int, f sqlite.StatsFilter) ([]kanon.Block, error) {
	rows, err := s.Recruiters.DailyCompleted(ctx, f.Role)
	if err != nil {
		return nil, err
	}
	group := func(key func(sqlite.DayCompleted) string) []kanon.DayCells {
		var out []kanon.DayCells
		for _, r := range rows {
			if len(out) == 0 || out[len(out)-1].Day != r.Day {
				out = append(out, kanon.DayCells{Day: r.Day, Cells: map[string]int{}})
			}
			out[len(out)-1].Cells[key(r)] += r.Completed
		}
		return out
	}
	cutsOf := func(blocks []kanon.Block) func(string) bool {
		cuts := make(map[string]bool, len(blocks))
		for _, b := range blocks {
			cuts[b.To] = true
		}
		return func(day string) bool { return cuts[day] }
	}
	blocks := kanon.Blocks(k, group(func(sqlite.DayCompleted) string { return "" }), nil)
	if f.Channel == "" && f.Mode == "" && f.VersionID == 0 {
		return blocks, nil
	}
	blocks = kanon.Blocks(k, group(func(r sqlite.DayCompleted) string { return r.Channel + "|" + r.Mode }), cutsOf(blocks))
	if f.VersionID == 0 {
		return blocks, nil
	}
	return kanon.Blocks(k, group(func(r sqlite.DayCompleted) string {
		return r.Channel + "|" + r.Mode + "|" + strconv.FormatInt(r.VersionID, 10)
	}), cutsOf(blocks)), nil
}

// snapPeriod snaps the dates of f to whole k-blocks. ok is false when no
// complete block lies in them; the note says so, or which period the
// figures cover.
func snapPeriod(k int, f sqlite.StatsFilter, blocks []kanon.Block) (p reportPeriod, in []kanon.Block, ok bool) {
	p.Requested = dateRange{From: f.From, To: f.To}
	filtered := f.Channel != "" || f.Mode != "" || f.VersionID != 0
	got, ok := kanon.Snap(blocks, f.From, f.To)
	if !ok {
		p.Note = fmt.Sprintf("No group of at least %d completed checks is complete between %s yet, so no figure can be shown without singling someone out. Widen the dates.",
			k, spanWords(f.From, f.To, " and "))
		if filtered {
			p.Note = fmt.Sprintf("No group in which every channel and check holds at least %d completed checks or none is complete between %s yet, so no filtered figure can be shown without singling someone out. Widen the dates or remove the filters.",
				k, spanWords(f.From, f.To, " and "))
		}
		return p, nil, false
	}
	p.Reported = &dateRange{From: got.From, To: got.To}
	p.Note = fmt.Sprintf("Figures are reported for whole groups of at least %d applicants, so the period runs %s.", k, spanWords(got.From, got.To, " – "))
	if filtered {
		p.Note = fmt.Sprintf("Filtered figures are reported for whole groups in which every channel and check holds at least %d applicants or none, so the period runs %s.",
			k, spanWords(got.From, got.To, " – "))
	}
	for _, b := range blocks {
		if b.From >= got.From && b.To <= got.To {
			in = append(in, b)
		}
	}
	return p, in, true
}

// spanWords writes a date range as "3 Aug – 27 Sep 2026", with the year
// once when both dates share it.
func spanWords(from, to, sep string) string {
	a, errA := time.Parse(time.DateOnly, from)
	b, errB := time.Parse(time.DateOnly, to)
	if errA != nil || errB != nil {
		return from + sep + to
	}
	if a.Year() == b.Year() {
		return a.Format("2 Jan") + sep + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006") + sep + b.Format("2 Jan 2006")
}

// buildReport reads the counters for f over its dates snapped to whole
// k-blocks and suppresses them. It is the one place that snaps, for the
// page, the CSV files and the API alike.
func (s *Server) buildReport(ctx context.Context, e *catalog.Entry, f sqlite.StatsFilter) (*report, error) {
	k := kanon.Guard(s.Config.K)
	r := &report{Role: e.Role.Slug, Title: e.Role.Title, K: k,
		Filter: reportFilter{From: f.From, To: f.To, Channel: f.Channel, Mode: f.Mode, Version: f.VersionID}}
	blocks, err := s.kBlocks(ctx, k, f)
	if err != nil {
		return nil, err
	}
	period, blocks, ok := snapPeriod(k, f, blocks)
	r.Period = period
	if !ok {
		r.Refused = period.Note
		return r, nil
	}
	f.From, f.To = period.Reported.From, period.Reported.To
	slices, err := s.Recruiters.RoleSlices(ctx, f)
	if err != nil {
		return nil, err
	}
	if msg := refusal(k, f, slices); msg != "" {
		r.Refused = msg
		return r, nil
	}
	st, err := s.Recruiters.RoleStats(ctx, f)
	if err != nil {
		return nil, err
	}
	sub, started, apply := kanon.Count(k, st.Completed), kanon.Count(k, st.Started), kanon.Count(k, st.Apply)
	r.Submissions, r.Started, r.ApplyClicks = &sub, &started, &apply
	r.Completion = ratio(k, sub, started)
	r.ApplyRate = ratio(k, apply, sub)

	var steps []int
	for n := range st.Steps {
		steps = append(steps, n)
	}
	sort.Ints(steps)
	for i, n := range steps {
		sf := stepFig{Step: n, Reached: kanon.Count(k, st.Steps[n])}
		if i+1 < len(steps) {
			next := kanon.Count(k, st.Steps[steps[i+1]])
			if d := ratio(k, next, sf.Reached); d.Hidden == "" {
				d.V = 1 - d.V
				sf.DropOff = d
			} else {
				sf.DropOff = d
			}
		}
		r.Steps = append(r.Steps, sf)
	}
	r.Levels = levelFigures(k, e.Role, st)
	r.Weeks = weekFigures(k, f, blocks, st.Daily)
	r.Items = itemFigures(k, e.Role, st)
	return r, nil
}

// refusal says why a filtered view may not be shown: it rests on fewer
// than k submissions, or a filter leaves out fewer than k (so the view and
// the unfiltered one would differ by a small group).
func refusal(k int, f sqlite.StatsFilter, slices []sqlite.Slice) string {
	match := func(sl sqlite.Slice, skip string) bool {
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

func levelFigures(k int, r *role.Role, st *sqlite.RoleStats) []levelFig {
	type lv struct{ slug, title string }
	var levels []lv
	seen := map[string]bool{}
	for _, l := range score.Ladder(r) {
		levels = append(levels, lv{l.Slug, l.Title})
		seen[l.Slug] = true
	}
	// Levels of older versions that the counters still hold.
	var extra []string
	for slug := range st.Recommended {
		if !seen[slug] {
			extra = append(extra, slug)
			seen[slug] = true
		}
	}
	for slug := range st.Fits {
		if !seen[slug] {
			extra = append(extra, slug)
			seen[slug] = true
		}
	}
	sort.Strings(extra)
	for _, slug := range extra {
		title := slug
		if slug == "" {
			title = "No level assessed"
		}
		levels = append(levels, lv{slug, title})
	}
	counts := make([]int, len(levels))
	for i, l := range levels {
		counts[i] = st.Recommended[l.slug]
	}
	rec := kanon.Partition(k, counts)
	var out []levelFig
	for i, l := range levels {
		bands := st.Fits[l.slug]
		if bands == nil {
			bands = make([]int, sqlite.FitBands)
		}
		hist := kanon.Partition(k, bands)
		if l.slug == "" && counts[i] == 0 {
			continue
		}
		out = append(out, levelFig{Slug: l.slug, Title: l.title, Recommended: rec.Cells[i], Assessed: hist.Total, Fits: hist.Cells})
	}
	return out
}

// weekFigures counts each k-block in the week it ends, not each day in
// its own week: a week cut by the edge of one period and whole in another
// would otherwise tell the days between the edge and the week's end apart.
func weekFigures(k int, f sqlite.StatsFilter, blocks []kanon.Block, daily []sqlite.DayCounts) []weekFig {
	from, _ := time.Parse(time.DateOnly, f.From)
	to, _ := time.Parse(time.DateOnly, f.To)
	monday := func(t time.Time) time.Time { return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) }
	var weeks []string
	for w := monday(from); !w.After(to); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w.Format(time.DateOnly))
	}
	idx := map[string]int{}
	for i, w := range weeks {
		idx[w] = i
	}
	started, completed, apply := make([]int, len(weeks)), make([]int, len(weeks)), make([]int, len(weeks))
	b := 0
	for _, d := range daily {
		for b < len(blocks) && blocks[b].To < d.Day {
			b++
		}
		if b == len(blocks) || d.Day < blocks[b].From {
			continue
		}
		t, err := time.Parse(time.DateOnly, blocks[b].To)
		if err != nil {
			continue
		}
		i, ok := idx[monday(t).Format(time.DateOnly)]
		if !ok {
			continue
		}
		started[i] += d.Started
		completed[i] += d.Completed
		apply[i] += d.Apply
	}
	// Each column is a partition of its headline total, which is shown.
	ps, pc, pa := kanon.Partition(k, started), kanon.Partition(k, completed), kanon.Partition(k, apply)
	out := make([]weekFig, len(weeks))
	for i, w := range weeks {
		out[i] = weekFig{Week: w, Started: ps.Cells[i], Completed: pc.Cells[i], ApplyClicks: pa.Cells[i]}
	}
	return out
}

var ratingNames = []string{"0 Not yet", "1 Aware", "2 Practised", "3 Proficient", "4 Expert"}

// roleItems lists every item of a role once, with where it is owned.
func roleItems(r *role.Role) []itemFig {
	var out []itemFig
	seen := map[string]bool{}
	add := func(items []role.Item, level string, sec role.Section) {
		for _, it := range items {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			out = append(out, itemFig{ID: it.ID, Text: it.Text, Level: level, Section: string(sec), Kind: string(it.Kind), MinYears: it.MinYears})
		}
	}
	for _, sec := range role.Sections {
		add(r.Family.Items(sec), "Every level", sec)
		for _, l := range score.Ladder(r) {
			add(l.Items(sec), l.Title, sec)
		}
		for i := range r.Specialties {
			add(r.Specialties[i].Items(sec), "Specialty: "+r.Specialties[i].Name, sec)
		}
	}
	return out
}

func itemFigures(k int, r *role.Role, st *sqlite.RoleStats) []itemFig {
	items := roleItems(r)
	for i := range items {
		it := &items[i]
		b := st.Answers[it.ID]
		if b == nil {
			b = make([]int, sqlite.MaxAnswerBucket+1)
		}
		var names []string
		var cells []int
		var groups [][]int
		sum, weighted := 0, 0
		for v, n := range b {
			sum += n
			weighted += v * n
		}
		switch role.Kind(it.Kind) {
		case role.KindExperience:
			bar := int(math.Ceil(it.MinYears))
			below := 0
			for v := 0; v < bar && v < len(b); v++ {
				below += b[v]
			}
			names = []string{fmt.Sprintf("under %d years", bar), fmt.Sprintf("%d years or more", bar)}
			cells, groups = []int{below, sum - below}, [][]int{{0}, {1}}
		case role.KindFact:
			names = []string{"no", "yes"}
			cells, groups = []int{b[0], sum - b[0]}, [][]int{{0}, {1}}
		default:
			names = ratingNames
			cells = []int{b[0], b[1], b[2], b[3], sum - b[0] - b[1] - b[2] - b[3]}
			groups = [][]int{{0, 1, 2}, {3, 4}}
		}
		row, sums := kanon.Nested(k, cells, groups)
		it.Answers = row.Total
		it.Below, it.Meets = sums.Cells[0], sums.Cells[1]
		for j, name := range names {
			it.Spread = append(it.Spread, spreadFig{Value: name, N: row.Cells[j]})
		}
		it.Share = ratio(k, it.Meets, it.Answers)
		// The mean adds an equation over the cells: publish it only when
		// every cell is shown, so it cannot pin a hidden one down. It is
		// labelled by its own base, the item's answers: "fewer than k" for
		// a mean of 4 on a 0–4 scale would read like a value.
		switch {
		case role.Kind(it.Kind) == role.KindFact:
		case row.AnyHidden():
			it.Mean = &share{Hidden: hiddenLabel(k, row.Total)}
		default:
			it.Mean = &share{V: float64(weighted) / float64(sum)}
		}
	}
	return items
}

// sortItems orders the requirements table. Hidden values sort last.
func sortItems(items []itemFig, by, dir string) {
	key := func(it itemFig) (float64, bool) {
		switch by {
		case "mean":
			if it.Mean != nil && it.Mean.Hidden == "" {
				return it.Mean.V, true
			}
		case "answers":
			if v, ok := it.Answers.Value(); ok {
				return float64(v), true
			}
		default:
			if it.Share != nil && it.Share.Hidden == "" {
				return it.Share.V, true
			}
		}
		return 0, false
	}
	sort.SliceStable(items, func(i, j int) bool {
		if by == "item" {
			if dir == "desc" {
				return items[i].Text > items[j].Text
			}
			return items[i].Text < items[j].Text
		}
		a, aok := key(items[i])
		b, bok := key(items[j])
		if aok != bok {
			return aok
		}
		if a != b {
			if dir == "desc" {
				return a > b
			}
			return a < b
		}
		return items[i].Text < items[j].Text
	})
}

func (s *Server) handleDashboard(c echo.Context) error {
	ctx := c.Request().Context()
	k := kanon.Guard(s.Config.K)
	today := s.Now().UTC()
	from, to := today.AddDate(0, 0, -(defaultDays-1)).Format(time.DateOnly), today.Format(time.DateOnly)
	vm := dashboard.Index{From: from, To: to, K: k}
	// Each role's line covers its own period snapped to whole k-blocks, as
	// its page does; roles whose periods agree share one read.
	sums := map[dateRange]map[string]sqlite.RoleSummary{}
	for _, e := range s.Catalog.List() {
		line := dashboard.RoleLine{Slug: e.Role.Slug, Title: e.Role.Title, Archived: e.Archived}
		f := sqlite.StatsFilter{Role: e.Role.Slug, From: from, To: to}
		blocks, err := s.kBlocks(ctx, k, f)
		if err != nil {
			return err
		}
		p, _, ok := snapPeriod(k, f, blocks)
		if !ok {
			few := kanon.FewerThan(k)
			line.Submissions, line.Started, line.Completion, line.Apply = few, few, few, few
			line.Period = "no complete group yet"
			vm.Roles = append(vm.Roles, line)
			continue
		}
		rng := *p.Reported
		if sums[rng] == nil {
			if sums[rng], err = s.Recruiters.RoleSummaries(ctx, rng.From, rng.To); err != nil {
				return err
			}
		}
		sm := sums[rng][e.Role.Slug]
		sub, started := kanon.Count(k, sm.Completed), kanon.Count(k, sm.Started)
		line.Submissions, line.Started, line.Completion = sub.Label(), started.Label(), ratio(k, sub, started).pct()
		line.Apply = kanon.Count(k, sm.Apply).Label()
		line.Period = spanWords(rng.From, rng.To, " – ")
		vm.Roles = append(vm.Roles, line)
	}
	return s.render(c, http.StatusOK, dashboard.IndexPage(s.meta(c, "Dashboard"), vm))
}

// handleDashboardRole serves a role's dashboard, or with a .csv suffix one
// of its tables as CSV (?table=requirements|levels|funnel|trend).
func (s *Server) handleDashboardRole(c echo.Context) error {
	slug, asCSV := strings.CutSuffix(c.Param("slug"), ".csv")
	e, ok := s.Catalog.Get(slug)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "There is no role at this address.")
	}
	f, versions, errs, err := s.dashFilter(c, slug)
	if err != nil {
		return err
	}
	if asCSV {
		if len(errs) > 0 {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, firstError(errs))
		}
		r, err := s.buildReport(c.Request().Context(), e, f)
		if err != nil {
			return err
		}
		return s.writeCSV(c, r, c.QueryParam("table"))
	}
	vm := dashboard.Role{Slug: slug, Title: e.Role.Title, K: kanon.Guard(s.Config.K),
		Filter: dashboard.Filter{From: f.From, To: f.To, Channel: f.Channel, Mode: f.Mode, Errors: errs}}
	if f.VersionID != 0 {
		vm.Filter.Version = strconv.FormatInt(f.VersionID, 10)
	}
	for i, v := range versions {
		label := fmt.Sprintf("Version %d, imported %s", v.ID, v.ImportedAt.UTC().Format(time.DateOnly))
		if i == 0 {
			label += " (current)"
		}
		vm.Filter.Versions = append(vm.Filter.Versions, dashboard.Option{Value: strconv.FormatInt(v.ID, 10), Label: label})
	}
	m := s.meta(c, "Dashboard: "+e.Role.Title)
	if len(errs) > 0 {
		vm.Filter.From, vm.Filter.To = c.QueryParam("from"), c.QueryParam("to")
		vm.Refused = "Correct the filter to see the figures."
		return s.render(c, http.StatusUnprocessableEntity, dashboard.RolePage(m, vm))
	}
	r, err := s.buildReport(c.Request().Context(), e, f)
	if err != nil {
		return err
	}
	by, dir := c.QueryParam("sort"), c.QueryParam("dir")
	switch by {
	case "share", "mean", "answers", "item":
	default:
		by = "share"
	}
	if dir != "desc" {
		dir = "asc"
	}
	sortItems(r.Items, by, dir)
	fillRolePage(&vm, r, c.Request().URL.Query(), by, dir)
	return s.render(c, http.StatusOK, dashboard.RolePage(m, vm))
}

func firstError(errs map[string]string) string {
	for _, k := range []string{"from", "to", "channel", "mode", "version"} {
		if errs[k] != "" {
			return errs[k]
		}
	}
	return "Check the filter."
}

func fillRolePage(vm *dashboard.Role, r *report, q url.Values, by, dir string) {
	base := "/dashboard/roles/" + r.Role
	link := func(path string, set map[string]string) string {
		v := url.Values{}
		for key, vals := range q {
			v[key] = vals
		}
		for key, val := range set {
			if val == "" {
				v.Del(key)
			} else {
				v.Set(key, val)
			}
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	vm.CSV = map[string]string{}
	for _, t := range csvTables {
		vm.CSV[t] = link(base+".csv", map[string]string{"table": t, "sort": "", "dir": ""})
	}
	vm.Sort = dashboard.Sort{By: by, Dir: dir, Links: map[string]string{}}
	for _, col := range []string{"item", "answers", "mean", "share"} {
		d := "asc"
		if col == by && dir == "asc" {
			d = "desc"
		}
		vm.Sort.Links[col] = link(base, map[string]string{"sort": col, "dir": d})
	}
	vm.Period = r.Period.Note
	if r.Refused != "" {
		vm.Refused = r.Refused
		if r.Period.Reported == nil {
			// The refusal is the period note itself.
			vm.Period = ""
		}
		return
	}
	vm.Submissions, vm.Started, vm.Apply = r.Submissions.Label(), r.Started.Label(), r.ApplyClicks.Label()
	vm.Completion = r.Completion.pct()
	vm.ApplyRate = "(" + r.ApplyRate.pct() + " of completed checks)"

	funnel := funnelRows(r)
	vm.Funnel = dashboard.Table{Caption: "Applicants per stage", Head: []string{"Stage", "Applicants", "Drop-off before the next step"}}
	var bars []hbar
	for _, fr := range funnel {
		vm.Funnel.Rows = append(vm.Funnel.Rows, []string{fr.name, fr.n.Label(), fr.drop})
		bars = append(bars, hbar{fr.name, fr.n})
	}
	vm.FunnelChart = hbarChart("Applicants per stage of the check", bars)

	vm.Levels = dashboard.Table{Caption: "Recommended level", Head: []string{"Level", "Recommended", "Assessed"}}
	bars = nil
	for _, l := range r.Levels {
		vm.Levels.Rows = append(vm.Levels.Rows, []string{l.Title, l.Recommended.Label(), l.Assessed.Label()})
		bars = append(bars, hbar{l.Title, l.Recommended})
		fl := dashboard.FitLevel{Slug: l.Slug, Title: l.Title,
			Table: dashboard.Table{Caption: "Applicants per fit band, " + l.Title, Head: []string{"Fit", "Applicants"}}}
		var cols []hbar
		for i, cell := range l.Fits {
			name := bandName(i)
			fl.Table.Rows = append(fl.Table.Rows, []string{name, cell.Label()})
			cols = append(cols, hbar{name, cell})
		}
		fl.Chart = vbarChart("Fit distribution for "+l.Title, cols)
		vm.Fits = append(vm.Fits, fl)
	}
	vm.LevelChart = hbarChart("Recommended level", bars)

	vm.Trend = dashboard.Table{Caption: "Per week, each group of applicants in the week it closes (weeks start on Monday)", Head: []string{"Week of", "Started", "Completed", "Apply clicks"}}
	var cols []hbar
	for _, w := range r.Weeks {
		vm.Trend.Rows = append(vm.Trend.Rows, []string{w.Week, w.Started.Label(), w.Completed.Label(), w.ApplyClicks.Label()})
		cols = append(cols, hbar{w.Week[5:], w.Completed})
	}
	vm.TrendChart = vbarChart("Completed checks per week", cols)

	for _, it := range r.Items {
		row := dashboard.Item{ID: it.ID, Text: it.Text, Section: it.Section, Level: it.Level, Kind: it.Kind,
			Answers: it.Answers.Label(), Mean: it.Mean.num(1), Share: it.Share.pct()}
		var segs []kanon.Cell
		for _, sp := range it.Spread {
			row.Spread = append(row.Spread, dashboard.SpreadCell{Name: sp.Value, Value: sp.N.Label()})
			segs = append(segs, sp.N)
		}
		row.Bar = stackedBar("Spread of answers: "+it.Text, segs, it.Answers)
		vm.Items = append(vm.Items, row)
	}
}

type funnelRow struct {
	name string
	n    kanon.Cell
	drop string
}

func funnelRows(r *report) []funnelRow {
	rows := []funnelRow{{name: "Started", n: *r.Started}}
	for _, st := range r.Steps {
		drop := ""
		if st.DropOff != nil {
			drop = st.DropOff.pct()
		}
		rows = append(rows, funnelRow{name: "Reached step " + strconv.Itoa(st.Step), n: st.Reached, drop: drop})
	}
	rows = append(rows, funnelRow{name: "Completed", n: *r.Submissions}, funnelRow{name: "Clicked apply", n: *r.ApplyClicks})
	return rows
}

func bandName(i int) string {
	if i == sqlite.FitBands-1 {
		return "90–100%"
	}
	return fmt.Sprintf("%d–%d%%", i*10, i*10+9)
}

type hbar struct {
	label string
	n     kanon.Cell
}

func maxShown(bars []hbar) int {
	m := 0
	for _, b := range bars {
		if v, ok := b.n.Value(); ok && v > m {
			m = v
		}
	}
	return m
}

// hbarChart draws labelled horizontal bars; a hidden figure is drawn as
// its label with no bar, so the chart says no more than the table.
func hbarChart(title string, bars []hbar) dashboard.Chart {
	const barW, rowH = 240, 40
	// Each label sits above its bar, so the chart stays narrow enough to
	// be read on a phone without shrinking its text; it is as wide as the
	// longest label needs (about 7 px a character at 12 px).
	width := barW + 110
	for _, b := range bars {
		width = max(width, 7*utf8.RuneCountInString(b.label)+8)
	}
	ch := dashboard.Chart{Title: title, Width: width, Height: rowH*len(bars) + 4}
	m := maxShown(bars)
	for i, b := range bars {
		y := 4 + i*rowH
		ch.Labels = append(ch.Labels, dashboard.Label{X: 0, Y: y + 12, Text: b.label})
		w := 0
		if v, ok := b.n.Value(); ok && m > 0 {
			w = max(1, v*barW/m)
			ch.Bars = append(ch.Bars, dashboard.Bar{X: 0, Y: y + 18, W: w, H: 14, Class: "chart-bar", Title: b.label + ": " + b.n.Label()})
		}
		ch.Labels = append(ch.Labels, dashboard.Label{X: w + 6, Y: y + 30, Text: b.n.Label()})
	}
	return ch
}

// vbarChart draws columns (a histogram or a weekly trend).
func vbarChart(title string, cols []hbar) dashboard.Chart {
	const h, top, bottom = 120, 8, 34
	// A column is wide enough for a label such as "10–19" under it; with
	// more columns only every other (or fourth) one is labelled, so the
	// chart stays narrow and its text legible when a phone shrinks it.
	colW, every := 40, 1
	switch {
	case len(cols) > 16:
		colW, every = max(8, 520/len(cols)), 4
	case len(cols) > 10:
		colW, every = 32, 2
	}
	ch := dashboard.Chart{Title: title, Width: colW*len(cols) + 8, Height: top + h + bottom}
	m := maxShown(cols)
	for i, c := range cols {
		x := 4 + i*colW
		if v, ok := c.n.Value(); ok && m > 0 {
			bh := max(1, v*h/m)
			ch.Bars = append(ch.Bars, dashboard.Bar{X: x + 2, Y: top + h - bh, W: colW - 4, H: bh, Class: "chart-bar", Title: c.label + ": " + c.n.Label()})
		} else {
			ch.Bars = append(ch.Bars, dashboard.Bar{X: x + 2, Y: top + h - 2, W: colW - 4, H: 2, Class: "bar-hidden", Title: c.label + ": " + c.n.Label()})
		}
		if i%every == 0 {
			ch.Labels = append(ch.Labels, dashboard.Label{X: x + colW/2, Y: top + h + 16, Text: strings.TrimSuffix(c.label, "%"), Anchor: "middle"})
		}
	}
	return ch
}

// stackedBar draws an item's spread; hidden cells share one grey segment,
// whose size (the total less the shown cells) a reader can work out anyway.
func stackedBar(title string, cells []kanon.Cell, total kanon.Cell) dashboard.Chart {
	const w, h = 200, 16
	ch := dashboard.Chart{Title: title, Width: w, Height: h}
	n, ok := total.Value()
	if !ok || n == 0 {
		ch.Bars = append(ch.Bars, dashboard.Bar{X: 0, Y: 0, W: w, H: h, Class: "bar-hidden", Title: "Too few answers to show"})
		return ch
	}
	x, shown := 0, 0
	for i, c := range cells {
		v, ok := c.Value()
		if !ok || v == 0 {
			continue
		}
		shown += v
		sw := v * w / n
		class := "seg seg" + strconv.Itoa(i)
		if len(cells) == 2 {
			class = "seg seg" + strconv.Itoa(i*4)
		}
		ch.Bars = append(ch.Bars, dashboard.Bar{X: x, Y: 0, W: sw, H: h, Class: class})
		x += sw
	}
	if n > shown {
		ch.Bars = append(ch.Bars, dashboard.Bar{X: x, Y: 0, W: w - x, H: h, Class: "bar-hidden", Title: "Hidden answers"})
	}
	return ch
}

// csvTables are the tables offered as CSV, one per table on the page.
var csvTables = []string{"requirements", "levels", "funnel", "trend"}

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

func (s *Server) writeCSV(c echo.Context, r *report, table string) error {
	known := false
	for _, t := range csvTables {
		known = known || t == table
	}
	if !known {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose a table: requirements, levels, funnel or trend.")
	}
	var rows [][]string
	if r.Refused != "" {
		rows = [][]string{{"refused"}, {r.Refused}}
	} else {
		switch table {
		case "requirements":
			rows = append(rows, []string{"item_id", "item", "level", "section", "kind", "answers", "mean", "share_meeting",
				"below_expectation", "meeting_expectation", "rating_0", "rating_1", "rating_2", "rating_3", "rating_4"})
			for _, it := range r.Items {
				row := []string{it.ID, it.Text, it.Level, it.Section, it.Kind, it.Answers.Label(), it.Mean.num(2), it.Share.num(3),
					it.Below.Label(), it.Meets.Label()}
				if len(it.Spread) == 5 {
					for _, sp := range it.Spread {
						row = append(row, sp.N.Label())
					}
				} else {
					row = append(row, "", "", "", "", "")
				}
				rows = append(rows, row)
			}
		case "levels":
			head := []string{"level", "title", "recommended", "assessed"}
			for i := range sqlite.FitBands {
				head = append(head, "fit_"+strings.TrimSuffix(strings.ReplaceAll(bandName(i), "–", "_"), "%"))
			}
			rows = append(rows, head)
			for _, l := range r.Levels {
				row := []string{l.Slug, l.Title, l.Recommended.Label(), l.Assessed.Label()}
				for _, f := range l.Fits {
					row = append(row, f.Label())
				}
				rows = append(rows, row)
			}
		case "funnel":
			rows = append(rows, []string{"stage", "applicants", "drop_off"})
			for _, fr := range funnelRows(r) {
				rows = append(rows, []string{fr.name, fr.n.Label(), fr.drop})
			}
		case "trend":
			rows = append(rows, []string{"week_starting", "started", "completed", "apply_clicks"})
			for _, w := range r.Weeks {
				rows = append(rows, []string{w.Week, w.Started.Label(), w.Completed.Label(), w.ApplyClicks.Label()})
			}
		}
	}
	var b strings.Builder
	cw := csv.NewWriter(&b)
	for _, row := range rows {
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	h := c.Response().Header()
	// The file is named after the period its figures cover (the requested
	// one snapped to whole k-blocks), or the requested one when none does.
	from, to := r.Period.Requested.From, r.Period.Requested.To
	if r.Period.Reported != nil {
		from, to = r.Period.Reported.From, r.Period.Reported.To
	}
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s-%s-to-%s.csv"`, r.Role, table, from, to))
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", []byte(b.String()))
}
