package web

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
	"github.com/rolefit/rolefit/views/dashboard"
)

// StatsStore reads and writes the released aggregates, their counters and
// a role's versions.
type StatsStore interface {
	report.Store
	release.Store
	RoleVersionList(ctx context.Context, slug string) ([]role.VersionInfo, error)
}

// RunReleases releases every role's due aggregates now and then once a
// day after midnight UTC, until ctx ends.
func (s *Server) RunReleases(ctx context.Context) {
	if s.releases == nil {
		return
	}
	s.releases.Run(ctx, func() []string {
		var slugs []string
		for _, e := range s.Catalog.List() {
			slugs = append(slugs, e.Role.Slug)
		}
		return slugs
	}, func(err error) { s.Logger.Error("release", "err", err) })
}

// defaultDays is the dashboard's default period; maxDays bounds a range.
const (
	defaultDays = 90
	maxDays     = 3 * 366
)

// dashFilter parses and checks the filter query parameters.
func (s *Server) dashFilter(c echo.Context, slug string) (report.StatsFilter, []role.VersionInfo, map[string]string, error) {
	errs := map[string]string{}
	last := s.lastDay()
	f := report.StatsFilter{Role: slug, To: last.Format(time.DateOnly),
		From: last.AddDate(0, 0, -(defaultDays - 1)).Format(time.DateOnly)}
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
	f.VersionID = versionParam(c, "version", versions, errs)
	return f, versions, errs, nil
}

// versionParam reads a version id that must be one of the role's; 0 for
// none.
func versionParam(c echo.Context, name string, versions []role.VersionInfo, errs map[string]string) int64 {
	v := c.QueryParam(name)
	if v == "" {
		return 0
	}
	id, err := strconv.ParseInt(v, 10, 64)
	for _, vi := range versions {
		if err == nil && vi.ID == id {
			return id
		}
	}
	errs[name] = "Choose a version from the list."
	return 0
}

// versionNumber is the per-role number of the version with id.
func versionNumber(versions []role.VersionInfo, id int64) int {
	for _, v := range versions {
		if v.ID == id {
			return v.Number
		}
	}
	return 0
}

// versionOptions labels a role's versions for a select, newest first.
func versionOptions(versions []role.VersionInfo) []dashboard.Option {
	var out []dashboard.Option
	for i, v := range versions {
		label := fmt.Sprintf("Version %d, imported %s", v.Number, v.ImportedAt.UTC().Format(time.DateOnly))
		if i == 0 {
			label += " (current)"
		}
		out = append(out, dashboard.Option{Value: strconv.FormatInt(v.ID, 10), Label: label})
	}
	return out
}

// presetDays are the date presets, each ending on the default period's
// last day; the quarter is the default period.
var presetDays = []struct {
	label string
	days  int
}{{"Last 4 weeks", 28}, {"Last quarter", defaultDays}, {"Last year", 365}}

// lastDay is the last day the dashboard reports by default: yesterday,
// the last day that is over, since today is never reported.
func (s *Server) lastDay() time.Time {
	return s.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
}

// presetLinks are the preset periods as links that keep the other filters.
func (s *Server) presetLinks(q url.Values, base string, f report.StatsFilter) []dashboard.Link {
	to := s.lastDay()
	var out []dashboard.Link
	for _, p := range presetDays {
		from := to.AddDate(0, 0, -(p.days - 1)).Format(time.DateOnly)
		l := dashboard.Link{Label: p.label, Href: withQuery(base, q, map[string]string{"from": from, "to": to.Format(time.DateOnly)})}
		l.Current = f.From == from && f.To == to.Format(time.DateOnly)
		out = append(out, l)
	}
	return out
}

// withQuery is path with the query q, changed by set (an empty value
// removes its key).
func withQuery(path string, q url.Values, set map[string]string) string {
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

func (s *Server) handleDashboard(c echo.Context) error {
	last := s.lastDay()
	from, to := last.AddDate(0, 0, -(defaultDays-1)).Format(time.DateOnly), last.Format(time.DateOnly)
	vm := dashboard.Index{From: from, To: to}
	entries := s.Catalog.List()
	slugs := make([]string, len(entries))
	for i, e := range entries {
		slugs[i] = e.Role.Slug
	}
	heads, err := s.reports.Headlines(c.Request().Context(), slugs, from, to)
	if err != nil {
		return err
	}
	for i, e := range entries {
		h := heads[i]
		line := dashboard.RoleLine{Slug: e.Role.Slug, Title: e.Role.Title, Archived: e.Archived}
		if h.Reported == nil {
			line.Period = "no day is over yet"
			line.Submissions, line.Started, line.Completion, line.Apply = "—", "—", "—", "—"
		} else {
			line.Submissions, line.Started, line.Completion = h.Submissions.Label(), h.Started.Label(), h.Completion.Percent()
			line.Apply = h.ApplyClicks.Label()
			line.Period = report.SpanWords(h.Reported.From, h.Reported.To, " – ")
		}
		vm.Roles = append(vm.Roles, line)
	}
	return s.render(c, http.StatusOK, dashboard.IndexPage(s.meta(c, "Dashboard"), vm))
}

// handleDashboardRole serves a role's dashboard, with a .csv suffix one
// of its tables as CSV (?table=requirements|levels|funnel|trend), or with
// an .xlsx suffix all of them as one workbook.
func (s *Server) handleDashboardRole(c echo.Context) error {
	slug, asCSV := strings.CutSuffix(c.Param("slug"), ".csv")
	slug, asXLSX := strings.CutSuffix(slug, ".xlsx")
	e, ok := s.Catalog.Get(slug)
	if !ok {
		return echo.NewHTTPError(http.StatusNotFound, "There is no role at this address.")
	}
	f, versions, errs, err := s.dashFilter(c, slug)
	if err != nil {
		return err
	}
	if asCSV || asXLSX {
		if len(errs) > 0 {
			return echo.NewHTTPError(http.StatusUnprocessableEntity, firstError(errs))
		}
		if asCSV && !slices.Contains(report.CSVTables, c.QueryParam("table")) {
			return echo.NewHTTPError(http.StatusBadRequest, "Choose a table: requirements, levels, funnel or trend.")
		}
		r, err := s.reports.Build(c.Request().Context(), e.Role, f)
		if err != nil {
			return err
		}
		if asXLSX {
			return writeXLSX(c, r)
		}
		return writeCSV(c, r, c.QueryParam("table"))
	}
	vm := dashboard.Role{Slug: slug, Title: e.Role.Title,
		Filter: dashboard.Filter{From: f.From, To: f.To, Channel: f.Channel, Mode: f.Mode, Errors: errs}}
	if f.VersionID != 0 {
		vm.Filter.Version = strconv.FormatInt(f.VersionID, 10)
	}
	vm.Filter.Versions = versionOptions(versions)
	q := c.Request().URL.Query()
	vm.Presets = s.presetLinks(q, "/dashboard/roles/"+slug, f)
	m := s.meta(c, "Dashboard: "+e.Role.Title)
	if len(errs) > 0 {
		vm.Filter.From, vm.Filter.To = c.QueryParam("from"), c.QueryParam("to")
		vm.Refused = "Correct the filter to see the figures."
		return s.render(c, http.StatusUnprocessableEntity, dashboard.RolePage(m, vm))
	}
	r, err := s.reports.Build(c.Request().Context(), e.Role, f)
	if err != nil {
		return err
	}
	gaps := topGaps(r.Items, 5)
	by, dir := itemOrder(c)
	report.SortItems(r.Items, by, dir)
	fillRolePage(&vm, r, q, by, dir)
	if len(s.Config.EmbedOrigins) == 0 {
		vm.HostsEmpty = "No embedding sites are on the allow-list (-embed-origins)."
	}
	if r.Refused == "" && r.Empty == "" {
		vm.Gaps = gaps
		if vm.Change, err = s.change(c.Request().Context(), e.Role, f, r); err != nil {
			return err
		}
		vm.CheckTypes = checkTypes(r)
		vm.Compare = withQuery("/dashboard/compare", nil, map[string]string{"a": slug, "from": f.From, "to": f.To})
	}
	return s.render(c, http.StatusOK, dashboard.RolePage(m, vm))
}

// topGaps are the n requirements most often below expectation. They are
// ranked by the low end of the share's margin, so that an item a handful
// answered, whose share is mostly noise, does not crowd out a sure gap.
func topGaps(items []report.Item, n int) []dashboard.Gap {
	var shown []report.Item
	for _, it := range items {
		if it.Share != nil && it.Share.Hidden == "" && it.Share.V < 1 {
			shown = append(shown, it)
		}
	}
	low := func(it report.Item) float64 { return 1 - it.Share.V - it.Share.Margin }
	slices.SortStableFunc(shown, func(a, b report.Item) int {
		if la, lb := low(a), low(b); la != lb {
			return cmp.Compare(lb, la)
		}
		return cmp.Compare(b.Answers.Value, a.Answers.Value)
	})
	var out []dashboard.Gap
	for _, it := range shown[:min(n, len(shown))] {
		below := &report.Share{V: 1 - it.Share.V, Margin: it.Share.Margin}
		out = append(out, dashboard.Gap{ID: it.ID, Text: it.Text, Below: below.Percent(), Width: int(math.Round(below.V * 100))})
	}
	return out
}

// levelSplit is how often each level was recommended, for the first
// screen.
func levelSplit(r *report.Report) []dashboard.Split {
	most := 0
	for _, l := range r.Levels {
		most = max(most, l.Recommended.Value)
	}
	var out []dashboard.Split
	for _, l := range r.Levels {
		sp := dashboard.Split{Slug: l.Slug, Title: l.Title, Count: l.Recommended.Label()}
		if most > 0 {
			sp.Width = l.Recommended.Value * 100 / most
		}
		out = append(out, sp)
	}
	return out
}

// change compares the completed checks of cur with those of the period
// of the same length just before it, built through the same report.
func (s *Server) change(ctx context.Context, r *role.Role, f report.StatsFilter, cur *report.Report) (string, error) {
	from, err1 := time.Parse(time.DateOnly, cur.Period.Reported.From)
	to, err2 := time.Parse(time.DateOnly, cur.Period.Reported.To)
	if err1 != nil || err2 != nil {
		return "", nil
	}
	days := int(to.Sub(from).Hours()/24) + 1
	prev := f
	prev.To = from.AddDate(0, 0, -1).Format(time.DateOnly)
	prev.From = from.AddDate(0, 0, -days).Format(time.DateOnly)
	var before report.Count
	var span *report.DateRange
	if prev.Channel == "" && prev.Mode == "" && prev.VersionID == 0 {
		// The headline alone reads a few cells instead of every item's.
		h, err := s.reports.Headlines(ctx, []string{r.Slug}, prev.From, prev.To)
		if err != nil {
			return "", err
		}
		before, span = h[0].Submissions, h[0].Reported
	} else {
		p, err := s.reports.Build(ctx, r, prev)
		if err != nil {
			return "", err
		}
		if p.Refused == "" && p.Submissions != nil {
			before, span = *p.Submissions, p.Period.Reported
		}
	}
	if span == nil {
		return "", nil
	}
	d := report.Change(before, *cur.Submissions)
	return fmt.Sprintf("%s on the %d days before (%s in %s)", signed(d), days, before.Label(), report.SpanWords(span.From, span.To, " – ")), nil
}

// signed writes a change with its sign and margin: "about +12 ± 7".
func signed(c report.Count) string {
	if c.Margin == 0 {
		return fmt.Sprintf("%+d", c.Value)
	}
	return fmt.Sprintf("about %+d ± %d", c.Value, c.Margin)
}

// checkTypes is completion per kind of check, from the report's funnels.
func checkTypes(r *report.Report) []dashboard.CheckType {
	var out []dashboard.CheckType
	for _, fn := range r.Funnels {
		out = append(out, dashboard.CheckType{Name: report.FunnelName(fn.Mode, fn.Channel),
			Started: fn.Started.Label(), Completed: fn.Completed.Label(), Rate: fn.Completion.Percent()})
	}
	return out
}

// itemOrder reads the requirements table's order (sort, dir), by share
// ascending unless asked otherwise.
func itemOrder(c echo.Context) (by, dir string) {
	by, dir = c.QueryParam("sort"), c.QueryParam("dir")
	switch by {
	case "share", "mean", "answers", "item", "level":
	default:
		by = "share"
	}
	if dir != "desc" {
		dir = "asc"
	}
	return by, dir
}

func firstError(errs map[string]string) string {
	for _, k := range []string{"from", "to", "channel", "mode", "version"} {
		if errs[k] != "" {
			return errs[k]
		}
	}
	return "Check the filter."
}

func fillRolePage(vm *dashboard.Role, r *report.Report, q url.Values, by, dir string) {
	base := "/dashboard/roles/" + r.Role
	link := func(path string, set map[string]string) string { return withQuery(path, q, set) }
	vm.CSV = map[string]string{}
	for _, t := range report.CSVTables {
		vm.CSV[t] = link(base+".csv", map[string]string{"table": t, "sort": "", "dir": ""})
	}
	vm.XLSX = link(base+".xlsx", map[string]string{"sort": "", "dir": ""})
	vm.Sort = dashboard.Sort{By: by, Dir: dir, Links: map[string]string{}}
	for _, col := range []string{"item", "level", "answers", "mean", "share"} {
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
	vm.Completion = r.Completion.Percent()
	vm.ApplyRate = "(" + r.ApplyRate.Percent() + " of completed checks)"

	vm.Empty = r.Empty
	var bars []hbar
	for _, fn := range r.Funnels {
		name := report.FunnelName(fn.Mode, fn.Channel)
		f := dashboard.Funnel{Title: name, Table: dashboard.Table{Caption: "Applicants per stage, " + name, Head: []string{"Stage", "Applicants"}}}
		bars = nil
		for _, fr := range fn.Rows() {
			f.Table.Rows = append(f.Table.Rows, []string{fr.Name, fr.N.Label()})
			bars = append(bars, hbar{fr.Name, fr.N})
		}
		f.Chart = hbarChart("Applicants per stage, "+name, bars)
		vm.Funnels = append(vm.Funnels, f)
	}

	vm.Levels = dashboard.Table{Caption: "Recommended level", Head: []string{"Level", "Recommended", "Assessed"}}
	bars = nil
	for _, l := range r.Levels {
		vm.Levels.Rows = append(vm.Levels.Rows, []string{l.Title, l.Recommended.Label(), l.Assessed.Label()})
		bars = append(bars, hbar{l.Title, l.Recommended})
		fl := dashboard.FitLevel{Slug: l.Slug, Title: l.Title,
			Table: dashboard.Table{Caption: "Applicants per fit band, " + l.Title, Head: []string{"Fit", "Applicants"}}}
		var cols []hbar
		for i, cell := range l.Fits {
			name := report.BandName(i)
			fl.Table.Rows = append(fl.Table.Rows, []string{name, cell.Label()})
			cols = append(cols, hbar{name, cell})
		}
		fl.Chart = vbarChart("Fit distribution for "+l.Title, cols)
		vm.Fits = append(vm.Fits, fl)
	}
	vm.LevelChart = hbarChart("Recommended level", bars)
	vm.Split = levelSplit(r)

	vm.Trend = dashboard.Table{Caption: "Per week, each group of applicants in the week it closes (weeks start on Monday)", Head: []string{"Week of", "Started", "Completed", "Apply clicks"}}
	var cols []hbar
	for _, w := range r.Weeks {
		vm.Trend.Rows = append(vm.Trend.Rows, []string{w.Week, w.Started.Label(), w.Completed.Label(), w.ApplyClicks.Label()})
		cols = append(cols, hbar{w.Week[5:], w.Completed})
	}
	vm.TrendChart = vbarChart("Completed checks per week", cols)

	vm.Hosts = dashboard.Table{Caption: "The widget per embedding site", Head: []string{"Site", "Started", "Completed", "Apply clicks"}}
	for _, h := range r.Hosts {
		vm.Hosts.Rows = append(vm.Hosts.Rows, []string{h.Host, h.Started.Label(), h.Completed.Label(), h.ApplyClicks.Label()})
	}
	switch {
	case len(r.Hosts) > 0:
	case (r.Filter.Channel != "" && r.Filter.Channel != "embed") || (r.Filter.Mode != "" && r.Filter.Mode != string(score.Quick)):
		vm.HostsEmpty = "This filter leaves the widget out."
	default:
		// Days released before the breakdown existed have no host cells.
		vm.HostsEmpty = "No figures per embedding site were released for these days."
	}

	for _, it := range r.Items {
		row := dashboard.Item{ID: it.ID, Text: it.Text, Section: it.Section, Level: it.Level, Kind: it.Kind,
			Answers: it.Answers.Label(), Mean: it.Mean.Decimal(1), Share: it.Share.Percent()}
		var segs []report.Count
		for _, sp := range it.Spread {
			row.Spread = append(row.Spread, dashboard.SpreadCell{Name: sp.Value, Value: sp.N.Label()})
			segs = append(segs, sp.N)
		}
		row.Bar = stackedBar("Spread of answers: "+it.Text, segs)
		vm.Items = append(vm.Items, row)
	}
}

type hbar struct {
	label string
	n     report.Count
}

func maxShown(bars []hbar) int {
	m := 0
	for _, b := range bars {
		m = max(m, b.n.Value)
	}
	return m
}

// hbarChart draws labelled horizontal bars, each labelled with its figure
// and margin as the table is.
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
		if v := b.n.Value; v > 0 && m > 0 {
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
		if v := c.n.Value; v > 0 && m > 0 {
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

// stackedBar draws an item's spread of released answers, each segment in
// proportion to the released cells' sum.
func stackedBar(title string, cells []report.Count) dashboard.Chart {
	const w, h = 200, 16
	ch := dashboard.Chart{Title: title, Width: w, Height: h}
	n := 0
	for _, c := range cells {
		n += c.Value
	}
	if n == 0 {
		ch.Bars = append(ch.Bars, dashboard.Bar{X: 0, Y: 0, W: w, H: h, Class: "bar-hidden", Title: "No answers released"})
		return ch
	}
	x := 0
	for i, c := range cells {
		v := c.Value
		if v == 0 {
			continue
		}
		sw := v * w / n
		class := "seg seg" + strconv.Itoa(i)
		if len(cells) == 2 {
			class = "seg seg" + strconv.Itoa(i*4)
		}
		ch.Bars = append(ch.Bars, dashboard.Bar{X: x, Y: 0, W: sw, H: h, Class: class})
		x += sw
	}
	return ch
}

// writeCSV serves one of the report's tables as a file.
func writeCSV(c echo.Context, r *report.Report, table string) error {
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+r.CSVName(table)+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", r.CSV(table))
}

// writeXLSX serves every table of the report as one workbook.
func writeXLSX(c echo.Context, r *report.Report) error {
	b, err := r.XLSX()
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+r.XLSXName()+`"`)
	return c.Blob(http.StatusOK, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", b)
}

// handleDashboardCompare shows two roles, or two versions of one role,
// side by side per requirement asked in both (items match by id, which
// comes from the item's text). Each side is a report of its own, so it
// passes the same protection as the role's page.
func (s *Server) handleDashboardCompare(c echo.Context) error {
	ctx := c.Request().Context()
	vm := dashboard.Compare{}
	for _, e := range s.Catalog.List() {
		vm.Roles = append(vm.Roles, dashboard.Option{Value: e.Role.Slug, Label: e.Role.Title})
	}
	if len(vm.Roles) == 0 {
		return echo.NewHTTPError(http.StatusNotFound, "There is no role to compare yet.")
	}
	q := c.Request().URL.Query()
	a, b := q.Get("a"), q.Get("b")
	if a == "" {
		a = vm.Roles[0].Value
	}
	if b == "" {
		b = a
	}
	errs := map[string]string{}
	type side struct {
		entry    *catalog.Entry
		f        report.StatsFilter
		versions []role.VersionInfo
	}
	var sides [2]side
	for i, slug := range []string{a, b} {
		id := []string{"a", "b"}[i]
		e, ok := s.Catalog.Get(slug)
		if !ok {
			errs[id] = "Choose a role from the list."
			e = s.Catalog.List()[0]
			slug = e.Role.Slug
		}
		f, versions, ferrs, err := s.dashFilter(c, slug)
		if err != nil {
			return err
		}
		for k, v := range ferrs {
			errs[k] = v
		}
		f.Channel, f.Mode = "", ""
		f.VersionID = versionParam(c, id+"v", versions, errs)
		sides[i] = side{e, f, versions}
	}
	// With no second side chosen, the obvious question: how the newest
	// version of the role compares with the one before.
	if q.Get("b") == "" && q.Get("av") == "" && len(sides[0].versions) > 1 {
		sides[0].f.VersionID, sides[1].f.VersionID = sides[0].versions[1].ID, sides[0].versions[0].ID
	}
	vm.From, vm.To = sides[0].f.From, sides[0].f.To
	var reps [2]*report.Report
	for i, sd := range sides {
		cs := dashboard.CompareSide{Role: sd.entry.Role.Slug, Versions: versionOptions(sd.versions), Title: sd.entry.Role.Title}
		if sd.f.VersionID != 0 {
			cs.Version = strconv.FormatInt(sd.f.VersionID, 10)
			cs.Title += fmt.Sprintf(", version %d", versionNumber(sd.versions, sd.f.VersionID))
		}
		if i == 0 {
			vm.A = cs
		} else {
			vm.B = cs
		}
	}
	m := s.meta(c, "Compare roles or versions")
	if len(errs) > 0 {
		vm.Errors = errs
		vm.From, vm.To = q.Get("from"), q.Get("to")
		vm.Refused = "Correct the choices to see the comparison."
		return s.render(c, http.StatusUnprocessableEntity, dashboard.ComparePage(m, vm))
	}
	for i, sd := range sides {
		// A version is compared by its own items, so a reworded one shows
		// as asked on one side only.
		rl := sd.entry.Role
		if sd.f.VersionID != 0 {
			var err error
			if rl, err = s.roleAt(ctx, sd.entry.Role.Slug, sd.f.VersionID); err != nil {
				return err
			}
		}
		r, err := s.reports.Build(ctx, rl, sd.f)
		if err != nil {
			return err
		}
		reps[i] = r
		cs := &vm.A
		if i == 1 {
			cs = &vm.B
		}
		if r.Period.Reported != nil {
			cs.Period = report.SpanWords(r.Period.Reported.From, r.Period.Reported.To, " – ")
		}
		if r.Refused != "" {
			cs.Refused = r.Refused
			continue
		}
		cs.Submissions, cs.Completion = r.Submissions.Label(), r.Completion.Percent()
	}
	vm.Rows, vm.OnlyA, vm.OnlyB = compareRows(reps[0], reps[1])
	return s.render(c, http.StatusOK, dashboard.ComparePage(m, vm))
}

// compareRows pairs the items of a and b by id, weakest in a first, and
// counts those asked on one side only. A refused side has no items.
func compareRows(a, b *report.Report) (rows []dashboard.CompareRow, onlyA, onlyB int) {
	var ia, ib []report.Item
	if a.Refused == "" {
		ia = a.Items
	}
	if b.Refused == "" {
		ib = b.Items
	}
	byID := make(map[string]report.Item, len(ib))
	for _, it := range ib {
		byID[it.ID] = it
	}
	report.SortItems(ia, "share", "asc")
	seen := map[string]bool{}
	for _, x := range ia {
		y, ok := byID[x.ID]
		if !ok {
			onlyA++
			continue
		}
		seen[x.ID] = true
		row := dashboard.CompareRow{ID: x.ID, Text: x.Text, AAnswers: x.Answers.Label(), AShare: x.Share.Percent(),
			BAnswers: y.Answers.Label(), BShare: y.Share.Percent(), Difference: "—"}
		if d := report.ShareChange(x.Share, y.Share); d != nil {
			row.Difference = fmt.Sprintf("about %+.0f ± %.0f points", d.V*100, math.Max(1, math.Round(d.Margin*100)))
		}
		rows = append(rows, row)
	}
	return rows, onlyA, len(ib) - len(seen)
}
