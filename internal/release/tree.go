// Package release publishes a role's aggregate figures once, from days
// that are over, with differential-privacy noise drawn once per figure.
//
// The days are cut into a tree of dyadic intervals ("nodes"): single days,
// aligned pairs, aligned runs of 4, 8, … up to 2^MaxLevel days, counted
// from 1970-01-01. A node is released once its last day is over (UTC): its
// true counts are read from the counters, noise is added to every cell of
// its domain (zero or not) and the noisy values are stored for good. A
// period is then the sum of the few nodes that tile it, O(log n) of them,
// so its noise grows with the logarithm of its length, not with the days.
// Deletions, purges and late writes change the counters only: a released
// node never changes, so no published figure moves and no difference of
// two periods isolates anyone below the noise.
package release

import (
	"fmt"
	"time"
)

// MaxLevel is the top of the tree: the largest node spans 2^MaxLevel
// (512) days, so a three-year period is tiled by at most about 20 nodes.
const MaxLevel = 9

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// Node is a released interval: Days days (a power of two) from Start, a
// UTC date, YYYY-MM-DD, whose day number is a multiple of Days.
type Node struct {
	Start string
	Days  int
}

// End is the node's last day.
func (n Node) End() string {
	d, err := dayNumber(n.Start)
	if err != nil {
		return n.Start
	}
	return dayString(d + n.Days - 1)
}

func (n Node) String() string { return fmt.Sprintf("%s+%d", n.Start, n.Days) }

func dayNumber(s string) (int, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, err
	}
	return int(t.Sub(epoch).Hours() / 24), nil
}

func dayString(d int) string { return epoch.AddDate(0, 0, d).Format(time.DateOnly) }

// Cover returns the fewest nodes that tile the days from–to (inclusive),
// in date order; nil when the range is empty or not made of dates.
func Cover(from, to string) []Node {
	a, errA := dayNumber(from)
	b, errB := dayNumber(to)
	if errA != nil || errB != nil || a > b {
		return nil
	}
	var out []Node
	for a <= b {
		size := 1
		// Grow while the node stays aligned and inside the range.
		for size < 1<<MaxLevel && a%(size*2) == 0 && a+size*2-1 <= b {
			size *= 2
		}
		out = append(out, Node{Start: dayString(a), Days: size})
		a += size
	}
	return out
}

// Due returns every node that may be released once the days up to
// lastClosed are over and releases start at first: each node of each
// level that ends between first and lastClosed. Every node of a Cover
// of days within first–lastClosed is among them.
func Due(first, lastClosed string) []Node {
	a, errA := dayNumber(first)
	b, errB := dayNumber(lastClosed)
	if errA != nil || errB != nil || a > b {
		return nil
	}
	var out []Node
	for lvl := 0; lvl <= MaxLevel; lvl++ {
		size := 1 << lvl
		for s := a - a%size; s+size-1 <= b; s += size {
			out = append(out, Node{Start: dayString(s), Days: size})
		}
	}
	return out
}

// LastClosed is the last day that is over at now: yesterday, UTC.
func LastClosed(now time.Time) string {
	return now.UTC().AddDate(0, 0, -1).Format(time.DateOnly)
}
