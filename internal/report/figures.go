package report

import (
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/rolefit/rolefit/internal/kanon"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/score"
)

func levelFigures(k int, r *role.Role, st *RoleStats) []Level {
	type lv struct{ slug, title string }
	var levels []lv
	seen := map[string]bool{}
	for _, l := range score.Ladder(r) {
		levels = append(levels, lv{l.Slug, l.Title})
		seen[l.Slug] = true
	}
	// Levels of older versions that the counters still hold.
	var extra []string
	for slug := range st.Recommended {
		if !seen[slug] {
			extra = append(extra, slug)
			seen[slug] = true
		}
	}
	for slug := range st.Fits {
		if !seen[slug] {
			extra = append(extra, slug)
			seen[slug] = true
		}
	}
	sort.Strings(extra)
	for _, slug := range extra {
		title := slug
		if slug == "" {
			title = "No level assessed"
		}
		levels = append(levels, lv{slug, title})
	}
	counts := make([]int, len(levels))
	for i, l := range levels {
		counts[i] = st.Recommended[l.slug]
	}
	rec := kanon.Partition(k, counts)
	var out []Level
	for i, l := range levels {
		bands := st.Fits[l.slug]
		if bands == nil {
			bands = make([]int, FitBands)
		}
		hist := kanon.Partition(k, bands)
		if l.slug == "" && counts[i] == 0 {
			continue
		}
		out = append(out, Level{Slug: l.slug, Title: l.title, Recommended: rec.Cells[i], Assessed: hist.Total, Fits: hist.Cells})
	}
	return out
}

// weekFigures counts each k-block in the week it ends, not each day in
// its own week: a week cut by the edge of one period and whole in another
// would otherwise tell the days between the edge and the week's end apart.
func weekFigures(k int, f StatsFilter, blocks []kanon.Block, daily []DayCounts) []Week {
	from, _ := time.Parse(time.DateOnly, f.From)
	to, _ := time.Parse(time.DateOnly, f.To)
	monday := func(t time.Time) time.Time { return t.AddDate(0, 0, -((int(t.Weekday()) + 6) % 7)) }
	var weeks []string
	for w := monday(from); !w.After(to); w = w.AddDate(0, 0, 7) {
		weeks = append(weeks, w.Format(time.DateOnly))
	}
	idx := map[string]int{}
	for i, w := range weeks {
		idx[w] = i
	}
	started, completed, apply := make([]int, len(weeks)), make([]int, len(weeks)), make([]int, len(weeks))
	b := 0
	for _, d := range daily {
		for b < len(blocks) && blocks[b].To < d.Day {
			b++
		}
		if b == len(blocks) || d.Day < blocks[b].From {
			continue
		}
		t, err := time.Parse(time.DateOnly, blocks[b].To)
		if err != nil {
			continue
		}
		i, ok := idx[monday(t).Format(time.DateOnly)]
		if !ok {
			continue
		}
		started[i] += d.Started
		completed[i] += d.Completed
		apply[i] += d.Apply
	}
	// Each column is a partition of its headline total, which is shown.
	ps, pc, pa := kanon.Partition(k, started), kanon.Partition(k, completed), kanon.Partition(k, apply)
	out := make([]Week, len(weeks))
	for i, w := range weeks {
		out[i] = Week{Week: w, Started: ps.Cells[i], Completed: pc.Cells[i], ApplyClicks: pa.Cells[i]}
	}
	return out
}

var ratingNames = []string{"0 Not yet", "1 Aware", "2 Practised", "3 Proficient", "4 Expert"}

// Items lists every item of a role once, with where it is owned.
func Items(r *role.Role) []Item {
	var out []Item
	seen := map[string]bool{}
	add := func(items []role.Item, level string, sec role.Section) {
		for _, it := range items {
			if seen[it.ID] {
				continue
			}
			seen[it.ID] = true
			out = append(out, Item{ID: it.ID, Text: it.Text, Level: level, Section: string(sec), Kind: string(it.Kind), MinYears: it.MinYears})
		}
	}
	for _, sec := range role.Sections {
		add(r.Family.Items(sec), "Every level", sec)
		for _, l := range score.Ladder(r) {
			add(l.Items(sec), l.Title, sec)
		}
		for i := range r.Specialties {
			add(r.Specialties[i].Items(sec), "Specialty: "+r.Specialties[i].Name, sec)
		}
	}
	return out
}

func itemFigures(k int, r *role.Role, st *RoleStats) []Item {
	items := Items(r)
	for i := range items {
		it := &items[i]
		b := st.Answers[it.ID]
		if b == nil {
			b = make([]int, MaxAnswerBucket+1)
		}
		var names []string
		var cells []int
		var groups [][]int
		sum, weighted := 0, 0
		for v, n := range b {
			sum += n
			weighted += v * n
		}
		switch role.Kind(it.Kind) {
		case role.KindExperience:
			bar := int(math.Ceil(it.MinYears))
			below := 0
			for v := 0; v < bar && v < len(b); v++ {
				below += b[v]
			}
			names = []string{fmt.Sprintf("under %d years", bar), fmt.Sprintf("%d years or more", bar)}
			cells, groups = []int{below, sum - below}, [][]int{{0}, {1}}
		case role.KindFact:
			names = []string{"no", "yes"}
			cells, groups = []int{b[0], sum - b[0]}, [][]int{{0}, {1}}
		default:
			names = ratingNames
			cells = []int{b[0], b[1], b[2], b[3], sum - b[0] - b[1] - b[2] - b[3]}
			groups = [][]int{{0, 1, 2}, {3, 4}}
		}
		row, sums := kanon.Nested(k, cells, groups)
		it.Answers = row.Total
		it.Below, it.Meets = sums.Cells[0], sums.Cells[1]
		for j, name := range names {
			it.Spread = append(it.Spread, Spread{Value: name, N: row.Cells[j]})
		}
		it.Share = ratio(k, it.Meets, it.Answers)
		// The mean adds an equation over the cells: publish it only when
		// every cell is shown, so it cannot pin a hidden one down. It is
		// labelled by its own base, the item's answers: "fewer than k" for
		// a mean of 4 on a 0–4 scale would read like a value.
		switch {
		case role.Kind(it.Kind) == role.KindFact:
		case row.AnyHidden():
			it.Mean = &Share{Hidden: hiddenLabel(k, row.Total)}
		default:
			it.Mean = &Share{V: float64(weighted) / float64(sum)}
		}
	}
	return items
}

// SortItems orders the requirements table. Hidden values sort last.
func SortItems(items []Item, by, dir string) {
	key := func(it Item) (float64, bool) {
		switch by {
		case "mean":
			if it.Mean != nil && it.Mean.Hidden == "" {
				return it.Mean.V, true
			}
		case "answers":
			if v, ok := it.Answers.Value(); ok {
				return float64(v), true
			}
		default:
			if it.Share != nil && it.Share.Hidden == "" {
				return it.Share.V, true
			}
		}
		return 0, false
	}
	sort.SliceStable(items, func(i, j int) bool {
		if by == "level" && items[i].Level != items[j].Level {
			if dir == "desc" {
				return items[i].Level > items[j].Level
			}
			return items[i].Level < items[j].Level
		}
		if by == "item" || by == "level" {
			if dir == "desc" {
				return items[i].Text > items[j].Text
			}
			return items[i].Text < items[j].Text
		}
		a, aok := key(items[i])
		b, bok := key(items[j])
		if aok != bok {
			return aok
		}
		if a != b {
			if dir == "desc" {
				return a > b
			}
			return a < b
		}
		return items[i].Text < items[j].Text
	})
}
