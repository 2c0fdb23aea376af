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
