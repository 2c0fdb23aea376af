package sqlite

import (
	"context"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestRoleStats_KeptSums: the sums kept for days that are over always
// equal a fresh read, through submissions today, submissions that land on
// a past day and deletions of past submissions, and a new day moves the
// line between kept and read.
func TestRoleStats_KeptSums(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	now := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	d.Now = func() time.Time { return now }
	rng := rand.New(rand.NewPCG(3, 4))
	f := StatsFilter{Role: "pm", From: "2026-01-01", To: "2026-12-31"}
	check := func(when string) {
		t.Helper()
		got, err := d.RoleStats(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		want, err := d.roleStats(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%s: kept sums differ from a fresh read (-want +got):\n%s", when, diff)
		}
		gotSlices, err := d.RoleSlices(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		wantSlices, err := d.roleSlices(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		if !cmp.Equal(count(wantSlices), count(gotSlices)) {
			t.Fatalf("%s: slices %v, want %v", when, gotSlices, wantSlices)
		}
		gotDaily, err := d.DailyCompleted(ctx, f.Role)
		if err != nil {
			t.Fatal(err)
		}
		wantDaily, err := d.dailyCompleted(ctx, f.Role, "0000-01-01", "9999-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(wantDaily, gotDaily); diff != "" {
			t.Fatalf("%s: daily counts differ from a fresh read (-want +got):\n%s", when, diff)
		}
	}
	var past []*Submission
	for i := range 40 {
		s := randomSubmission(rng, i, vid) // days in January and February
		if s.Day > "2026-02-19" {
			s.Day = "2026-02-19"
		}
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		past = append(past, s)
	}
	check("past days")
	check("past days, read again")

	today := randomSubmission(rng, 100, vid)
	today.Day = "2026-02-20"
	if err := d.CreateSubmission(ctx, today); err != nil {
		t.Fatal(err)
	}
	check("a submission today")

	late := randomSubmission(rng, 101, vid)
	late.Day = "2026-02-10" // committed after its day was over
	if err := d.CreateSubmission(ctx, late); err != nil {
		t.Fatal(err)
	}
	check("a submission on a past day")

	if err := d.DeleteSubmission(ctx, past[3].TokenHash); err != nil {
		t.Fatal(err)
	}
	check("a past submission deleted")

	now = now.AddDate(0, 0, 1)
	check("the next day")
	if err := d.RecordEvent(ctx, Event{Day: "2026-02-20", RoleSlug: "pm", VersionID: vid, Channel: "site", Mode: "quick", Name: MetricStarted}); err != nil {
		t.Fatal(err)
	}
	check("an event on yesterday")
}

// count maps slices to their counts, so that order does not matter.
func count(s []Slice) map[Slice]int {
	out := map[Slice]int{}
	for _, x := range s {
		n := x.Completed
		x.Completed = 0
		out[x] += n
	}
	return out
}
