package report

import (
	"testing"

	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
)

// TestItemFigures_KindScales: each item's spread is named in the words
// its applicants answered in, not the skill scale for every kind.
func TestItemFigures_KindScales(t *testing.T) {
	r := &role.Role{Slug: "pm", Levels: []role.Level{{Slug: "senior", Title: "Senior", Requirements: []role.Item{
		{ID: "skill", Text: "Runs launches", Kind: role.KindSkill},
		{ID: "trait", Text: "Stays curious", Kind: role.KindTrait},
		{ID: "lang", Text: "Speaks German", Kind: role.KindLanguage},
	}}}}
	sel := cells{}
	for _, id := range []string{"skill", "trait", "lang"} {
		sel[release.Cell{Metric: release.Answers, Key: id}] = est{40, 1}
		sel[release.Cell{Metric: release.Answer, Key: id, Bucket: 3}] = est{40, 1}
	}
	want := map[string]string{"skill": "3 Proficient", "trait": "3 Usually", "lang": "3 C1 · Advanced"}
	items := itemFigures(5, r, sel)
	if len(items) != 3 {
		t.Fatalf("%d items, want 3", len(items))
	}
	for _, it := range items {
		if len(it.Spread) != 5 || it.Spread[3].Value != want[it.ID] {
			t.Errorf("%s: spread %v, want 5 points with %q at 3", it.ID, it.Spread, want[it.ID])
		}
	}
}
