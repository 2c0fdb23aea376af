package report

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/rolefit/rolefit/internal/kanon"
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
		{"value", &Share{V: 0.12345}, "0.123", "12%", "0.12"},
		{"hidden", &Share{Hidden: "fewer than 5"}, `"fewer than 5"`, "fewer than 5", "fewer than 5"},
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

func TestSortItems_HiddenLast(t *testing.T) {
	shown := func(n int) kanon.Cell { return kanon.Count(5, n) }
	items := []Item{
		{Text: "b", Answers: shown(9), Share: &Share{V: 0.5}},
		{Text: "a", Answers: shown(2), Share: &Share{Hidden: "fewer than 5"}},
		{Text: "c", Answers: shown(7), Share: &Share{V: 0.2}},
	}
	for _, tt := range []struct{ by, dir, want string }{
		{"share", "asc", "cba"}, {"share", "desc", "bca"}, {"answers", "asc", "cba"}, {"item", "desc", "cba"},
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

func TestRefusal(t *testing.T) {
	slices := []Slice{{Channel: "site", Mode: "quick", Completed: 20}, {Channel: "embed", Mode: "quick", Completed: 3}}
	tests := []struct {
		name string
		f    StatsFilter
		want string // a prefix; "" when the view is allowed
	}{
		{"unfiltered", StatsFilter{}, ""},
		{"too few", StatsFilter{Channel: "embed"}, "This selection holds fewer than 5"},
		{"leaves out a few", StatsFilter{Channel: "site"}, "This filter leaves out fewer than 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := refusal(5, tt.f, slices)
			if (tt.want == "") != (got == "") || !strings.HasPrefix(got, tt.want) {
				t.Errorf("refusal = %q, want %q…", got, tt.want)
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
	few, shown := kanon.Count(5, 3), kanon.Count(5, 12)
	r := &Report{Role: "r", Started: &shown, Submissions: &shown, ApplyClicks: &few,
		Steps: []Step{{Step: 1, Reached: shown, DropOff: &Share{V: 0.25}}, {Step: 2, Reached: shown}},
		Items: []Item{{ID: "a", Text: "=SUM(A1)", Kind: "skill", Answers: shown, Below: few, Meets: shown,
			Mean: &Share{Hidden: "hidden"}, Share: &Share{V: 0.6666}}}}
	tests := []struct {
		name, table string
		want        string
	}{
		{"funnel", "funnel", "stage,applicants,applicants_status,applicants_margin,drop_off_fraction,drop_off_status,drop_off_margin\n" +
			"Started,12,exact,,,,\nReached step 1,12,exact,,0.25,exact,\nReached step 2,12,exact,,,,\nCompleted,12,exact,,,,\nClicked apply,,fewer than 5,,,,\n"},
		{"requirements", "requirements", "a,'=SUM(A1),,,skill,12,exact,,,hidden,,0.667,exact,,,fewer than 5,,12,exact," + strings.Repeat(",", 15) + "\n"},
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
