package kanon

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

func TestCount(t *testing.T) {
	const k = 5
	tests := []struct {
		name      string
		n         int
		wantShown bool
		wantLabel string
	}{
		{"Zero", 0, false, "fewer than 5"},
		{"KMinus1", k - 1, false, "fewer than 5"},
		{"K", k, true, "5"},
		{"KPlus1", k + 1, true, "6"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := Count(k, tt.n)
			if c.Visible() != tt.wantShown || c.Label() != tt.wantLabel {
				t.Errorf("Count(%d, %d) = %v %q, want %v %q", k, tt.n, c.Visible(), c.Label(), tt.wantShown, tt.wantLabel)
			}
			b, _ := json.Marshal(c)
			want := `"fewer than 5"`
			if tt.wantShown {
				want = tt.wantLabel
			}
			if string(b) != want {
				t.Errorf("JSON %s, want %s", b, want)
			}
		})
	}
}

func TestGuard(t *testing.T) {
	if Count(1, 1).Visible() {
		t.Error("k=1 published a single submission; k must never fall below 2")
	}
	if Count(0, 1).Label() != "fewer than 2" {
		t.Errorf("label %q", Count(0, 1).Label())
	}
}

func states(r Row) []State {
	out := make([]State, len(r.Cells))
	for i, c := range r.Cells {
		out[i] = c.State
	}
	return out
}

func TestPartition(t *testing.T) {
	const k = 5
	tests := []struct {
		name      string
		cells     []int
		want      []State
		wantTotal State
	}{
		{"AllAtK", []int{k, k, k}, []State{Shown, Shown, Shown}, Shown},
		{"AllAtKPlus1", []int{k + 1, k + 1}, []State{Shown, Shown}, Shown},
		// One cell at k-1: the total would give it away, so the next
		// smallest is hidden too.
		{"OneAtKMinus1", []int{k - 1, k + 3, k + 1, 20}, []State{Few, Shown, Hidden, Shown}, Shown},
		{"TwoBelowK", []int{1, 2, 30, 40}, []State{Few, Few, Shown, Shown}, Shown},
		// Two Few cells that the total pins (0 + 0): the smallest shown
		// cell must go too.
		{"ZerosPinned", []int{0, 0, 30}, []State{Few, Few, Hidden}, Shown},
		{"TotalBelowK", []int{1, 2, 1}, []State{Few, Few, Few}, Few},
		{"TotalAtKMinus1", []int{k - 1}, []State{Few}, Few},
		{"TotalAtK", []int{0, k}, []State{Hidden, Hidden}, Shown},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := Partition(k, tt.cells)
			got := states(r)
			for i := range got {
				if got[i] != tt.want[i] {
					t.Fatalf("states %v, want %v", got, tt.want)
				}
			}
			if r.Total.State != tt.wantTotal {
				t.Errorf("total state %v, want %v", r.Total.State, tt.wantTotal)
			}
			assertSafe(t, r, k)
		})
	}
}

// assertSafe checks, by enumerating every row a reader could believe in,
// that each hidden cell can take at least two values given the total, the
// visible cells and the bounds the labels state.
func assertSafe(t *testing.T, r Row, k int) {
	t.Helper()
	if r.Total.State != Shown {
		for _, c := range r.Cells {
			if c.State == Shown {
				t.Fatalf("total hidden but a cell shown: %+v", r)
			}
		}
		return
	}
	lo, hi := Bounds(r, k)
	seen := make([]map[int]bool, len(r.Cells))
	for i := range seen {
		seen[i] = map[int]bool{}
	}
	vals := make([]int, len(r.Cells))
	var walk func(i, left int)
	walk = func(i, left int) {
		if i == len(vals)-1 {
			if left < lo[i] || left > hi[i] {
				return
			}
			vals[i] = left
			for j, v := range vals {
				seen[j][v] = true
			}
			return
		}
		for v := lo[i]; v <= hi[i] && v <= left; v++ {
			vals[i] = v
			walk(i+1, left-v)
		}
	}
	walk(0, r.Total.N)
	for i, c := range r.Cells {
		if !seen[i][c.N] {
			t.Fatalf("cell %d (%d) not among the rows a reader could believe: %+v", i, c.N, r)
		}
		if c.State != Shown && len(seen[i]) < 2 {
			t.Fatalf("hidden cell %d (%d) can be worked out: row %+v", i, c.N, r)
		}
	}
}

// TestPartitionProperty: for random rows around k, no hidden cell can be
// recovered, and every cell below k is hidden.
func TestPartitionProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{2, 3, 5} {
		for range 3000 {
			cells := make([]int, 1+rng.IntN(5))
			for i := range cells {
				cells[i] = rng.IntN(3 * k)
			}
			r := Partition(k, cells)
			for i, c := range r.Cells {
				if c.N != cells[i] {
					t.Fatalf("cell changed")
				}
				if c.N < k && c.State == Shown {
					t.Fatalf("k=%d: cell %d below k shown: %v", k, c.N, cells)
				}
			}
			assertSafe(t, r, k)
		}
	}
}

func TestNested(t *testing.T) {
	const k = 5
	// Ratings 0–4; 0–2 are below the bar, 3–4 meet it.
	groups := [][]int{{0, 1, 2}, {3, 4}}
	t.Run("GroupsShown", func(t *testing.T) {
		row, sums := Nested(k, []int{1, 10, 10, 20, 6}, groups)
		if sums.AnyHidden() {
			t.Fatalf("sums hidden: %+v", sums)
		}
		want := []State{Few, Hidden, Shown, Shown, Shown}
		for i, s := range states(row) {
			if s != want[i] {
				t.Fatalf("states %v, want %v", states(row), want)
			}
		}
	})
	t.Run("GroupBelowK", func(t *testing.T) {
		row, sums := Nested(k, []int{10, 10, 10, 3, 1}, groups)
		if !sums.Cells[1].Visible() && sums.Cells[0].Visible() {
			t.Fatal("the other group sum would give away the small one")
		}
		if sums.Cells[0].Visible() || sums.Cells[1].Visible() {
			t.Fatalf("sums %+v", sums)
		}
		assertSafe(t, row, k)
	})
	t.Run("Property", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for range 2000 {
			cells := make([]int, 5)
			for i := range cells {
				cells[i] = rng.IntN(12)
			}
			row, sums := Nested(k, cells, groups)
			assertSafe(t, sums, k)
			if sums.AnyHidden() {
				assertSafe(t, row, k)
				continue
			}
			for g, idx := range groups {
				sub := Row{Total: sums.Cells[g]}
				for _, i := range idx {
					sub.Cells = append(sub.Cells, row.Cells[i])
				}
				assertSafe(t, sub, k)
			}
		}
	})
}

func TestViewAllowed(t *testing.T) {
	const k = 5
	tests := []struct {
		name        string
		n           int
		complements []int
		want        bool
	}{
		{"KMinus1", k - 1, nil, false},
		{"K", k, nil, true},
		{"KPlus1", k + 1, nil, true},
		{"ComplementBelowK", 20, []int{k - 1}, false},
		{"ComplementZero", 20, []int{0}, true},
		{"ComplementK", 20, []int{k}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ViewAllowed(k, tt.n, tt.complements...); got != tt.want {
				t.Errorf("ViewAllowed(%d, %d, %v) = %v", k, tt.n, tt.complements, got)
			}
		})
	}
}

func TestRatio(t *testing.T) {
	if _, ok := (Ratio{Count(5, 4), Count(5, 10)}).Value(); ok {
		t.Error("a share resting on 4 was published")
	}
	if v, ok := (Ratio{Count(5, 5), Count(5, 10)}).Value(); !ok || v != 0.5 {
		t.Errorf("got %v %v", v, ok)
	}
}
