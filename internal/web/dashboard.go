package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/report"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/views/dashboard"
)

// StatsStore reads and writes the released aggregates, their counters and
// a role's versions.
type StatsStore interface {
	report.Store
	release.Store
	RoleVersionList(ctx context.Context, slug string) ([]sqlite.VersionInfo, error)
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
func (s *Server) dashFilter(c echo.Context, slug string) (report.StatsFilter, []sqlite.VersionInfo, map[string]string, error) {
	errs := map[string]string{}
	// By default the last defaultDays days that are over: today is never
	// reported.
	last := s.Now().UTC().Truncate(24*time.Hour).AddDate(0, 0, -1)
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

func (s *Server) handleDashboard(c echo.Context) error {
	last := s.Now().UTC().AddDate(0, 0, -1)
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
		r, err := s.reports.Build(c.Request().Context(), e.Role, f)
		if err != nil {
			return err
		}
		return s.writeCSV(c, r, c.QueryParam("table"))
	}
	vm := dashboard.Role{Slug: slug, Title: e.Role.Title,
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
	r, err := s.reports.Build(c.Request().Context(), e.Role, f)
	if err != nil {
		return err
	}
	by, dir := itemOrder(c)
	report.SortItems(r.Items, by, dir)
	fillRolePage(&vm, r, c.Request().URL.Query(), by, dir)
	return s.render(c, http.StatusOK, dashboard.RolePage(m, vm))
}

// itemOrder reads the requirements table's order (sort, dir), by share
// ascending unless asked otherwise.
func itemOrder(c echo.Context) (by, dir string) {
	by, dir = c.QueryParam("sort"), c.QueryParam("dir")
	switch by {
	case "share", "mean", "answers", "item":
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
	for _, t := range report.CSVTables {
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
func (s *Server) writeCSV(c echo.Context, r *report.Report, table string) error {
	if !slices.Contains(report.CSVTables, table) {
		return echo.NewHTTPError(http.StatusBadRequest, "Choose a table: requirements, levels, funnel or trend.")
	}
	c.Response().Header().Set("Content-Disposition", `attachment; filename="`+r.CSVName(table)+`"`)
	return c.Blob(http.StatusOK, "text/csv; charset=utf-8", r.CSV(table))
}
