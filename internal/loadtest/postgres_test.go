package loadtest

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rolefit/rolefit/internal/pgtest"
)

// TestTwoInstancesPostgres runs two rolefit instances on one PostgreSQL
// database, 600 applicants on each at once, and kills one with SIGKILL in
// the middle of its load, then restarts it and lets it finish. Every
// acknowledged result must open on either instance and be in the
// submissions table, with the counters equal to the rows; and a check
// whose requests alternate between the instances (a proxy balancing each
// request) must go through, since both read the same session keys,
// nonces and roles.
func TestTwoInstancesPostgres(t *testing.T) {
	db := pgtest.Database(t)
	bin := rolefitBin(t)
	a := start(t, bin, db)
	b := start(t, bin, db)
	acks := &ackLog{}
	ctx := context.Background()

	const each = 600
	var wg sync.WaitGroup
	var onB *Report
	wg.Go(func() {
		onB = Run(ctx, Options{BaseURL: b.URL, Applicants: each, Concurrency: 8, ForwardedFor: true, Seed: 2, OnAck: acks.add})
	})
	var onA atomic.Int64
	killCtx, kill := context.WithCancel(ctx)
	first := make(chan *Report, 1)
	go func() {
		first <- Run(killCtx, Options{BaseURL: a.URL, Applicants: each, Concurrency: 8, ForwardedFor: true, Seed: 1,
			OnAck: func(tok string) { acks.add(tok); onA.Add(1) }})
	}()
	waitFor(t, 120*time.Second, "acknowledged submissions on the first instance", func() bool { return onA.Load() >= each/4 })
	a.Kill()
	kill()
	if rep := <-first; rep.ServerErrors() > 0 {
		t.Errorf("first instance: %d answers were 5xx before the kill", rep.ServerErrors())
	}
	killedAt := onA.Load()
	a = start(t, bin, db)
	rest := Run(ctx, Options{BaseURL: a.URL, Applicants: each - int(killedAt), Concurrency: 8, ForwardedFor: true, Seed: 3,
		OnAck: func(tok string) { acks.add(tok); onA.Add(1) }})
	wg.Wait()
	for name, rep := range map[string]*Report{"second instance": onB, "restarted instance": rest} {
		if rep.Failures > 0 || rep.ServerErrors() > 0 {
			t.Errorf("%s: %d failed checks, %d 5xx: %v", name, rep.Failures, rep.ServerErrors(), rep.Errors)
		}
	}
	both := Run(ctx, Options{BaseURL: a.URL, OtherURL: b.URL, Applicants: 40, Concurrency: 4, ForwardedFor: true, Seed: 4, OnAck: acks.add})
	if both.Failures > 0 || both.ServerErrors() > 0 {
		t.Errorf("checks alternating between the instances: %d failed, %d 5xx: %v", both.Failures, both.ServerErrors(), both.Errors)
	}

	tokens := acks.snapshot()
	for _, p := range []*Process{a, b} {
		if err := Verify(ctx, p.URL, tokens, 8); err != nil {
			t.Errorf("results on %s: %v", p.URL, err)
		}
	}
	n, err := Check(ctx, db, refRole, tokens)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("killed the first instance after %d acknowledged; %d acknowledged in all, %d stored; every one opens on both instances",
		killedAt, len(tokens), n)
}
