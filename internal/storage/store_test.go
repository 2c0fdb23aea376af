package storage_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/submission"
)

func TestSetSettingOnce(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		if v, err := st.Setting(ctx, "k"); err != nil || v != nil {
			t.Fatalf("unset: %q %v, want nil", v, err)
		}
		v, err := st.SetSettingOnce(ctx, "k", []byte("first"))
		if err != nil || string(v) != "first" {
			t.Fatalf("first: %q %v", v, err)
		}
		v, err = st.SetSettingOnce(ctx, "k", []byte("second"))
		if err != nil || string(v) != "first" {
			t.Fatalf("second: %q %v", v, err)
		}
		if v, err := st.Setting(ctx, "k"); err != nil || string(v) != "first" {
			t.Fatalf("read back: %q %v", v, err)
		}
		// Instances starting together agree on one value.
		const n = 16
		got := make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				v, err := st.SetSettingOnce(ctx, "key", []byte(fmt.Sprint("value ", i)))
				if err != nil {
					t.Error(err)
				}
				got[i] = string(v)
			})
		}
		wg.Wait()
		if !strings.HasPrefix(got[0], "value ") || slices.ContainsFunc(got, func(s string) bool { return s != got[0] }) {
			t.Errorf("concurrent first values: %q, want one for all", got)
		}
	})
}

func TestNonceStore(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 23, 30, 0, 0, time.UTC)
		if ok, err := st.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || !ok {
			t.Fatalf("first claim: %v %v", ok, err)
		}
		if ok, err := st.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || ok {
			t.Fatalf("second claim: %v %v, want refused", ok, err)
		}
		if err := st.ReleaseNonce(ctx, "n1"); err != nil {
			t.Fatal(err)
		}
		if ok, err := st.ClaimNonce(ctx, "n1", now.Add(2*time.Hour), now); err != nil || !ok {
			t.Fatalf("claim after release: %v %v", ok, err)
		}
		// The state expired on 2 December; on the 3rd its nonce is pruned.
		now = now.Add(26 * time.Hour)
		if _, err := st.ClaimNonce(ctx, "n2", now.Add(2*time.Hour), now); err != nil {
			t.Fatal(err)
		}
		days := mustStrings(t, st, "SELECT nonce || ' ' || expires_on FROM used_nonces ORDER BY nonce")
		if want := []string{"n2 2026-12-03"}; !slices.Equal(days, want) {
			t.Errorf("nonces kept %v, want %v (a day, no time)", days, want)
		}
	})
}

// TestTables: a copy's tables are listed parents first, and their rows
// counted.
func TestTables(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		tables := st.Tables()
		for _, pair := range [][2]string{{"roles", "role_versions"}, {"role_versions", "submissions"}, {"users", "api_tokens"}, {"users", "recruiter_sessions"}} {
			p, c := slices.Index(tables, pair[0]), slices.Index(tables, pair[1])
			if p < 0 || c < 0 || p > c {
				t.Errorf("tables %v: want %s before %s", tables, pair[0], pair[1])
			}
		}
		vid := seedRole(t, st)
		rng := newRand()
		for i := range 5 {
			if err := st.CreateSubmission(ctx, randomSubmission(rng, i, vid)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := st.CreateUser(ctx, "ada@example.com", "hash", true); err != nil {
			t.Fatal(err)
		}
		want := map[string]int64{"roles": 1, "role_versions": 1, "submissions": 5, "users": 1, "api_tokens": 0}
		for table, n := range want {
			if got, err := st.CountRows(ctx, table); err != nil || got != n {
				t.Errorf("%s: %d rows (%v), want %d", table, got, err, n)
			}
		}
		for _, table := range tables {
			if _, err := st.CountRows(ctx, table); err != nil {
				t.Errorf("%s: %v", table, err)
			}
		}
		if _, err := st.CountRows(ctx, "submissions; DROP TABLE users"); err == nil {
			t.Error("a table not in the list was counted")
		}
		if n, _ := st.CountRows(ctx, "users"); n != 1 {
			t.Errorf("users after a refused count: %d", n)
		}
		if err := st.Ping(ctx); err != nil {
			t.Errorf("ping: %v", err)
		}
		if ok, err := st.IntegrityCheck(ctx); err != nil || ok != "ok" {
			t.Errorf("integrity check: %q %v", ok, err)
		}
	})
}

// TestClose_WritesUnderWay closes the store while many callers write,
// round after round: every write returns (committed, or refused once Close
// has begun), Close returns, and every acknowledged write is there when the
// database is opened again.
func TestClose_WritesUnderWay(t *testing.T) {
	rounds := 200
	if testing.Short() {
		rounds = 20
	}
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		rounds := rounds
		if storage.IsPostgres(dbOf(t, st).addr) {
			// A round opens a pool and checks the migrations (about half a
			// second): a quarter of the rounds keeps the test near SQLite's
			// time.
			rounds = max(rounds/4, 5)
		}
		vid := seedRole(t, st)
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		acked := 0
		for round := range rounds {
			d := reopen(t, st)
			// Each writer writes until it is refused, so some are always on
			// their way in when Close comes.
			const writers = 64
			var closing atomic.Bool
			var acks atomic.Int64
			done := make(chan [][]byte, writers)
			for i := range writers {
				go func() {
					var ok [][]byte
					for n := 0; ; n++ {
						s := &submission.Submission{TokenHash: tokenHash(fmt.Sprint(round, "-", i, "-", n)), RoleSlug: "pm", VersionID: vid,
							Mode: "quick", Channel: "site", Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3}, Recommended: "intermediate"}
						if err := d.CreateSubmission(ctx, s); err != nil {
							if !closing.Swap(true) {
								// Swap also lets Close go ahead: no write would ever succeed.
								t.Errorf("round %d: write before Close: %v", round, err)
							}
							done <- ok
							return
						}
						ok = append(ok, s.TokenHash)
						acks.Add(1)
					}
				}()
			}
			closed := make(chan error, 1)
			go func() {
				// Close once the store is seen to write (a first write may
				// wait for a connection), then at a different moment each
				// round.
				for acks.Load() == 0 && !closing.Load() {
					time.Sleep(100 * time.Microsecond)
				}
				time.Sleep(time.Duration(round%5) * time.Millisecond)
				closing.Store(true)
				closed <- d.Close()
			}()
			var committed [][]byte
			timeout := time.After(10 * time.Second)
			for range writers {
				select {
				case ok := <-done:
					committed = append(committed, ok...)
				case <-timeout:
					t.Fatalf("round %d: a write racing Close never returned", round)
				}
			}
			select {
			case err := <-closed:
				if err != nil {
					t.Fatalf("round %d: close: %v", round, err)
				}
			case <-timeout:
				t.Fatalf("round %d: Close never returned", round)
			}
			if len(committed) == 0 {
				t.Errorf("round %d: no write was acknowledged before Close", round)
			}
			acked += len(committed)
			d = reopen(t, st)
			if n, err := d.CountSubmissions(ctx, "pm"); err != nil || n != acked {
				t.Fatalf("round %d: %d submissions, %d writes acknowledged (%v)", round, n, acked, err)
			}
			// Spot-check by token: the last acknowledged write of the round.
			if len(committed) > 0 {
				if _, err := d.FindSubmission(ctx, committed[len(committed)-1]); err != nil {
					t.Errorf("round %d: an acknowledged submission: %v", round, err)
				}
			}
			if diffs, err := d.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
				t.Errorf("round %d: counters: %v %v", round, diffs, err)
			}
			if err := d.Close(); err != nil {
				t.Fatal(err)
			}
			if err := d.Close(); err != nil {
				t.Errorf("a second Close: %v", err)
			}
			if err := d.CreateSubmission(ctx, &submission.Submission{TokenHash: tokenHash("late"), RoleSlug: "pm", VersionID: vid,
				Mode: "quick", Channel: "site", Day: "2026-11-29", Recommended: "intermediate"}); err == nil {
				t.Fatalf("round %d: a write after Close was accepted", round)
			}
		}
	})
}

// TestTwoInstances opens the database twice, as two servers behind one
// proxy do: what one writes the other reads, a nonce claimed on one is
// refused on the other, both agree on a first setting and on a node both
// release, and purging from both at once removes each row once and keeps
// the counters.
func TestTwoInstances(t *testing.T) {
	forEachStore(t, func(t *testing.T, a storage.Store) {
		ctx := context.Background()
		b := reopen(t, a)
		vid := seedRole(t, a)
		now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
		if ok, err := a.ClaimNonce(ctx, "n1", now.Add(time.Hour), now); err != nil || !ok {
			t.Fatalf("claim on a: %v %v", ok, err)
		}
		if ok, err := b.ClaimNonce(ctx, "n1", now.Add(time.Hour), now); err != nil || ok {
			t.Errorf("the same nonce on b: %v %v, want refused", ok, err)
		}
		if err := b.ReleaseNonce(ctx, "n1"); err != nil {
			t.Fatal(err)
		}
		if ok, err := a.ClaimNonce(ctx, "n1", now.Add(time.Hour), now); err != nil || !ok {
			t.Errorf("claim on a after a release on b: %v %v", ok, err)
		}
		// One form sent to both at once is accepted once.
		var wins atomic.Int32
		var wg sync.WaitGroup
		for i := range 20 {
			wg.Go(func() {
				ok, err := []storage.Store{a, b}[i%2].ClaimNonce(ctx, "n2", now.Add(time.Hour), now)
				if err != nil {
					t.Error(err)
				}
				if ok {
					wins.Add(1)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 {
			t.Errorf("%d claims of one nonce won, want 1", wins.Load())
		}
		// Both release the same node at once: one draw is kept, for both.
		node := release.Node{Start: "2026-11-01", Days: 1}
		for i, st := range []storage.Store{a, b} {
			cells := []release.Count{{Slice: release.Slice{VersionID: vid, Channel: "site", Mode: "quick"},
				Cell: release.Cell{Metric: release.Completed}, N: int64(10 + i)}}
			wg.Go(func() {
				if err := st.SaveRelease(ctx, "pm", node, release.Params{Epsilon: 1, Delta: 1e-9, Sigma: float64(2 + i)}, cells); err != nil {
					t.Error(err)
				}
			})
		}
		wg.Wait()
		sa, err := a.ReleasedSums(ctx, "pm", []release.Node{node})
		if err != nil {
			t.Fatal(err)
		}
		sb, err := b.ReleasedSums(ctx, "pm", []release.Node{node})
		if err != nil {
			t.Fatal(err)
		}
		if len(sa) != 1 || !(sa[0].N == 10 && sa[0].Var == 4 || sa[0].N == 11 && sa[0].Var == 9) || !cmp.Equal(sa, sb) {
			t.Errorf("released on a %+v, on b %+v: want one of the draws on both", sa, sb)
		}
		var va, vb []byte
		wg.Go(func() { va, _ = a.SetSettingOnce(ctx, "keys", []byte("from a")) })
		wg.Go(func() { vb, _ = b.SetSettingOnce(ctx, "keys", []byte("from b")) })
		wg.Wait()
		if string(va) != string(vb) || len(va) == 0 {
			t.Errorf("instances disagree on the first setting: %q and %q", va, vb)
		}

		rng := newRand()
		var subs []*submission.Submission
		for i := range 200 {
			s := randomSubmission(rng, i, vid)
			subs = append(subs, s)
		}
		// Half through each instance, at the same time.
		wg.Go(func() {
			for _, s := range subs[:100] {
				if err := a.CreateSubmission(ctx, s); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Go(func() {
			for _, s := range subs[100:] {
				if err := b.CreateSubmission(ctx, s); err != nil {
					t.Error(err)
				}
			}
		})
		wg.Wait()
		if got, err := b.FindSubmission(ctx, subs[0].TokenHash); err != nil || got.ID != subs[0].ID {
			t.Fatalf("a's submission on b: %+v %v", got, err)
		}
		if err := b.DeleteSubmission(ctx, subs[0].TokenHash); err != nil {
			t.Fatal(err)
		}
		if _, err := a.FindSubmission(ctx, subs[0].TokenHash); !errors.Is(err, apperr.ErrGone) {
			t.Errorf("deleted on b, found on a: %v, want gone", err)
		}
		live, due := 0, 0
		for _, s := range subs[1:] {
			live++
			if s.Day < "2026-01-20" {
				due++
			}
		}
		before, err := a.CounterSums(ctx, "pm", "2026-01-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		var na, nb int
		var ea, eb error
		wg.Go(func() { na, ea = a.PurgeSubmissions(ctx, "2026-01-20") })
		wg.Go(func() { nb, eb = b.PurgeSubmissions(ctx, "2026-01-20") })
		wg.Wait()
		if ea != nil || eb != nil || na+nb != due {
			t.Errorf("purged %d on a and %d on b (%v, %v), want %d in all", na, nb, ea, eb, due)
		}
		if n, _ := b.CountSubmissions(ctx, "pm"); n != live-due {
			t.Errorf("%d submissions left, want %d", n, live-due)
		}
		after, err := b.CounterSums(ctx, "pm", "2026-01-01", "2026-12-31")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(before, after, cmpopts.SortSlices(func(x, y release.Count) bool { return fmt.Sprint(x) < fmt.Sprint(y) })); diff != "" {
			t.Errorf("purge changed the counters (-before +after):\n%s", diff)
		}
		if diffs, err := a.VerifyCounters(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("counters: %v %v", diffs, err)
		}
	})
}
