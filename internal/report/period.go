package report

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rolefit/rolefit/internal/kanon"
)

// kBlocks returns the k-blocks a view of f is reported in. They depend
// on which dimensions f filters, never on the dates asked for.
//
// A view with no filter is cut on the role's completed checks per day. A
// filtered view could be combined with the unfiltered one and with other
// filters: (all, A) − (site, A) − (all, B) + (site, B) is the widget's
// checks over A∖B, and as the widget only runs the quick check, (site) +
// (quick) − (all) is the site's quick checks. So every filtered view of a
// role shares one set of blocks, cut only where the unfiltered blocks are
// cut, at the first such day on which every channel × check group since
// the previous cut holds none or at least k. Then each filtered period is
// also an unfiltered one, and any sum or difference of views over such
// periods counts whole groups of none or at least k. A version filter
// adds the version to the groups (its blocks are cut only where the
// channel × check ones are), so that an old version's last few
// stragglers hold up version-filtered views only. The price is that a
// group that stays between 1 and k-1 (two widget checks, then no more)
// holds filtered views back until it grows; the unfiltered view is never
// held back.
func kBlocks(ctx context.Context, st Store, k int, f StatsFilter) ([]kanon.Block, error) {
	rows, err := st.DailyCompleted(ctx, f.Role)
	if err != nil {
		return nil, err
	}
	group := func(key func(DayCompleted) string) []kanon.DayCells {
		var out []kanon.DayCells
		for _, r := range rows {
			if len(out) == 0 || out[len(out)-1].Day != r.Day {
				out = append(out, kanon.DayCells{Day: r.Day, Cells: map[string]int{}})
			}
			out[len(out)-1].Cells[key(r)] += r.Completed
		}
		return out
	}
	cutsOf := func(blocks []kanon.Block) func(string) bool {
		cuts := make(map[string]bool, len(blocks))
		for _, b := range blocks {
			cuts[b.To] = true
		}
		return func(day string) bool { return cuts[day] }
	}
	blocks := kanon.Blocks(k, group(func(DayCompleted) string { return "" }), nil)
	if !f.filtered() {
		return blocks, nil
	}
	blocks = kanon.Blocks(k, group(func(r DayCompleted) string { return r.Channel + "|" + r.Mode }), cutsOf(blocks))
	if f.VersionID == 0 {
		return blocks, nil
	}
	return kanon.Blocks(k, group(func(r DayCompleted) string {
		return r.Channel + "|" + r.Mode + "|" + strconv.FormatInt(r.VersionID, 10)
	}), cutsOf(blocks)), nil
}

// snapPeriod snaps the dates of f to whole k-blocks. ok is false when no
// complete block lies in them; the note says so, or which period the
// figures cover.
func snapPeriod(k int, f StatsFilter, blocks []kanon.Block) (p Period, in []kanon.Block, ok bool) {
	p.Requested = DateRange{From: f.From, To: f.To}
	filtered := f.filtered()
	got, ok := kanon.Snap(blocks, f.From, f.To)
	if !ok {
		p.Note = fmt.Sprintf("No group of at least %d completed checks is complete between %s yet, so no figure can be shown without singling someone out. Widen the dates.",
			k, SpanWords(f.From, f.To, " and "))
		if filtered {
			p.Note = fmt.Sprintf("No group in which every channel and check holds at least %d completed checks or none is complete between %s yet, so no filtered figure can be shown without singling someone out. Widen the dates or remove the filters.",
				k, SpanWords(f.From, f.To, " and "))
		}
		return p, nil, false
	}
	p.Reported = &DateRange{From: got.From, To: got.To}
	p.Note = fmt.Sprintf("Figures are reported for whole groups of at least %d applicants, so the period runs %s.", k, SpanWords(got.From, got.To, " – "))
	if filtered {
		p.Note = fmt.Sprintf("Filtered figures are reported for whole groups in which every channel and check holds at least %d applicants or none, so the period runs %s.",
			k, SpanWords(got.From, got.To, " – "))
	}
	for _, b := range blocks {
		if b.From >= got.From && b.To <= got.To {
			in = append(in, b)
		}
	}
	return p, in, true
}

// SpanWords writes a date range as "3 Aug – 27 Sep 2026", with the year
// once when both dates share it.
func SpanWords(from, to, sep string) string {
	a, errA := time.Parse(time.DateOnly, from)
	b, errB := time.Parse(time.DateOnly, to)
	if errA != nil || errB != nil {
		return from + sep + to
	}
	if a.Year() == b.Year() {
		return a.Format("2 Jan") + sep + b.Format("2 Jan 2006")
	}
	return a.Format("2 Jan 2006") + sep + b.Format("2 Jan 2006")
}

// Headline is a role's funnel totals for the dashboard's list of roles.
type Headline struct {
	Role string
	// Reported is the period the figures cover, nil when no complete
	// k-block lies in the one asked for (and the figures are zero).
	Reported                          *DateRange
	Submissions, Started, ApplyClicks kanon.Cell
	Completion                        *Share
}

// Headlines reads each role's totals over from–to, each snapped to the
// role's own k-blocks as its report is; roles whose periods agree share
// one read.
func Headlines(ctx context.Context, st Store, k int, roles []string, from, to string) ([]Headline, error) {
	k = kanon.Guard(k)
	sums := map[DateRange]map[string]RoleSummary{}
	out := make([]Headline, 0, len(roles))
	for _, slug := range roles {
		f := StatsFilter{Role: slug, From: from, To: to}
		blocks, err := kBlocks(ctx, st, k, f)
		if err != nil {
			return nil, err
		}
		h := Headline{Role: slug}
		p, _, ok := snapPeriod(k, f, blocks)
		if !ok {
			out = append(out, h)
			continue
		}
		rng := *p.Reported
		if sums[rng] == nil {
			if sums[rng], err = st.RoleSummaries(ctx, rng.From, rng.To); err != nil {
				return nil, err
			}
		}
		sm := sums[rng][slug]
		h.Reported = &rng
		h.Submissions, h.Started, h.ApplyClicks = kanon.Count(k, sm.Completed), kanon.Count(k, sm.Started), kanon.Count(k, sm.Apply)
		h.Completion = ratio(k, h.Submissions, h.Started)
		out = append(out, h)
	}
	return out, nil
}
