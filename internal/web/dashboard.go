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
	"github.com/rolefit/rolefit/internal/kanon"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/views/dashboard"
)

// StatsStore reads the aggregate counters and a role's versions.
type StatsStore interface {
	report.Store
	RoleVersionList(ctx context.Context, slug string) ([]sqlite.VersionInfo, error)
}

// defaultDays is the dashboard's default period; maxDays bounds a range.
const (
	defaultDays = 90
	maxDays     = 3 * 366
)

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
	f.VersionID = versionParam(c, "version", versions, errs)
	return f, versions, errs, nil
}

// versionParam reads a version id that must be one of the role's; 0 for
// none.
func versionParam(c echo.Context, name string, versions []sqlite.VersionInfo, errs map[string]string) int64 {
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

// versionOptions labels a role's versions for a select, newest first.
func versionOptions(versions []sqlite.VersionInfo) []dashboard.Option {
	var out []dashboard.Option
	for i, v := range versions {
		label := fmt.Sprintf("Version %d, imported %s", v.ID, v.ImportedAt.UTC().Format(time.DateOnly))
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

// presetLinks are the preset periods as links that keep the other filters.
func (s *Server) presetLinks(q url.Values, base string, f sqlite.StatsFilter) []dashboard.Link {
	to := s.Now().UTC().Truncate(24 * time.Hour)
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
	k := kanon.Guard(s.Config.K)
	today := s.Now().UTC()
	from, to := today.AddDate(0, 0, -(defaultDays-1)).Format(time.DateOnly), today.Format(time.DateOnly)
	vm := dashboard.Index{From: from, To: to, K: k}
	entries := s.Catalog.List()
	slugs := make([]string, len(entries))
	for i, e := range entries {
		slugs[i] = e.Role.Slug
	}
	// Each role's line covers its own period snapped to whole k-blocks, as
	// its page does.
	heads, err := report.Headlines(c.Request().Context(), s.Recruiters, k, slugs, from, to)
	if err != nil {
		return err
	}
	for i, e := range entries {
		h := heads[i]
		line := dashboard.RoleLine{Slug: e.Role.Slug, Title: e.Role.Title, Archived: e.Archived}
		if h.Reported == nil {
			few := kanon.FewerThan(k)
			line.Submissions, line.Started, line.Completion, line.Apply = few, few, few, few
			line.Period = "no complete group yet"
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
		r, err := report.Build(c.Request().Context(), s.Recruiters, s.Config.K, e.Role, f)
		if err != nil {
			return err
		}
		if asXLSX {
			return writeXLSX(c, r)
		}
		return writeCSV(c, r, c.QueryParam("table"))
	}
	vm := dashboard.Role{Slug: slug, Title: e.Role.Title, K: kanon.Guard(s.Config.K),
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
	r, err := report.Build(c.Request().Context(), s.Recruiters, s.Config.K, e.Role, f)
	if err != nil {
		return err
	}
	gaps := topGaps(r.Items, 5)
	by, dir := itemOrder(c)
	report.SortItems(r.Items, by, dir)
	fillRolePage(&vm, r, q, by, dir)
	if r.Refused == "" {
		vm.Gaps = gaps
		if vm.Change, err = s.change(c.Request().Context(), e.Role, f, r); err != nil {
			return err
		}
		if vm.CheckTypes, err = s.checkTypes(c.Request().Context(), e.Role, f); err != nil {
			return err
		}
		vm.Compare = withQuery("/dashboard/compare", nil, map[string]string{"a": slug, "from": f.From, "to": f.To})
	}
	return s.render(c, http.StatusOK, dashboard.RolePage(m, vm))
}

// topGaps are the n requirements with the largest shown share below
// expectation, most answers first among equals.
func topGaps(items []report.Item, n int) []dashboard.Gap {
	var shown []report.Item
	for _, it := range items {
		if it.Share != nil && it.Share.Hidden == "" && it.Share.V < 1 && it.Answers.Visible() {
			shown = append(shown, it)
		}
	}
	slices.SortStableFunc(shown, func(a, b report.Item) int {
		if a.Share.V != b.Share.V {
			return cmp.Compare(a.Share.V, b.Share.V)
		}
		return cmp.Compare(b.Answers.N, a.Answers.N)
	})
	var out []dashboard.Gap
	for _, it := range shown[:min(n, len(shown))] {
		below := &report.Share{V: 1 - it.Share.V}
		out = append(out, dashboard.Gap{ID: it.ID, Text: it.Text, Level: it.Level, Below: below.Percent(),
			Width: int(math.Round(below.V * 100)), Answers: it.Answers.Label()})
	}
	return out
}

// levelSplit is each level's share of the recommendations, over the
// completed checks, for the first screen.
func levelSplit(r *report.Report) []dashboard.Split {
	most := 0
	for _, l := range r.Levels {
		if v, ok := l.Recommended.Value(); ok {
			most = max(most, v)
		}
	}
	var out []dashboard.Split
	for _, l := range r.Levels {
		sp := dashboard.Split{Slug: l.Slug, Title: l.Title, Count: l.Recommended.Label()}
		if v, ok := l.Recommended.Value(); ok && most > 0 {
			sp.Width = max(1, v*100/most)
			// A share of two shown counts tells nothing they do not.
			if n, ok := r.Submissions.Value(); ok && n > 0 {
				sp.Share = (&report.Share{V: float64(v) / float64(n)}).Percent()
			}
		}
		out = append(out, sp)
	}
	return out
}

// change compares the completed checks of r with those of the period of
// the same length just before, built through the same report so that it
// is as protected; it says so when either is not shown.
func (s *Server) change(ctx context.Context, r *role.Role, f sqlite.StatsFilter, cur *report.Report) (string, error) {
	// The previous period ends the day before the reported one begins,
	// so that the two, each widened to whole groups, do not overlap.
	from, err1 := time.Parse(time.DateOnly, cur.Period.Reported.From)
	to, err2 := time.Parse(time.DateOnly, cur.Period.Reported.To)
	if err1 != nil || err2 != nil {
		return "", nil
	}
	days := int(to.Sub(from).Hours()/24) + 1
	prev := f
	prev.To = from.AddDate(0, 0, -1).Format(time.DateOnly)
	prev.From = from.AddDate(0, 0, -days).Format(time.DateOnly)
	p, err := report.Build(ctx, s.Recruiters, s.Config.K, r, prev)
	if err != nil {
		return "", err
	}
	now, ok := cur.Submissions.Value()
	if p.Refused != "" || !ok {
		return fmt.Sprintf("No change shown: too few checks in the %d days before.", days), nil
	}
	before, ok := p.Submissions.Value()
	if !ok {
		return fmt.Sprintf("No change shown: the previous %d days hold too few checks to show.", days), nil
	}
	span := report.SpanWords(p.Period.Reported.From, p.Period.Reported.To, " – ")
	switch d := now - before; {
	case d > 0:
		return fmt.Sprintf("Up %d on the previous period (%d, %s)", d, before, span), nil
	case d < 0:
		return fmt.Sprintf("Down %d on the previous period (%d, %s)", -d, before, span), nil
	}
	return fmt.Sprintf("As many as in the previous period (%s)", span), nil
}

// checkType is one kind of check as the applicant meets it.
var checkTypes = []struct{ label, channel, mode string }{
	{"Quick", "site", "quick"},
	{"Full", "site", "full"},
	{"Widget", "embed", ""},
}

// checkTypes is the completion of each kind of check that f lets in,
// each a report of its own, so each passes the same protection.
func (s *Server) checkTypes(ctx context.Context, r *role.Role, f sqlite.StatsFilter) (dashboard.Table, error) {
	t := dashboard.Table{Caption: "Started and completed checks, and the completion rate, per check type: the quick check and the full assessment on this site, and the widget",
		Head: []string{"Check", "Started", "Done", "Rate"}}
	for _, ct := range checkTypes {
		if (f.Channel != "" && f.Channel != ct.channel) || (f.Mode != "" && ct.mode != "" && f.Mode != ct.mode) {
			continue
		}
		sub := f
		sub.Channel, sub.Mode = ct.channel, ct.mode
		rep, err := report.Build(ctx, s.Recruiters, s.Config.K, r, sub)
		if err != nil {
			return t, err
		}
		if rep.Refused != "" {
			t.Rows = append(t.Rows, []string{ct.label, "too few to show", "", ""})
			continue
		}
		t.Rows = append(t.Rows, []string{ct.label, rep.Started.Label(), rep.Submissions.Label(), rep.Completion.Percent()})
	}
	return t, nil
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

	vm.Funnel = dashboard.Table{Caption: "Applicants per stage", Head: []string{"Stage", "Applicants", "Drop-off before the next step"}}
	var bars []hbar
	for _, fr := range r.Funnel() {
		vm.Funnel.Rows = append(vm.Funnel.Rows, []string{fr.Name, fr.N.Label(), fr.DropOff.Percent()})
		bars = append(bars, hbar{fr.Name, fr.N})
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

	for _, it := range r.Items {
		row := dashboard.Item{ID: it.ID, Text: it.Text, Section: it.Section, Level: it.Level, Kind: it.Kind,
			Answers: it.Answers.Label(), Mean: it.Mean.Decimal(1), Share: it.Share.Percent()}
		var segs []kanon.Cell
		for _, sp := range it.Spread {
			row.Spread = append(row.Spread, dashboard.SpreadCell{Name: sp.Value, Value: sp.N.Label()})
			segs = append(segs, sp.N)
		}
		row.Bar = stackedBar("Spread of answers: "+it.Text, segs, it.Answers)
		vm.Items = append(vm.Items, row)
	}
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
		f        sqlite.StatsFilter
		versions []sqlite.VersionInfo
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
			cs.Title += fmt.Sprintf(", version %d", sd.f.VersionID)
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
		r, err := report.Build(ctx, s.Recruiters, s.Config.K, rl, sd.f)
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
		if x.Share != nil && y.Share != nil && x.Share.Hidden == "" && y.Share.Hidden == "" {
			row.Difference = fmt.Sprintf("%+d points", int(math.Round((y.Share.V-x.Share.V)*100)))
			if row.Difference == "+0 points" {
				row.Difference = "0 points"
			}
		}
		rows = append(rows, row)
	}
	return rows, onlyA, len(ib) - len(seen)
}
