package web

import (
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/rolefit/rolefit/internal/report"
)

const pmm = "product-manager-marketing"

// TestDashboardAgree: the page, the CSV files and the API render one
// report, so they show the same released figures, cell for cell.
func TestDashboardAgree(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 30, 20, 5)
	c, token := ts.recruiter(t)
	st := readStats(t, c, token, "")
	page := c.get("/dashboard/roles/" + pmm)
	if page.StatusCode != http.StatusOK {
		t.Fatalf("page: status %d", page.StatusCode)
	}
	if got, want := page.testID("submissions").Text(), st.Submissions.Label(); got != want {
		t.Errorf("completed checks: page %q, api %q", got, want)
	}
	index := c.get("/dashboard")
	if got := index.testID("submissions").First().Text(); got != st.Submissions.Label() {
		t.Errorf("completed checks: index %q, role page %q", got, st.Submissions.Label())
	}
	byID := map[string][]string{}
	for _, it := range st.Items {
		for _, s := range it.Spread {
			byID[it.ID] = append(byID[it.ID], s.N.Label())
		}
	}
	page.testID("item-row").Each(func(_ int, s *goquery.Selection) {
		id, _ := s.Attr("data-item")
		cells := s.Find(`[data-testid="cell"]`)
		if cells.Length() != len(byID[id]) {
			t.Errorf("item %s: %d cells on the page, %d in the API", id, cells.Length(), len(byID[id]))
			return
		}
		for i, want := range byID[id] {
			if got := cells.Eq(i).Text(); got != want {
				t.Errorf("item %s cell %d: page %q, api %q", id, i, got, want)
			}
		}
	})
	rows := readCSV(t, c, "requirements")
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	for _, r := range rows[1:] {
		for _, it := range st.Items {
			if it.ID == r[col["item_id"]] && (r[col["answers"]] != strconv.Itoa(it.Answer.Value) || r[col["answers_margin"]] != strconv.Itoa(it.Answer.Margin)) {
				t.Errorf("item %s answers: csv %s ± %s, api %+v", it.ID, r[col["answers"]], r[col["answers_margin"]], it.Answer)
			}
		}
	}
	funnel := readCSV(t, c, "funnel")
	if funnel[1][1] != "Completed" || funnel[1][2] != strconv.Itoa(st.Submissions.Value) {
		t.Errorf("funnel CSV starts %v, api submissions %+v", funnel[1], *st.Submissions)
	}
	if page.Doc.Find(`svg[role="img"] title`).Length() == 0 {
		t.Error("no accessible SVG chart")
	}
	for _, table := range report.CSVTables {
		if res := c.get("/dashboard/roles/" + pmm + ".csv?table=" + table); res.StatusCode != http.StatusOK {
			t.Errorf("csv %s: status %d", table, res.StatusCode)
		}
	}
}

// TestDashboardFilters: every filter shows released figures; a filter
// the form cannot take is refused with a message and 422.
func TestDashboardFilters(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 20, 14, 6)
	c, _ := ts.recruiter(t)
	tests := []struct {
		name, query string
		status      int
	}{
		{"All", "", 200},
		{"Embed", "?channel=embed", 200},
		{"SiteFull", "?channel=site&mode=full", 200},
		{"Quick", "?mode=quick", 200},
		{"ErrBadDate", "?from=yesterday", 422},
		{"ErrFromAfterTo", "?from=2026-11-20&to=2026-11-01", 422},
		{"ErrUnknownChannel", "?channel=fax", 422},
		{"ErrUnknownVersion", "?version=999", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get("/dashboard/roles/" + pmm + tt.query)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tt.status)
			}
			shown := strings.HasPrefix(res.testID("submissions").Text(), "about ")
			if shown != (tt.status == 200) {
				t.Errorf("figures shown %v (%q), want %v", shown, res.testID("submissions").Text(), tt.status == 200)
			}
			if tt.status != 200 && res.testID("field-error").Length() == 0 {
				t.Error("no message beside the field")
			}
		})
	}
	t.Run("Sort", func(t *testing.T) {
		res := c.get("/dashboard/roles/" + pmm + "?sort=item&dir=asc")
		var texts []string
		res.testID("item-row").Each(func(_ int, s *goquery.Selection) {
			texts = append(texts, strings.TrimSpace(s.Find("th").Contents().First().Text()))
		})
		for i := 1; i < len(texts); i++ {
			if texts[i-1] > texts[i] {
				t.Fatalf("not sorted by item: %q before %q", texts[i-1], texts[i])
			}
		}
	})
}

// TestDashboardBadInput: a mistyped filter, table or role in the
// downloads and the comparison gets a clear message and a 4xx, never a
// file or a 500.
func TestDashboardBadInput(t *testing.T) {
	ts := newTestServer(t)
	ts.seedChecks(t, 20, 14, 7)
	c, _ := ts.recruiter(t)
	tests := []struct {
		name, path string
		status     int
	}{
		{"XLSX", "/dashboard/roles/" + pmm + ".xlsx", 200},
		{"XLSXBadDate", "/dashboard/roles/" + pmm + ".xlsx?from=31.12.2026", 422},
		{"XLSXUnknownRole", "/dashboard/roles/nope.xlsx", 404},
		{"CSVUnknownTable", "/dashboard/roles/" + pmm + ".csv?table=people", 400},
		{"CSVBadVersion", "/dashboard/roles/" + pmm + ".csv?table=levels&version=x", 422},
		{"Compare", "/dashboard/compare?a=" + pmm, 200},
		{"CompareUnknownRole", "/dashboard/compare?a=" + pmm + "&b=nope", 422},
		{"CompareBadVersion", "/dashboard/compare?a=" + pmm + "&av=999", 422},
		{"CompareBadDate", "/dashboard/compare?a=" + pmm + "&from=2026-13-01", 422},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := c.get(tt.path)
			if res.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %.200s", res.StatusCode, tt.status, res.Body)
			}
			if tt.status == 422 && strings.Contains(tt.path, "/compare") && res.testID("field-error").Length() == 0 {
				t.Error("no message says what to correct")
			}
			if tt.status >= 400 && strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
				t.Error("a file was sent for a mistake")
			}
		})
	}
	// The same role on both sides: every requirement is asked in both,
	// and the two agree.
	res := c.get("/dashboard/compare?a=" + pmm + "&b=" + pmm)
	rows := res.testID("compare-row")
	if rows.Length() < 20 {
		t.Fatalf("%d rows compared", rows.Length())
	}
	rows.Each(func(_ int, s *goquery.Selection) {
		a, b := s.Find(`[data-testid="a-share"]`).Text(), s.Find(`[data-testid="b-share"]`).Text()
		if d := s.Find(`[data-testid="difference"]`).Text(); a != b || !strings.HasPrefix(d, "about +0 ± ") && d != "—" {
			t.Errorf("%s: %q against %q, difference %q", s.AttrOr("data-item", ""), a, b, d)
		}
	})
}
