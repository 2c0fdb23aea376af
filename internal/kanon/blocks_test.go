package kanon

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// days builds one-group days from counts on consecutive days from
// 2026-08-01; a count of -1 is a day with no counter row at all (a gap).
func days(counts ...int) []DayCells {
	var out []DayCells
	for i, n := range counts {
		if n < 0 {
			continue
		}
		out = append(out, DayCells{Day: day(i), Cells: map[string]int{"": n}})
	}
	return out
}

func day(i int) string {
	return time.Date(2026, 8, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func TestBlocks(t *testing.T) {
	const k = 5
	tests := []struct {
		name   string
		counts []int
		want   []Block
	}{
		{"None", nil, nil},
		{"KMinus1Daily", []int{4, 4, 4, 4}, []Block{{day(0), day(1), 8}, {day(2), day(3), 8}}},
		{"KDaily", []int{5, 5, 5}, []Block{{day(0), day(0), 5}, {day(1), day(1), 5}, {day(2), day(2), 5}}},
		{"KPlus1Daily", []int{6, 6}, []Block{{day(0), day(0), 6}, {day(1), day(1), 6}}},
		{"TrailingPartial", []int{5, 2, 2}, []Block{{day(0), day(0), 5}}},
		{"OnlyPartial", []int{1, 1, 1, 1}, nil},
		{"OnesCutAtK", []int{1, 1, 1, 1, 1, 1}, []Block{{day(0), day(4), 5}}},
		// Days without rows, or with rows of zero after deletions, before
		// the first data do not start a block; gaps inside belong to the
		// block that spans them.
		{"LeadingEmpty", []int{-1, 0, 3, -1, -1, 2, 5}, []Block{{day(2), day(5), 5}, {day(6), day(6), 5}}},
		{"GapBetweenBlocks", []int{5, -1, -1, 0, 1, 4}, []Block{{day(0), day(0), 5}, {day(1), day(5), 5}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Blocks(k, days(tt.counts...), nil)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Blocks(%v) (-want +got):\n%s", tt.counts, diff)
			}
		})
	}
}

func TestBlocks_Groups(t *testing.T) {
	const k = 5
	d := func(i int, cells map[string]int) DayCells { return DayCells{Day: day(i), Cells: cells} }
	in := []DayCells{
		d(0, map[string]int{"site": 5}),             // embed empty: a cut is fine
		d(1, map[string]int{"site": 4, "embed": 2}), // embed 2: wait
		d(2, map[string]int{"site": 1, "embed": 2}), // embed 4: wait
		d(3, map[string]int{"embed": 1}),            // embed 5, site 5: cut
		d(4, map[string]int{"site": 9, "embed": 1}), // trailing
	}
	want := []Block{{day(0), day(0), 5}, {day(1), day(3), 10}}
	if diff := cmp.Diff(want, Blocks(k, in, nil)); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	// Cuts only where allowed: here only on day 3 and later.
	allowed := func(d string) bool { return d >= day(3) }
	want = []Block{{day(0), day(3), 15}}
	if diff := cmp.Diff(want, Blocks(k, in, allowed)); diff != "" {
		t.Errorf("allowed (-want +got):\n%s", diff)
	}
}

func TestSnap(t *testing.T) {
	blocks := []Block{{day(2), day(4), 5}, {day(5), day(5), 6}, {day(6), day(9), 7}}
	tests := []struct {
		name, from, to string
		want           Block
		wantOK         bool
	}{
		{"Exact", day(5), day(5), Block{day(5), day(5), 6}, true},
		{"WidenBoth", day(3), day(7), Block{day(2), day(9), 18}, true},
		{"BeforeFirst", day(0), day(4), Block{day(2), day(4), 5}, true},
		{"ToInTrailing", day(5), day(20), Block{day(5), day(9), 13}, true},
		{"OneDayInBlock", day(7), day(7), Block{day(6), day(9), 7}, true},
		{"AllBeforeData", day(0), day(1), Block{}, false},
		{"AllInTrailing", day(10), day(20), Block{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := Snap(blocks, tt.from, tt.to)
			if ok != tt.wantOK || got != tt.want {
				t.Errorf("Snap(%s, %s) = %v %v, want %v %v", tt.from, tt.to, got, ok, tt.want, tt.wantOK)
			}
		})
	}
	if _, ok := Snap(nil, day(0), day(9)); ok {
		t.Error("Snap with no block reported a range")
	}
}

// TestSnap_Differences is the property the blocks exist for: for random
// daily counts and random pairs of requested ranges, the days in one
// reported range and not the other hold no submission or at least k.
// It also runs the two-level case of filtered views (groups, cut only on
// the unfiltered cuts), where each group's difference must be 0 or ≥ k.
func TestSnap_Differences(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for trial := range 400 {
		k := 2 + rng.IntN(6)
		n := 1 + rng.IntN(60)
		var in []DayCells
		perDay := map[string]map[string]int{}
		for i := range n {
			if rng.IntN(5) == 0 {
				continue // no row that day
			}
			cells := map[string]int{}
			for _, g := range []string{"site|quick", "site|full", "embed|quick"} {
				if rng.IntN(3) > 0 {
					cells[g] = rng.IntN(k + 2)
				}
			}
			in = append(in, DayCells{Day: day(i), Cells: cells})
			perDay[day(i)] = cells
		}
		sum := func(from, to string, group string) int {
			s := 0
			for d, cells := range perDay {
				if d >= from && d <= to {
					for g, v := range cells {
						if group == "" || g == group {
							s += v
						}
					}
				}
			}
			return s
		}
		// Unfiltered blocks, then the filtered ones cut on them.
		var total []DayCells
		for _, d := range in {
			s := 0
			for _, v := range d.Cells {
				s += v
			}
			total = append(total, DayCells{Day: d.Day, Cells: map[string]int{"": s}})
		}
		unf := Blocks(k, total, nil)
		cuts := map[string]bool{}
		for _, b := range unf {
			cuts[b.To] = true
		}
		fil := Blocks(k, in, func(d string) bool { return cuts[d] })
		for _, b := range unf {
			if b.N < k || sum(b.From, b.To, "") != b.N {
				t.Fatalf("trial %d: block %v holds %d (k=%d)", trial, b, sum(b.From, b.To, ""), k)
			}
		}
		for _, c := range []struct {
			blocks []Block
			groups []string
		}{{unf, []string{""}}, {fil, []string{"site|quick", "site|full", "embed|quick"}}} {
			for range 30 {
				a, b := rng.IntN(n+4)-2, rng.IntN(n+4)-2
				c1, c2 := rng.IntN(n+4)-2, rng.IntN(n+4)-2
				r1, ok1 := Snap(c.blocks, day(min(a, b)), day(max(a, b)))
				r2, ok2 := Snap(c.blocks, day(min(c1, c2)), day(max(c1, c2)))
				if !ok1 || !ok2 {
					continue
				}
				for _, g := range c.groups {
					// Symmetric difference of two intervals: the parts of each
					// outside the other.
					diff := sum(r1.From, r1.To, g) + sum(r2.From, r2.To, g) - 2*overlap(r1, r2, g, sum)
					if diff != 0 && diff < k {
						t.Fatalf("trial %d k=%d group %q: %v and %v differ by %d submissions", trial, k, g, r1, r2, diff)
					}
				}
			}
		}
	}
}

func overlap(a, b Block, g string, sum func(from, to, group string) int) int {
	from, to := max(a.From, b.From), min(a.To, b.To)
	if from > to {
		return 0
	}
	return sum(from, to, g)
}

func ExampleSnap() {
	blocks := Blocks(5, days(3, 0, 2, 6, 1, 1), nil)
	r, ok := Snap(blocks, day(1), day(5))
	fmt.Println(blocks, r, ok)
	// Output: [{2026-08-01 2026-08-03 5} {2026-08-04 2026-08-04 6}] {2026-08-01 2026-08-04 11} true
}
