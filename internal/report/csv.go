package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// CSVTables are the tables offered for download, one per table on the
// page, in the order the workbook holds them.
var CSVTables = []string{"requirements", "levels", "funnel", "trend", "hosts"}

// FunnelRow is one stage of a funnel table.
type FunnelRow struct {
	Name string
	N    Count
}

// Rows lists the stages of a funnel from started to apply clicks, for the
// page and the exports alike.
func (f Funnel) Rows() []FunnelRow {
	rows := []FunnelRow{{Name: "Started", N: f.Started}}
	for _, st := range f.Steps {
		rows = append(rows, FunnelRow{Name: "Finished step " + strconv.Itoa(st.Step), N: st.Reached})
	}
	return append(rows, FunnelRow{Name: "Completed", N: f.Completed}, FunnelRow{Name: "Clicked apply", N: f.ApplyClicks})
}

// BandName names fit band i: "0–9%" up to "90–100%".
func BandName(i int) string {
	if i == FitBands-1 {
		return "90–100%"
	}
	return fmt.Sprintf("%d–%d%%", i*10, i*10+9)
}

// The status of an exported figure, in its own column beside its value.
const (
	// StatusExact is a figure that carries no noise (a margin of 0).
	StatusExact = "exact"
	// StatusNoisy is a released estimate: the true figure lies within
	// value ± margin, 95 times out of 100.
	StatusNoisy = "noisy"
)

// Table is one of a report's tables as the exports write it: one header
// row and rows of its width. A numeric column holds a number or nothing;
// every figure is followed by its status ("noisy", "exact", or the words
// saying why it is not given) and its margin, so a spreadsheet can sum a
// column without tripping over words. Shares are fractions from 0 to 1,
// and their column names (and their margins') end in "_fraction".
type Table struct {
	Name string
	Head []string
	// Numeric marks the columns that hold numbers.
	Numeric []bool
	Rows    [][]Field
}

// Field is one exported cell: a number when Num is set, else text.
type Field struct {
	Text string
	V    float64
	Num  bool
	// Prec is the number of decimals written; -1 for as many as needed.
	Prec int
}

// String writes the field as a CSV cell: a number in plain decimal
// notation, or the text.
func (f Field) String() string {
	if f.Num {
		return strconv.FormatFloat(f.V, 'f', f.Prec, 64)
	}
	return f.Text
}

// colKind is how a column of a table is exported.
type colKind uint8

const (
	colText colKind = iota
	colCount
	colFraction
	colMean
)

type column struct {
	name string
	kind colKind
}

// value is one cell of a table before it is exported: text, a count or a
// share (a fraction or a mean).
type value struct {
	text    string
	count   Count
	isCount bool
	share   *Share
	// none is a figure that does not apply, written as blanks.
	none bool
}

func text(s string) value    { return value{text: s} }
func count(c Count) value    { return value{count: c, isCount: true} }
func shareOf(s *Share) value { return value{share: s} }

// status is the status column of a figure with or without noise.
func status(noisy bool) Field {
	if noisy {
		return Field{Text: StatusNoisy}
	}
	return Field{Text: StatusExact}
}

// none is a figure that does not apply to the row.
var none = value{none: true}

// newTable expands each figure column into its value, status and margin
// columns.
func newTable(name string, cols []column, rows [][]value) Table {
	t := Table{Name: name}
	for _, c := range cols {
		switch c.kind {
		case colText:
			t.Head = append(t.Head, c.name)
			t.Numeric = append(t.Numeric, false)
		default:
			n, m := c.name, c.name+"_margin"
			if c.kind == colFraction {
				n, m = n+"_fraction", m+"_fraction"
			}
			t.Head = append(t.Head, n, c.name+"_status", m)
			t.Numeric = append(t.Numeric, true, false, true)
		}
	}
	for _, r := range rows {
		var out []Field
		for i, c := range cols {
			v := r[i]
			if v.none && c.kind != colText {
				out = append(out, Field{}, Field{}, Field{})
				continue
			}
			switch c.kind {
			case colText:
				out = append(out, Field{Text: v.text})
			case colCount:
				out = append(out, Field{V: float64(v.count.Value), Num: true}, status(v.count.Margin > 0),
					Field{V: float64(v.count.Margin), Num: true})
			default:
				prec := 3
				if c.kind == colMean {
					prec = 2
				}
				switch {
				case v.share == nil:
					out = append(out, Field{}, Field{}, Field{})
				case v.share.Hidden != "":
					out = append(out, Field{}, Field{Text: v.share.Hidden}, Field{})
				default:
					// Rounded before it is written, so the CSV and the
					// workbook hold the same number.
					p := math.Pow10(prec)
					out = append(out, Field{V: math.Round(v.share.V*p) / p, Num: true, Prec: -1}, status(v.share.Margin > 0),
						Field{V: math.Round(v.share.Margin*p) / p, Num: true, Prec: -1})
				}
			}
		}
		t.Rows = append(t.Rows, out)
	}
	return t
}

// Tables returns every table of the report as the exports write it, in
// the order of CSVTables; a refused report is one table holding the
// reason.
func (r *Report) Tables() []Table {
	if r.Refused != "" {
		return []Table{{Name: "refused", Head: []string{"refused"}, Numeric: []bool{false}, Rows: [][]Field{{{Text: r.Refused}}}}}
	}
	out := make([]Table, 0, len(CSVTables))
	for _, name := range CSVTables {
		out = append(out, r.table(name))
	}
	return out
}

func (r *Report) table(name string) Table {
	var cols []column
	var rows [][]value
	switch name {
	case "requirements":
		cols = []column{{"item_id", colText}, {"item", colText}, {"level", colText}, {"section", colText}, {"kind", colText},
			{"answers", colCount}, {"mean", colMean}, {"share_meeting", colFraction},
			{"below_expectation", colCount}, {"meeting_expectation", colCount}}
		for i := range 5 {
			cols = append(cols, column{"rating_" + strconv.Itoa(i), colCount})
		}
		for _, it := range r.Items {
			row := []value{text(it.ID), text(it.Text), text(it.Level), text(it.Section), text(it.Kind),
				count(it.Answers), shareOf(it.Mean), shareOf(it.Share), count(it.Below), count(it.Meets)}
			for i := range 5 {
				// Only 0–4 ratings have five answers; years and yes/no
				// are the below and meeting columns.
				if len(it.Spread) == 5 {
					row = append(row, count(it.Spread[i].N))
				} else {
					row = append(row, none)
				}
			}
			rows = append(rows, row)
		}
	case "levels":
		cols = []column{{"level", colText}, {"title", colText}, {"recommended", colCount}, {"assessed", colCount}}
		for i := range FitBands {
			cols = append(cols, column{"fit_" + strings.TrimSuffix(strings.ReplaceAll(BandName(i), "–", "_"), "%"), colCount})
		}
		for _, l := range r.Levels {
			row := []value{text(l.Slug), text(l.Title), count(l.Recommended), count(l.Assessed)}
			for i := range FitBands {
				// "No level assessed" has a count but no fits.
				if i < len(l.Fits) {
					row = append(row, count(l.Fits[i]))
				} else {
					row = append(row, none)
				}
			}
			rows = append(rows, row)
		}
	case "funnel":
		cols = []column{{"check", colText}, {"stage", colText}, {"applicants", colCount}}
		rows = append(rows, []value{text("all checks"), text("Completed"), count(*r.Submissions)})
		for _, fn := range r.Funnels {
			for _, fr := range fn.Rows() {
				rows = append(rows, []value{text(FunnelName(fn.Mode, fn.Channel)), text(fr.Name), count(fr.N)})
			}
		}
	case "trend":
		cols = []column{{"week_starting", colText}, {"started", colCount}, {"completed", colCount}, {"apply_clicks", colCount}}
		for _, w := range r.Weeks {
			rows = append(rows, []value{text(w.Week), count(w.Started), count(w.Completed), count(w.ApplyClicks)})
		}
	case "hosts":
		cols = []column{{"embedding_site", colText}, {"started", colCount}, {"completed", colCount}, {"apply_clicks", colCount}}
		for _, h := range r.Hosts {
			rows = append(rows, []value{text(h.Host), count(h.Started), count(h.Completed), count(h.ApplyClicks)})
		}
	}
	return newTable(name, cols, rows)
}

// csvSafe keeps a spreadsheet from running a text cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// CSV writes the table: one header row, then its rows.
func (t Table) CSV() []byte {
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	_ = cw.Write(t.Head)
	for _, row := range t.Rows {
		line := make([]string, len(row))
		for i, f := range row {
			line[i] = f.String()
			if !f.Num {
				line[i] = csvSafe(line[i])
			}
		}
		_ = cw.Write(line)
	}
	cw.Flush()
	return b.Bytes()
}

// CSV writes one of CSVTables; a refused report is written as its reason.
func (r *Report) CSV(table string) []byte {
	if r.Refused != "" {
		return r.Tables()[0].CSV()
	}
	return r.table(table).CSV()
}

// CSVName is a table's file name. It names the period the figures cover
// (the requested one up to yesterday), or the requested one when none
// does.
func (r *Report) CSVName(table string) string {
	return r.fileName(table, "csv")
}

// XLSXName is the workbook's file name, after the same rule as CSVName.
func (r *Report) XLSXName() string {
	return r.fileName("tables", "xlsx")
}

func (r *Report) fileName(what, ext string) string {
	p := r.Period.Requested
	if r.Period.Reported != nil {
		p = *r.Period.Reported
	}
	return fmt.Sprintf("%s-%s-%s-to-%s.%s", r.Role, what, p.From, p.To, ext)
}
