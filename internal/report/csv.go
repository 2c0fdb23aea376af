package report

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"

	"github.com/rolefit/rolefit/internal/kanon"
)

// CSVTables are the tables offered as CSV, one per table on the page.
var CSVTables = []string{"requirements", "levels", "funnel", "trend"}

// FunnelRow is one stage of the funnel table.
type FunnelRow struct {
	Name string
	N    kanon.Cell
	// DropOff is the share lost before the next step, "" when none.
	DropOff string
}

// Funnel lists the stages from started to apply clicks, for the page and
// the CSV alike. It needs a report that is not refused.
func (r *Report) Funnel() []FunnelRow {
	rows := []FunnelRow{{Name: "Started", N: *r.Started}}
	for _, st := range r.Steps {
		rows = append(rows, FunnelRow{Name: "Reached step " + strconv.Itoa(st.Step), N: st.Reached, DropOff: st.DropOff.Percent()})
	}
	return append(rows, FunnelRow{Name: "Completed", N: *r.Submissions}, FunnelRow{Name: "Clicked apply", N: *r.ApplyClicks})
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

// CSV writes one of CSVTables; a refused report is written as its reason.
func (r *Report) CSV(table string) []byte {
	var rows [][]string
	if r.Refused != "" {
		rows = [][]string{{"refused"}, {r.Refused}}
	} else {
		switch table {
		case "requirements":
			rows = append(rows, []string{"item_id", "item", "level", "section", "kind", "answers", "mean", "share_meeting",
				"below_expectation", "meeting_expectation", "rating_0", "rating_1", "rating_2", "rating_3", "rating_4"})
			for _, it := range r.Items {
				row := []string{it.ID, it.Text, it.Level, it.Section, it.Kind, it.Answers.Label(), it.Mean.Decimal(2), it.Share.Decimal(3),
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
			for i := range FitBands {
				head = append(head, "fit_"+strings.TrimSuffix(strings.ReplaceAll(BandName(i), "–", "_"), "%"))
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
			for _, fr := range r.Funnel() {
				rows = append(rows, []string{fr.Name, fr.N.Label(), fr.DropOff})
			}
		case "trend":
			rows = append(rows, []string{"week_starting", "started", "completed", "apply_clicks"})
			for _, w := range r.Weeks {
				rows = append(rows, []string{w.Week, w.Started.Label(), w.Completed.Label(), w.ApplyClicks.Label()})
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
// (the requested one snapped to whole k-blocks), or the requested one when
// none does.
func (r *Report) CSVName(table string) string {
	p := r.Period.Requested
	if r.Period.Reported != nil {
		p = *r.Period.Reported
	}
	return fmt.Sprintf("%s-%s-%s-to-%s.csv", r.Role, table, p.From, p.To)
}
