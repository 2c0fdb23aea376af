package storage_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

func TestSubmissionStore_Create(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		hash := tokenHash("token")
		s := &submission.Submission{TokenHash: hash, RoleSlug: "pm", VersionID: vid, Mode: "full", Channel: "site",
			Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3, "bbbbbbbbbb": 2.5, "cccccccccc": 0},
			Fits: map[string]float64{"intermediate": 87.54, "senior": 61.21}, Recommended: "intermediate"}

		t.Run("OK", func(t *testing.T) {
			if err := st.CreateSubmission(ctx, s); err != nil {
				t.Fatal(err)
			}
			if s.ID == 0 {
				t.Error("no id set")
			}
			got, err := st.FindSubmission(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			// Fits are kept to one decimal: a result needs no more.
			want := *s
			want.Fits = map[string]float64{"intermediate": 87.5, "senior": 61.2}
			if diff := cmp.Diff(&want, got); diff != "" {
				t.Errorf("stored submission differs (-want +got):\n%s", diff)
			}
		})
		t.Run("Widget", func(t *testing.T) {
			w := &submission.Submission{TokenHash: tokenHash("widget"), RoleSlug: "pm", VersionID: vid, Mode: "quick",
				Channel: "embed", EmbedHost: "jobs.example.com", Specialty: "growth", Day: "2026-11-30",
				Answers: map[string]float64{"aaaaaaaaaa": 4}, Fits: map[string]float64{"intermediate": 100}, Recommended: "intermediate"}
			if err := st.CreateSubmission(ctx, w); err != nil {
				t.Fatal(err)
			}
			got, err := st.FindSubmission(ctx, w.TokenHash)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(w, got); diff != "" {
				t.Errorf("stored widget submission differs (-want +got):\n%s", diff)
			}
			if err := st.DeleteSubmission(ctx, w.TokenHash); err != nil {
				t.Fatal(err)
			}
		})
		t.Run("ErrDuplicateToken", func(t *testing.T) {
			dup := *s
			if err := st.CreateSubmission(ctx, &dup); err == nil {
				t.Fatal("a second submission with the same token hash was stored")
			}
			if n, _ := st.CountSubmissions(ctx, "pm"); n != 1 {
				t.Errorf("%d submissions, want 1", n)
			}
		})
		t.Run("ErrInvalidDay", func(t *testing.T) {
			bad := *s
			bad.TokenHash, bad.Day = tokenHash("other"), "2026-11-29T15:04:05Z"
			if err := st.CreateSubmission(ctx, &bad); err == nil {
				t.Fatal("a precise time was accepted as the day")
			}
			if n, _ := st.CountSubmissions(ctx, ""); n != 1 {
				t.Errorf("%d submissions after a refused one, want 1", n)
			}
		})
		t.Run("ErrNotFound", func(t *testing.T) {
			if _, err := st.FindSubmission(ctx, tokenHash("nope")); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("err %v, want not found", err)
			}
		})
	})
}

func TestSubmissionStore_Delete(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		hash := tokenHash("token")
		s := &submission.Submission{TokenHash: hash, RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
			Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 1}, Fits: map[string]float64{"intermediate": 25}, Recommended: "intermediate"}
		if err := st.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		if err := st.DeleteSubmission(ctx, hash); err != nil {
			t.Fatal(err)
		}
		// The tombstone lets the result page say 410 rather than 404.
		if _, err := st.FindSubmission(ctx, hash); !errors.Is(err, apperr.ErrGone) {
			t.Errorf("after delete: %v, want gone", err)
		}
		if _, err := st.FindSubmission(ctx, tokenHash("never made")); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown token: %v, want not found", err)
		}
		if err := st.DeleteSubmission(ctx, hash); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("second delete: %v, want not found", err)
		}
		if n, _ := st.CountSubmissions(ctx, "pm"); n != 0 {
			t.Errorf("%d submissions after the delete, want 0", n)
		}
		if diffs, err := st.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("counters after the delete: %v %v", diffs, err)
		}
	})
}

// TestSubmissionStore_Overrides: a submission keeps the overrides in
// force when it was made, all of them (kind, weight, bonus, an omitted
// item, a level's expectation), and submissions with the same ones share
// a snapshot.
func TestSubmissionStore_Overrides(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		yes := true
		sets := [][]role.Override{
			nil,
			{{ItemID: "bbbbbbbbbb", Weight: 2}, {ItemID: "aaaaaaaaaa", Kind: role.KindFact, Bonus: &yes},
				{ItemID: "cccccccccc", Omit: true}, {ItemID: "dddddddddd", Expect: map[string]float64{"senior": 4}}},
			// The same set in another order.
			{{ItemID: "dddddddddd", Expect: map[string]float64{"senior": 4}}, {ItemID: "cccccccccc", Omit: true},
				{ItemID: "aaaaaaaaaa", Kind: role.KindFact, Bonus: &yes}, {ItemID: "bbbbbbbbbb", Weight: 2}},
		}
		for i, ovs := range sets {
			hash := tokenHash(fmt.Sprint(i))
			s := &submission.Submission{TokenHash: hash, RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
				Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 1}, Fits: map[string]float64{"intermediate": 25},
				Recommended: "intermediate", Overrides: ovs}
			if err := st.CreateSubmission(ctx, s); err != nil {
				t.Fatal(err)
			}
			got, err := st.FindSubmission(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]role.Override{}
			for _, o := range ovs {
				want[o.ItemID] = o
			}
			if len(got.Overrides) != len(ovs) {
				t.Fatalf("set %d: overrides %+v, want %+v", i, got.Overrides, ovs)
			}
			for _, o := range got.Overrides {
				w := want[o.ItemID]
				if o.Kind != w.Kind || o.Weight != w.Weight || (o.Bonus == nil) != (w.Bonus == nil) || (o.Bonus != nil && *o.Bonus != *w.Bonus) ||
					o.Omit != w.Omit || !maps.Equal(o.Expect, w.Expect) {
					t.Errorf("set %d: override %+v, want %+v", i, o, w)
				}
			}
		}
		// One snapshot without overrides; the second and third share one.
		if n, err := st.CountRows(ctx, "role_snapshots"); err != nil || n != 2 {
			t.Errorf("%d snapshots, want 2 (%v)", n, err)
		}
	})
}

// TestSubmissionStore_RandomIDs shows that row ids do not follow the order
// of submission, so rows cannot be lined up with anything timed.
func TestSubmissionStore_RandomIDs(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		var ids []int64
		for i := 0; i < 12; i++ {
			s := &submission.Submission{TokenHash: tokenHash(fmt.Sprint(i)), RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
				Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3}, Recommended: "intermediate"}
			if err := st.CreateSubmission(ctx, s); err != nil {
				t.Fatal(err)
			}
			ids = append(ids, s.ID)
		}
		if slices.IsSorted(ids) {
			t.Errorf("ids %v rise with each submission", ids)
		}
	})
}

// TestSubmissionStore_Import: a bulk load stores every row and adds to the
// counters exactly what one submission at a time would have.
func TestSubmissionStore_Import(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		rng := newRand()
		// More than one INSERT's worth of rows.
		var subs []*submission.Submission
		for i := range 300 {
			subs = append(subs, randomSubmission(rng, i, vid))
		}
		ev := submission.Event{Day: "2026-01-05", RoleSlug: "pm", VersionID: vid, Channel: "site", Mode: "full", Name: "started"}
		if err := st.ImportSubmissions(ctx, subs, []submission.EventCount{{Event: ev, N: 40}}); err != nil {
			t.Fatal(err)
		}
		if n, err := st.CountSubmissions(ctx, "pm"); err != nil || n != len(subs) {
			t.Fatalf("%d submissions, want %d (%v)", n, len(subs), err)
		}
		for _, s := range []*submission.Submission{subs[0], subs[len(subs)-1]} {
			if s.ID == 0 {
				t.Error("an imported submission has no id")
			}
			got, err := st.FindSubmission(ctx, s.TokenHash)
			if err != nil || got.ID != s.ID || got.Day != s.Day || !maps.Equal(got.Answers, s.Answers) {
				t.Errorf("imported %+v, read %+v (%v)", s, got, err)
			}
		}
		if diffs, err := st.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
			t.Fatalf("counters after the import: %v %v", diffs, err)
		}
		started := int64(0)
		rows, err := st.CounterSums(ctx, "pm", "2026-01-05", "2026-01-05")
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			if r.Metric == submission.MetricStarted {
				started += r.N
			}
		}
		if started != 40 {
			t.Errorf("%d started on 2026-01-05, want the 40 imported", started)
		}
		// An event the counters do not know refuses the whole import.
		bad := ev
		bad.Name = "bogus"
		more := []*submission.Submission{randomSubmission(rng, 1000, vid)}
		if err := st.ImportSubmissions(ctx, more, []submission.EventCount{{Event: bad, N: 1}}); err == nil {
			t.Error("an unknown event was imported")
		}
		if n, _ := st.CountSubmissions(ctx, "pm"); n != len(subs) {
			t.Errorf("%d submissions after a refused import, want %d", n, len(subs))
		}
	})
}
