package sqlite

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/submission"
)

func randomSubmission(rng *rand.Rand, i int, vid int64) *submission.Submission {
	h := sha256.Sum256([]byte(fmt.Sprint("token", i)))
	day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(60)).Format(time.DateOnly)
	s := &submission.Submission{TokenHash: h[:], RoleSlug: "pm", VersionID: vid, Mode: []string{"quick", "full"}[rng.IntN(2)],
		Channel: []string{"site", "embed"}[rng.IntN(2)], Day: day,
		Answers: map[string]float64{}, Fits: map[string]float64{}, Recommended: []string{"intermediate", "senior"}[rng.IntN(2)]}
	for _, id := range []string{"aaaaaaaaaa", "bbbbbbbbbb", "cccccccccc"} {
		if rng.IntN(4) > 0 {
			s.Answers[id] = float64(rng.IntN(5))
		}
	}
	s.Answers["yyyyyyyyyy"] = rng.Float64() * 30 // years, capped in its bucket
	s.Fits["intermediate"] = rng.Float64() * 100
	s.Fits["senior"] = float64(rng.IntN(101))
	return s
}

// TestCounters_Verify: after a random mix of submissions, deletions and a
// purge, the counters equal a recomputation from the rows for every day
// that still has its rows; purged days keep their aggregates.
func TestCounters_Verify(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	rng := rand.New(rand.NewPCG(7, 8))
	var live []*submission.Submission
	for i := range 300 {
		s := randomSubmission(rng, i, vid)
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		live = append(live, s)
		if rng.IntN(5) == 0 {
			j := rng.IntN(len(live))
			if err := d.DeleteSubmission(ctx, live[j].TokenHash); err != nil {
				t.Fatal(err)
			}
			live = append(live[:j], live[j+1:]...)
		}
	}
	if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		t.Fatalf("before purge: %v %v", diffs, err)
	}
	sums := func() map[release.Count]bool {
		rows, err := d.CounterSums(ctx, "pm", "2026-01-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		out := map[release.Count]bool{}
		for _, r := range rows {
			out[r] = true
		}
		return out
	}
	before := sums()
	completed := 0
	for c := range before {
		if c.Metric == submission.MetricCompleted {
			completed += int(c.N)
		}
	}
	if completed != len(live) {
		t.Fatalf("completed %d, %d live submissions", completed, len(live))
	}
	n, err := d.PurgeSubmissions(ctx, "2026-01-20")
	if err != nil {
		t.Fatal(err)
	}
	kept := 0
	for _, s := range live {
		if s.Day >= "2026-01-20" {
			kept++
		}
	}
	if n != len(live)-kept {
		t.Errorf("purged %d, want %d", n, len(live)-kept)
	}
	if got, _ := d.CountSubmissions(ctx, "pm"); got != kept {
		t.Errorf("%d rows left, want %d", got, kept)
	}
	if diff := cmp.Diff(before, sums()); diff != "" {
		t.Errorf("purge changed the aggregates (-before +after):\n%s", diff)
	}
	// Deleting after the purge still keeps counters and rows in step.
	for _, s := range live {
		if s.Day >= "2026-01-20" {
			if err := d.DeleteSubmission(ctx, s.TokenHash); err != nil {
				t.Fatal(err)
			}
			break
		}
	}
	if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
		t.Fatalf("after purge: %v %v", diffs, err)
	}
	// A tampered counter is reported.
	if err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE counters SET n = n + 1 WHERE (role_slug, day, metric, key, bucket, version_id, channel, mode) =
			(SELECT role_slug, day, metric, key, bucket, version_id, channel, mode FROM counters
			 WHERE metric = 'answer' AND day >= '2026-01-20' LIMIT 1)`)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if diffs, _ := d.VerifyCounters(ctx); len(diffs) != 1 {
		t.Errorf("tampered counter: %d diffs, want 1: %v", len(diffs), diffs)
	}
}

func TestRecordEvent(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	ev := submission.Event{Day: "2026-03-02", RoleSlug: "pm", VersionID: vid, Channel: "site", Mode: "quick"}
	for _, e := range []struct {
		name string
		step int
	}{{"started", 0}, {"started", 0}, {"step", 1}, {"step", 2}, {"step", 2}, {"apply", 0}} {
		ev.Name, ev.Step = e.name, e.step
		if err := d.RecordEvent(ctx, ev); err != nil {
			t.Fatal(err)
		}
	}
	ev.Name = "bogus"
	if err := d.RecordEvent(ctx, ev); err == nil {
		t.Error("unknown event accepted")
	}
	rows, err := d.CounterSums(ctx, "pm", "2026-03-01", "2026-03-31")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int64{}
	for _, r := range rows {
		if r.Mode != "quick" || r.Channel != "site" {
			t.Errorf("a count in the wrong slice: %+v", r)
		}
		got[r.Metric+r.Key] += r.N
	}
	if want := map[string]int64{"started": 2, "step1": 1, "step2": 2, "apply": 1}; !maps.Equal(got, want) {
		t.Errorf("counter sums %v, want %v", got, want)
	}
	if rows, _ := d.CounterSums(ctx, "pm", "2026-03-03", "2026-03-31"); len(rows) != 0 {
		t.Errorf("days outside the range counted: %v", rows)
	}
}

func TestUserStore(t *testing.T) {
	ctx := context.Background()
	d := mustOpenDB(t)
	u, err := d.CreateUser(ctx, "Ada@example.com", "hash", true)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		if _, err := d.CreateUser(ctx, "ada@EXAMPLE.com", "hash", false); !errors.Is(err, apperr.ErrConflict) {
			t.Errorf("err %v", err)
		}
	})
	t.Run("ByEmail", func(t *testing.T) {
		got, err := d.UserByEmail(ctx, "ADA@example.com")
		if err != nil || got.ID != u.ID || !got.Admin {
			t.Errorf("%+v %v", got, err)
		}
	})
	t.Run("SessionsEndWithAccount", func(t *testing.T) {
		now := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		id := []byte("0123456789abcdef0123456789abcdef")
		if err := d.SaveRecruiterSession(ctx, id, u.ID, []byte("x"), now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if uid, _, err := d.FindRecruiterSession(ctx, id, now); err != nil || uid != u.ID {
			t.Fatalf("find: %d %v", uid, err)
		}
		if _, _, err := d.FindRecruiterSession(ctx, id, now.Add(2*time.Hour)); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("expired session found: %v", err)
		}
		if err := d.DeleteUser(ctx, u.ID); err != nil {
			t.Fatal(err)
		}
		if _, _, err := d.FindRecruiterSession(ctx, id, now); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("session outlived its account: %v", err)
		}
		if err := d.DeleteUser(ctx, u.ID); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
	})
}

func TestAPITokenStore(t *testing.T) {
	ctx := context.Background()
	d := mustOpenDB(t)
	h := sha256.Sum256([]byte("secret"))
	tok, err := d.CreateAPIToken(ctx, "BI", h[:], "")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := d.APITokenByHash(ctx, h[:]); err != nil || got.Name != "BI" || got.ExpiresOn != "" || got.LastUsedOn != "" {
		t.Fatalf("%+v %v", got, err)
	}
	if err := d.MarkAPITokenUsed(ctx, tok.ID, "2026-12-01"); err != nil {
		t.Fatal(err)
	}
	h2 := sha256.Sum256([]byte("other"))
	if _, err := d.CreateAPIToken(ctx, "CRM", h2[:], "2027-03-01"); err != nil {
		t.Fatal(err)
	}
	if _, err := d.CreateAPIToken(ctx, "bad", h2[:], "next week"); err == nil {
		t.Error("an expiry that is not a date was stored")
	}
	list, err := d.ListAPITokens(ctx)
	if err != nil || len(list) != 2 {
		t.Fatalf("list %+v %v", list, err)
	}
	if got := list[0]; got.Name != "CRM" || got.ExpiresOn != "2027-03-01" || !got.Expired("2027-03-01") || got.Expired("2027-02-28") {
		t.Errorf("expiring token %+v", got)
	}
	if got := list[1]; got.LastUsedOn != "2026-12-01" || got.Expired("2999-01-01") {
		t.Errorf("used token %+v", got)
	}
	if err := d.DeleteAPIToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := d.APITokenByHash(ctx, h[:]); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("revoked token found: %v", err)
	}
}

func TestNonceStore(t *testing.T) {
	ctx := context.Background()
	d := mustOpenDB(t)
	now := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
	if ok, err := d.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, err := d.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || ok {
		t.Fatalf("second claim: %v %v, want refused", ok, err)
	}
	if err := d.ReleaseNonce(ctx, "n1"); err != nil {
		t.Fatal(err)
	}
	if ok, err := d.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || !ok {
		t.Fatalf("claim after release: %v %v", ok, err)
	}
	// The state expired on 2 December; on the 3rd its nonce is pruned.
	now = now.Add(26 * time.Hour)
	if _, err := d.ClaimNonce(ctx, "n2", now.Add(2*time.Hour), now); err != nil {
		t.Fatal(err)
	}
	var days []string
	rows, err := d.r.Query("SELECT nonce || ' ' || expires_on FROM used_nonces ORDER BY nonce")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		days = append(days, s)
	}
	rows.Close()
	if want := []string{"n2 2026-12-03"}; !slices.Equal(days, want) {
		t.Errorf("nonces kept %v, want %v (a day, no time)", days, want)
	}
}
