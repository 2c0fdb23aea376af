package release

import (
	"math/bits"
	"testing"
	"time"
)

// TestCover: for every range of up to three years in a window, the cover
// tiles it exactly, in order, with aligned power-of-two nodes, and uses at
// most two nodes per level.
func TestCover(t *testing.T) {
	start, _ := dayNumber("2025-12-20")
	for a := start; a < start+40; a += 3 {
		for length := 1; length <= 3*366; length = length*3/2 + 1 {
			from, to := dayString(a), dayString(a+length-1)
			nodes := Cover(from, to)
			next := a
			for _, n := range nodes {
				d, err := dayNumber(n.Start)
				if err != nil || d != next {
					t.Fatalf("Cover(%s, %s): node %v does not start at day %d", from, to, n, next)
				}
				if bits.OnesCount(uint(n.Days)) != 1 || d%n.Days != 0 || n.Days > 1<<MaxLevel {
					t.Fatalf("Cover(%s, %s): node %v is not an aligned power of two", from, to, n)
				}
				next += n.Days
			}
			if next != a+length {
				t.Fatalf("Cover(%s, %s) ends at day %d, want %d", from, to, next, a+length)
			}
			if limit := 2*(MaxLevel+1) + length>>MaxLevel; len(nodes) > limit {
				t.Errorf("Cover(%s, %s): %d nodes, more than %d", from, to, len(nodes), limit)
			}
		}
	}
	if got := Cover("2026-11-02", "2026-11-01"); got != nil {
		t.Errorf("an empty range: %v", got)
	}
	if got := Cover("x", "2026-11-01"); got != nil {
		t.Errorf("not a date: %v", got)
	}
}

// TestDue: every node of every cover of closed days after the first is
// due, and no due node reaches a day that is not over.
func TestDue(t *testing.T) {
	const first, last = "2026-10-03", "2026-11-19"
	due := map[Node]bool{}
	for _, n := range Due(first, last) {
		if n.End() > last || n.End() < first {
			t.Errorf("node %v is due but ends outside %s – %s", n, first, last)
		}
		due[n] = true
	}
	a, _ := dayNumber(first)
	b, _ := dayNumber(last)
	for from := a; from <= b; from++ {
		for to := from; to <= b; to += 5 {
			for _, n := range Cover(dayString(from), dayString(to)) {
				if !due[n] {
					t.Fatalf("node %v of the cover of %s – %s is not due", n, dayString(from), dayString(to))
				}
			}
		}
	}
}

func TestLastClosed(t *testing.T) {
	now := time.Date(2026, 11, 20, 0, 0, 1, 0, time.FixedZone("CET", 3600))
	if got := LastClosed(now); got != "2026-11-18" {
		t.Errorf("LastClosed(%v) = %s, want 2026-11-18 (it is still the 19th in UTC)", now, got)
	}
}
