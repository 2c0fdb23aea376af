package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// CSVTables are the tables offered as CSV, one per table on the page.
var CSVTables = []string{"requirements", "levels", "funnel", "trend"}

// FunnelRow is one stage of a funnel table.
type FunnelRow struct {
	Name string
	N    Count
}

// Rows lists the stages of a funnel from started to apply clicks, for the
// page and the CSV alike.
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

// csvSafe keeps a spreadsheet from running a cell as a formula.
func csvSafe(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

// num writes a count for a spreadsheet.
func num(n int) string { return strconv.Itoa(n) }

// shareCols writes a share as its value and margin, or its reason and "".
func shareCols(s *Share, prec int) []string {
	switch {
	case s == nil:
		return []string{"", ""}
	case s.Hidden != "":
		return []string{s.Hidden, ""}
	}
	return []string{strconv.FormatFloat(s.V, 'f', prec, 64), strconv.FormatFloat(s.Margin, 'f', prec, 64)}
}

// CSV writes one of CSVTables; a refused report is written as its reason.
// Counts are the released values; the margin columns give the 95 % range
// (value ± margin) of the figures a reader compares.
func (r *Report) CSV(table string) []byte {
	var rows [][]string
	if r.Refused != "" {
		rows = [][]string{{"refused"}, {r.Refused}}
	} else {
		switch table {
		case "requirements":
			rows = append(rows, []string{"item_id", "item", "level", "section", "kind", "answers", "answers_margin",
				"mean", "mean_margin", "share_meeting", "share_meeting_margin",
				"below_expectation", "meeting_expectation", "rating_0", "rating_1", "rating_2", "rating_3", "rating_4"})
			for _, it := range r.Items {
				row := []string{it.ID, it.Text, it.Level, it.Section, it.Kind, num(it.Answers.Value), num(it.Answers.Margin)}
				row = append(row, shareCols(it.Mean, 2)...)
				row = append(row, shareCols(it.Share, 3)...)
				row = append(row, num(it.Below.Value), num(it.Meets.Value))
				if len(it.Spread) == 5 {
					for _, sp := range it.Spread {
						row = append(row, num(sp.N.Value))
					}
				} else {
					row = append(row, "", "", "", "", "")
				}
				rows = append(rows, row)
			}
		case "levels":
			head := []string{"level", "title", "recommended", "recommended_margin", "assessed"}
			for i := range FitBands {
				head = append(head, "fit_"+strings.TrimSuffix(strings.ReplaceAll(BandName(i), "–", "_"), "%"))
			}
			rows = append(rows, head)
			for _, l := range r.Levels {
				row := []string{l.Slug, l.Title, num(l.Recommended.Value), num(l.Recommended.Margin), num(l.Assessed.Value)}
				for i := range FitBands {
					if i < len(l.Fits) {
						row = append(row, num(l.Fits[i].Value))
					} else {
						row = append(row, "")
					}
				}
				rows = append(rows, row)
			}
		case "funnel":
			rows = append(rows, []string{"check", "stage", "applicants", "margin"},
				[]string{"all checks", "Completed", num(r.Submissions.Value), num(r.Submissions.Margin)})
			for _, fn := range r.Funnels {
				for _, fr := range fn.Rows() {
					rows = append(rows, []string{FunnelName(fn.Mode, fn.Channel), fr.Name, num(fr.N.Value), num(fr.N.Margin)})
				}
			}
		case "trend":
			rows = append(rows, []string{"week_starting", "started", "completed", "completed_margin", "apply_clicks"})
			for _, w := range r.Weeks {
				rows = append(rows, []string{w.Week, num(w.Started.Value), num(w.Completed.Value), num(w.Completed.Margin), num(w.ApplyClicks.Value)})
			}
		}
	}
	var b bytes.Buffer
	cw := csv.NewWriter(&b)
	for _, row := range rows {
		for i := range row {
			row[i] = csvSafe(row[i])
		}
		_ = cw.Write(row)
	}
	cw.Flush()
	return b.Bytes()
}

// CSVName is a table's file name. It names the period the figures cover
// (the requested one up to yesterday), or the requested one when none does.
func (r *Report) CSVName(table string) string {
	p := r.Period.Requested
	if r.Period.Reported != nil {
		p = *r.Period.Reported
	}
	return fmt.Sprintf("%s-%s-%s-to-%s.csv", r.Role, table, p.From, p.To)
}
