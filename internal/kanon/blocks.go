package kanon

import "time"

// Dates: a free date range is a differencing attack. If [1 Aug, Tue] and
// [1 Aug, Mon] were both published, their difference would be Tuesday's
// submissions alone, perhaps one person's answers. So the dashboard reports
// a range only as a union of k-blocks: consecutive day ranges cut from the
// daily completed counts so that each holds at least k submissions. Any two
// reportable ranges then differ by whole blocks. The last, incomplete
// block is withheld, so new submissions appear in groups of at least k,
// which also defeats comparing the page before and after one submission.
//
// Blocks are anchored at the first day with data and cut walking forward,
// so they do not move with the requested range, and they are computed from
// the daily counters alone (O(days)).
//
// Purges delete submission rows but keep the counters, so blocks do not
// change. Deletions ("delete my answers") lower a day's counter, and the
// blocks are recomputed from the live counts: a block that falls to k-1
// merges with the next one, moving later cuts. We keep the live counts on
// purpose: cutting on counts that include deleted submissions would keep
// cuts still but could leave a published block with fewer than k
// submissions in it. The price is that comparing snapshots across a
// deletion can show the deleted submission mixed with fewer than k later
// ones; it needs a deletion to happen between the two looks.

// DayCells is one day's completed submissions, split into disjoint groups
// (for instance channel × check); a view with no filter uses one group.
type DayCells struct {
	Day   string // YYYY-MM-DD
	Cells map[string]int
}

// Block is a run of whole days, From to To inclusive, holding N
// submissions.
type Block struct {
	From, To string
	N        int
}

// Blocks cuts days (in date order) into complete k-blocks: a block ends
// on the first day, among those allowed (every day when allowed is nil),
// on which every group counted since the previous cut holds none or at
// least k and the groups together hold at least k. The first block starts
// on the first day with data, each later one the day after the previous
// ends. The trailing days that complete no block are not returned.
func Blocks(k int, days []DayCells, allowed func(day string) bool) []Block {
	k = Guard(k)
	var out []Block
	run := map[string]int{}
	total := 0
	start := ""
	for _, d := range days {
		n := 0
		for key, v := range d.Cells {
			run[key] += v
			n += v
		}
		total += n
		if start == "" {
			if total <= 0 {
				// Days before the first with data belong to no block.
				total = 0
				clear(run)
				continue
			}
			start = d.Day
		}
		if total < k || (allowed != nil && !allowed(d.Day)) {
			continue
		}
		ok := true
		for _, v := range run {
			if v != 0 && v < k {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		out = append(out, Block{From: start, To: d.Day, N: total})
		clear(run)
		total = 0
		start = nextDay(d.Day)
	}
	return out
}

func nextDay(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return t.AddDate(0, 0, 1).Format(time.DateOnly)
}

// Snap returns the union of complete blocks that covers from..to as far
// as it can: from moves back to the start of the block holding it (or to
// the first block, when it is earlier), and to moves forward to the end of
// the block holding it when that block is complete, else back to the end
// of the last complete block. Widening rather than narrowing keeps every
// requested day in the figures where possible; the trailing incomplete
// block is never included. ok is false when no complete block meets the
// range.
func Snap(blocks []Block, from, to string) (Block, bool) {
	i := -1
	for n, b := range blocks {
		if b.To >= from {
			i = n
			break
		}
	}
	j := -1
	for n := len(blocks) - 1; n >= 0; n-- {
		if blocks[n].From <= to {
			j = n
			break
		}
	}
	if i < 0 || j < i {
		return Block{}, false
	}
	out := Block{From: blocks[i].From, To: blocks[j].To}
	for _, b := range blocks[i : j+1] {
		out.N += b.N
	}
	return out, true
}
