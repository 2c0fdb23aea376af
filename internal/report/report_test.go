package report

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestSpanWords(t *testing.T) {
	tests := []struct{ name, from, to, want string }{
		{"same year", "2026-08-03", "2026-09-27", "3 Aug – 27 Sep 2026"},
		{"two years", "2025-12-29", "2026-01-04", "29 Dec 2025 – 4 Jan 2026"},
		{"not dates", "x", "y", "x – y"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SpanWords(tt.from, tt.to, " – "); got != tt.want {
				t.Errorf("SpanWords(%q, %q) = %q, want %q", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestShare(t *testing.T) {
	tests := []struct {
		name            string
		s               *Share
		json, pct, dec2 string
	}{
		{"value", &Share{V: 0.12345, Margin: 0.05}, `{"value":0.123,"margin":0.05}`, "about 12% ± 5%", "0.12 ± 0.05"},
		{"hidden", &Share{Hidden: "Too few answers to give a share."}, `"Too few answers to give a share."`, "Too few answers to give a share.", "Too few answers to give a share."},
		{"none", nil, "null", "", "—"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := json.Marshal(tt.s)
			if err != nil || string(b) != tt.json {
				t.Errorf("json = %s, %v; want %s", b, err, tt.json)
			}
			if got := tt.s.Percent(); got != tt.pct {
				t.Errorf("Percent() = %q, want %q", got, tt.pct)
			}
			if got := tt.s.Decimal(2); got != tt.dec2 {
				t.Errorf("Decimal(2) = %q, want %q", got, tt.dec2)
			}
		})
	}
}

func TestCount(t *testing.T) {
	c := Count{Value: 14, Margin: 3}
	b, _ := json.Marshal(c)
	if string(b) != `{"value":14,"margin":3}` || c.Label() != "about 14 ± 3" {
		t.Errorf("Count = %s, %q", b, c.Label())
	}
}

func TestSortItems_NotShownLast(t *testing.T) {
	items := []Item{
		{Text: "b", Answers: Count{Value: 9}, Share: &Share{V: 0.5}},
		{Text: "a", Answers: Count{Value: 2}, Share: &Share{Hidden: "Too few answers to give a share."}},
		{Text: "c", Answers: Count{Value: 7}, Share: &Share{V: 0.2}},
	}
	for _, tt := range []struct{ by, dir, want string }{
		{"share", "asc", "cba"}, {"share", "desc", "bca"}, {"answers", "asc", "acb"}, {"item", "desc", "cba"},
	} {
		SortItems(items, tt.by, tt.dir)
		var got strings.Builder
		for _, it := range items {
			got.WriteString(it.Text)
		}
		if got.String() != tt.want {
			t.Errorf("by %s %s: %s, want %s", tt.by, tt.dir, got.String(), tt.want)
		}
	}
}

func TestNonIncreasing(t *testing.T) {
	tests := []struct {
		name     string
		in, want []float64
	}{
		{"already", []float64{9, 7, 7, 2}, []float64{9, 7, 7, 2}},
		{"one rise pooled", []float64{9, 5, 7, 2}, []float64{9, 6, 6, 2}},
		{"negative floored", []float64{3, 1, -2}, []float64{3, 1, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := nonIncreasing(tt.in)
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("nonIncreasing(%v) = %v, want %v", tt.in, got, tt.want)
				}
			}
		})
	}
}

func TestCSV_FormulaSafe(t *testing.T) {
	r := &Report{Refused: "=HYPERLINK(\"x\")"}
	if got := string(r.CSV("funnel")); !strings.Contains(got, `'=HYPERLINK`) {
		t.Errorf("a cell starting with = is not quoted: %q", got)
	}
}

func TestTables_NumbersOnly(t *testing.T) {
	noisy, exact := Count{Value: 14, Margin: 3}, Count{Value: 12}
	r := &Report{Role: "r", Started: &noisy, Submissions: &exact, ApplyClicks: &noisy,
		Funnels: []Funnel{{Mode: "quick", Channel: "embed", Started: noisy, Steps: []Step{{Step: 1, Reached: exact}}, Completed: exact, ApplyClicks: noisy}},
		Items: []Item{{ID: "a", Text: "=SUM(A1)", Kind: "fact", Answers: noisy, Below: exact, Meets: noisy,
			Mean: &Share{Hidden: "Too few answers."}, Share: &Share{V: 0.6666, Margin: 0.12345}}}}
	tests := []struct {
		name, table string
		want        string
	}{
		{"funnel", "funnel", "check,stage,applicants,applicants_status,applicants_margin\n" +
			"all checks,Completed,12,exact,0\n" +
			"Quick check in the widget,Started,14,noisy,3\nQuick check in the widget,Finished step 1,12,exact,0\n" +
			"Quick check in the widget,Completed,12,exact,0\nQuick check in the widget,Clicked apply,14,noisy,3\n"},
		// A yes/no item has no 0–4 ratings: those columns are blank.
		{"requirements", "requirements", "a,'=SUM(A1),,,fact,14,noisy,3,,Too few answers.,,0.667,noisy,0.123,12,exact,0,14,noisy,3" + strings.Repeat(",", 15) + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(r.CSV(tt.table))
			if !strings.HasSuffix(got, tt.want) {
				t.Errorf("CSV(%s) =\n%s\nwant it to end with\n%s", tt.table, got, tt.want)
			}
		})
	}
	for _, tb := range r.Tables() {
		for i, row := range tb.Rows {
			if len(row) != len(tb.Head) {
				t.Errorf("%s row %d: %d cells, header %d", tb.Name, i, len(row), len(tb.Head))
			}
			for j, f := range row {
				if tb.Numeric[j] && !f.Num && f.Text != "" {
					t.Errorf("%s row %d column %s holds text %q", tb.Name, i, tb.Head[j], f.Text)
				}
			}
		}
	}
	refused := &Report{Refused: "Too few."}
	if got := string(refused.CSV("levels")); got != "refused\nToo few.\n" {
		t.Errorf("a refused report's CSV = %q", got)
	}
}

// BenchmarkXLSX writes the workbook of a report the size of the
// reference role's (45 requirements, two levels, three funnels, 13 weeks).
func BenchmarkXLSX(b *testing.B) {
	c := Count{Value: 40, Margin: 6}
	r := &Report{Role: "r", Title: "R", Submissions: &c, Started: &c, ApplyClicks: &c}
	for range 3 {
		r.Funnels = append(r.Funnels, Funnel{Started: c, Steps: []Step{{Step: 1, Reached: c}, {Step: 2, Reached: c}}, Completed: c, ApplyClicks: c})
	}
	for range 2 {
		r.Levels = append(r.Levels, Level{Recommended: c, Assessed: c, Fits: make([]Count, FitBands)})
	}
	for range 13 {
		r.Weeks = append(r.Weeks, Week{Week: "2026-11-02", Started: c, Completed: c, ApplyClicks: c})
	}
	for range 45 {
		r.Items = append(r.Items, Item{ID: "x", Text: "An item of some length, as a requirement reads", Answers: c,
			Spread: make([]Spread, 5), Below: c, Meets: c, Mean: &Share{V: 2.1, Margin: 0.3}, Share: &Share{V: 0.4, Margin: 0.1}})
	}
	for b.Loop() {
		if _, err := r.XLSX(); err != nil {
			b.Fatal(err)
		}
	}
}
