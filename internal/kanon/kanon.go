// Package kanon is rolefit's one suppression layer: every figure the
// dashboard, its CSV files and the JSON API publish passes through it, so
// that no figure rests on fewer than k submissions and no hidden figure can
// be worked out from the visible ones.
//
// The model is a partition: a row of cells (counts of disjoint groups) and
// its total. A cell below k is hidden ("fewer than k", primary
// suppression). The total of a row is treated as known to the reader,
// because the same number is usually published elsewhere (the submissions
// headline, the number of answers to an item); so when the hidden cells of
// a row could be pinned down from the total, the visible cells and what a
// reader knows of the hidden ones (a primary cell is below k, a
// complementary one is not), more cells are hidden (complementary
// suppression, smallest first). Funnel counts that are not parts of a
// whole are single counts and only need the primary rule.
//
// The package is pure: it knows nothing of storage or HTTP.
package kanon

import (
	"encoding/json"
	"strconv"
)

// State says whether and why a figure is hidden.
type State uint8

// The states of a figure.
const (
	// Shown: the figure rests on at least k submissions and is published.
	Shown State = iota
	// Few: the figure rests on fewer than k submissions (primary).
	Few
	// Hidden: the figure is at least k but hidden so that a Few one
	// cannot be worked out from a total (complementary).
	Hidden
)

// Cell is one published count.
type Cell struct {
	// N is the true count. Never publish N when State is not Shown: use
	// Label, Value or the JSON form.
	N     int
	State State
	k     int
}

// Visible reports whether the count may be published.
func (c Cell) Visible() bool { return c.State == Shown }

// Value returns the count and true when it may be published.
func (c Cell) Value() (int, bool) {
	if c.State != Shown {
		return 0, false
	}
	return c.N, true
}

// Label is the cell as shown in pages and CSV: the number, "fewer than k"
// or "hidden".
func (c Cell) Label() string {
	switch c.State {
	case Few:
		return FewerThan(c.k)
	case Hidden:
		return HiddenLabel
	}
	return strconv.Itoa(c.N)
}

// MarshalJSON publishes the number, or the label of a hidden cell, so that
// the API says exactly what the pages say.
func (c Cell) MarshalJSON() ([]byte, error) {
	if c.State == Shown {
		return []byte(strconv.Itoa(c.N)), nil
	}
	return json.Marshal(c.Label())
}

// HiddenLabel marks a complementary-suppressed figure.
const HiddenLabel = "hidden"

// FewerThan is the label of a figure below k.
func FewerThan(k int) string { return "fewer than " + strconv.Itoa(k) }

// MinK is the smallest k rolefit accepts.
const MinK = 2

// Guard returns k, raised to MinK if it is smaller.
func Guard(k int) int {
	if k < MinK {
		return MinK
	}
	return k
}

// Count publishes a single count that is not part of a row.
func Count(k, n int) Cell {
	k = Guard(k)
	if n < k {
		return Cell{N: n, State: Few, k: k}
	}
	return Cell{N: n, State: Shown, k: k}
}

// Row is a published partition: cells and their total.
type Row struct {
	Cells []Cell
	Total Cell
}

// AnyHidden reports whether any cell is not shown.
func (r Row) AnyHidden() bool {
	for _, c := range r.Cells {
		if c.State != Shown {
			return true
		}
	}
	return r.Total.State != Shown
}

// Partition suppresses a row of disjoint counts whose sum is total.
func Partition(k int, cells []int) Row {
	k = Guard(k)
	total := 0
	for _, n := range cells {
		total += n
	}
	row := Row{Cells: make([]Cell, len(cells)), Total: Count(k, total)}
	for i, n := range cells {
		row.Cells[i] = Count(k, n)
	}
	if total < k {
		// Every cell is at most the total, so all are Few already.
		return row
	}
	for determined(row, k) >= 0 {
		i := smallestShown(row)
		if i < 0 {
			// Nothing left to hide: hide every cell without a bound, so
			// that no cell claims anything a reader could solve for.
			for j := range row.Cells {
				row.Cells[j].State = Hidden
			}
			break
		}
		row.Cells[i].State = Hidden
	}
	return row
}

func smallestShown(r Row) int {
	best := -1
	for i, c := range r.Cells {
		if c.State == Shown && (best < 0 || c.N < r.Cells[best].N) {
			best = i
		}
	}
	return best
}

// Bounds returns what a reader of a published row knows about each cell:
// its value if shown, [0, k-1] if Few, [k, total] if Hidden, or [0, total]
// when no cell of the row says Few (the fallback of Partition).
func Bounds(r Row, k int) (lo, hi []int) {
	k = Guard(k)
	total := r.Total.N
	anyFew := false
	for _, c := range r.Cells {
		anyFew = anyFew || c.State == Few
	}
	lo, hi = make([]int, len(r.Cells)), make([]int, len(r.Cells))
	for i, c := range r.Cells {
		switch {
		case c.State == Shown:
			lo[i], hi[i] = c.N, c.N
		case c.State == Few:
			lo[i], hi[i] = 0, k-1
		case anyFew:
			lo[i], hi[i] = k, total
		default:
			lo[i], hi[i] = 0, total
		}
	}
	return lo, hi
}

// determined returns the index of a hidden cell whose value a reader can
// work out from the total and the bounds of the others, or -1. With one
// equation (the sum) and box bounds, the values a cell can take are
// exactly the integers of an interval, so the check is exact.
func determined(r Row, k int) int {
	lo, hi := Bounds(r, k)
	sum := r.Total.N
	for i, c := range r.Cells {
		if c.State == Shown {
			continue
		}
		minV, maxV := Range(lo, hi, sum, i)
		if minV >= maxV {
			return i
		}
	}
	return -1
}

// Range returns the smallest and largest values cell i can take given the
// bounds of every cell and their sum.
func Range(lo, hi []int, sum, i int) (int, int) {
	restLo, restHi := 0, 0
	for j := range lo {
		if j != i {
			restLo += lo[j]
			restHi += hi[j]
		}
	}
	return max(lo[i], sum-restHi), min(hi[i], sum-restLo)
}

// Nested publishes a row whose cells fall into disjoint groups whose sums
// are published too (for instance an item's answers 0–4 split into "below
// expectation" and "meets it"). The group sums form a partition of the
// total; within a group whose sum is shown the cells are a partition of
// that sum; when the group sums are hidden, the cells are a partition of
// the total alone.
func Nested(k int, cells []int, groups [][]int) (row Row, sums Row) {
	k = Guard(k)
	gs := make([]int, len(groups))
	for g, idx := range groups {
		for _, i := range idx {
			gs[g] += cells[i]
		}
	}
	sums = Partition(k, gs)
	if sums.AnyHidden() {
		return Partition(k, cells), sums
	}
	row = Row{Cells: make([]Cell, len(cells)), Total: sums.Total}
	for _, idx := range groups {
		sub := make([]int, len(idx))
		for j, i := range idx {
			sub[j] = cells[i]
		}
		p := Partition(k, sub)
		for j, i := range idx {
			row.Cells[i] = p.Cells[j]
		}
	}
	return row, sums
}

// ViewAllowed reports whether a filtered view may be shown: it must rest
// on at least k submissions, and so must what each filter leaves out
// (unless it leaves out nobody), or else comparing the view with the
// unfiltered one would show a group smaller than k.
func ViewAllowed(k, n int, complements ...int) bool {
	k = Guard(k)
	if n < k {
		return false
	}
	for _, c := range complements {
		if c > 0 && c < k {
			return false
		}
	}
	return true
}

// Ratio is a share published only when both counts it rests on are shown.
type Ratio struct {
	Num, Den Cell
}

// Value returns num/den and true when it may be published.
func (r Ratio) Value() (float64, bool) {
	if !r.Num.Visible() || !r.Den.Visible() || r.Den.N == 0 {
		return 0, false
	}
	return float64(r.Num.N) / float64(r.Den.N), true
}
