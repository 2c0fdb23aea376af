package web

import (
	"bytes"
	"encoding/csv"
	"html"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/rolefit/rolefit/internal/report"
)

// textColumns are the export columns that hold words; every other column
// but a figure's status holds a number or nothing.
var textColumns = []string{"item_id", "item", "level", "section", "kind", "title", "check", "stage", "week_starting", "embedding_site"}

func numericColumn(name string) bool {
	return !slices.Contains(textColumns, name) && !strings.HasSuffix(name, "_status")
}

// TestDashboardExports downloads every file a role's dashboard links to,
// as a recruiter would, for 60 checks over 21 days, and reads them as a
// spreadsheet would: one header row, rows as wide as it, numbers only (or
// blanks) in number columns, each figure with its status and margin,
// shares as fractions, and a workbook with a sheet per table holding the
// same cells.
func TestDashboardExports(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 60, 21, 5)
	ts.addUser(t, "rita@example.com", false)
	c := ts.client(t)
	c.login("rita@example.com")

	for _, query := range []string{"", "?sort=item&dir=desc"} {
		page := c.get("/dashboard/roles/" + pmm + query)
		if page.StatusCode != http.StatusOK || page.testID("refused").Length() != 0 {
			t.Fatalf("page %q: status %d, refused %q", query, page.StatusCode, page.testID("refused").Text())
		}
		var csvLinks, xlsxLinks []string
		page.Doc.Find("main a[href]").Each(func(_ int, a *goquery.Selection) {
			href := html.UnescapeString(a.AttrOr("href", ""))
			switch {
			case strings.Contains(href, ".csv"):
				csvLinks = append(csvLinks, href)
			case strings.Contains(href, ".xlsx"):
				xlsxLinks = append(xlsxLinks, href)
			}
		})
		slices.Sort(csvLinks)
		csvLinks = slices.Compact(csvLinks)
		if len(csvLinks) != len(report.CSVTables) || len(xlsxLinks) != 1 {
			t.Fatalf("page %q links to %d CSV files %v and %d workbooks, want %d and 1", query, len(csvLinks), csvLinks, len(xlsxLinks), len(report.CSVTables))
		}

		tables := map[string][][]string{}
		for _, href := range csvLinks {
			res := c.get(href)
			if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: status %d, type %q", href, res.StatusCode, res.Header.Get("Content-Type"))
			}
			// encoding/csv refuses a record of another width than the first.
			rows, err := csv.NewReader(strings.NewReader(res.Body)).ReadAll()
			if err != nil {
				t.Fatalf("%s: %v", href, err)
			}
			if len(rows) < 2 {
				t.Fatalf("%s: %d rows", href, len(rows))
			}
			tables[href] = rows
			checkCSVTable(t, href, rows)
		}

		res := c.get(xlsxLinks[0])
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), ".xlsx") {
			t.Fatalf("workbook: status %d, %q", res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		wb, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		if err != nil {
			t.Fatalf("the workbook does not open: %v", err)
		}
		sheets := wb.GetSheetList()
		for _, href := range csvLinks {
			name := href[strings.Index(href, "table=")+len("table="):]
			name, _, _ = strings.Cut(name, "&")
			if !slices.Contains(sheets, name) {
				t.Errorf("the workbook has no %s sheet (sheets %v)", name, sheets)
				continue
			}
			checkSheet(t, wb, name, tables[href])
		}
		_ = wb.Close()
	}
}

// checkCSVTable checks one CSV file as a spreadsheet would read it.
func checkCSVTable(t *testing.T, name string, rows [][]string) {
	t.Helper()
	head := rows[0]
	numbers := 0
	for i, h := range head {
		if _, err := strconv.ParseFloat(h, 64); err == nil || h == "" {
			t.Errorf("%s: header cell %d is %q, not a name", name, i, h)
		}
	}
	for r, row := range rows[1:] {
		if slices.Equal(row, head) {
			t.Errorf("%s: row %d repeats the header", name, r+1)
		}
		for i, v := range row {
			col := head[i]
			if !numericColumn(col) || v == "" {
				continue
			}
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Errorf("%s: row %d column %s holds %q, not a number", name, r+1, col, v)
				continue
			}
			numbers++
			if strings.HasSuffix(col, "_fraction") && !strings.Contains(col, "_margin") && (f < 0 || f > 1) {
				t.Errorf("%s: row %d column %s holds %v, not a fraction", name, r+1, col, f)
			}
		}
		// Each figure is its value, its status and its margin: a value has
		// the status noisy or exact and a margin; a blank one says why in
		// its status, or is blank throughout when it does not apply.
		for i, col := range head {
			if !strings.HasSuffix(col, "_status") {
				continue
			}
			value, st, margin := row[i-1], row[i], row[i+1]
			switch {
			case value != "" && (st != report.StatusNoisy && st != report.StatusExact || margin == ""):
				t.Errorf("%s: row %d: %s = %q with status %q and margin %q", name, r+1, head[i-1], value, st, margin)
			case value == "" && margin != "":
				t.Errorf("%s: row %d: %s is blank with a margin %q", name, r+1, head[i-1], margin)
			case st == report.StatusNoisy && margin == "0":
				t.Errorf("%s: row %d: %s is noisy with no margin", name, r+1, head[i-1])
			}
		}
	}
	if numbers == 0 {
		t.Errorf("%s holds no number at all", name)
	}
}

// checkSheet compares a workbook sheet with the CSV file of the same
// table: the same cells, numbers stored as numbers.
func checkSheet(t *testing.T, wb *excelize.File, sheet string, want [][]string) {
	t.Helper()
	got, err := wb.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	if len(got) != len(want) {
		t.Fatalf("sheet %s: %d rows, the CSV %d", sheet, len(got), len(want))
	}
	for r := range want {
		for i, v := range want[r] {
			g := ""
			if i < len(got[r]) {
				g = got[r][i]
			}
			if g != strings.TrimPrefix(v, "'") {
				t.Errorf("sheet %s row %d column %s: %q, the CSV %q", sheet, r, want[0][i], g, v)
				return
			}
			if r == 0 || v == "" || !numericColumn(want[0][i]) {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(i+1, r+1)
			if typ, _ := wb.GetCellType(sheet, cell); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("sheet %s %s: %q is stored as type %v, not a number", sheet, cell, v, typ)
				return
			}
		}
	}
}
