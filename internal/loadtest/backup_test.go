package loadtest

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/sqlite"
	"github.com/rolefit/rolefit/internal/submission"
)

// TestBackupUnderLoad runs `rolefit backup` while applicants submit, then
// opens the copy: it must pass integrity_check and hold every submission
// acknowledged before the backup began, with counters that agree.
func TestBackupUnderLoad(t *testing.T) {
	bin := rolefitBin(t)
	dir := t.TempDir()
	dbFile := filepath.Join(dir, "rolefit.db")
	p := start(t, bin, dbFile)

	acks := &ackLog{}
	ctx := context.Background()
	loadDone := make(chan *Report, 1)
	go func() {
		loadDone <- Run(ctx, Options{BaseURL: p.URL, Applicants: 500, Concurrency: 16, ForwardedFor: true, OnAck: acks.add})
	}()
	waitFor(t, 60*time.Second, "acknowledged submissions", func() bool { return acks.n.Load() >= 150 })
	before := acks.snapshot()
	copyFile := filepath.Join(dir, "backup.db")
	began := time.Now()
	out, err := exec.Command(bin, "backup", "-db", dbFile, copyFile).CombinedOutput()
	took := time.Since(began)
	if err != nil {
		t.Fatalf("rolefit backup: %v\n%s", err, out)
	}
	during := acks.n.Load() - int64(len(before))
	rep := <-loadDone
	if rep.Failures > 0 || rep.ServerErrors() > 0 {
		t.Fatalf("load beside the backup: %s\n%v", rep.Summary(), rep.Errors)
	}
	n, err := Check(ctx, copyFile, refRole, before)
	if err != nil {
		t.Fatalf("the backup: %v", err)
	}
	t.Logf("backup took %v with %d submissions acknowledged meanwhile; the copy holds %d, all %d acknowledged before it began",
		took.Round(time.Millisecond), during, n, len(before))
	if err := p.Stop(20 * time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := Check(ctx, dbFile, refRole, acks.snapshot()); err != nil {
		t.Fatalf("the live database after the backup: %v", err)
	}
}

// TestBackupDoesNotHoldTheWriter backs up a database large enough for the
// copy to take a while and commits submissions meanwhile: they must not
// wait for the copy to finish (it reads a snapshot on a connection of its
// own, not the writer's).
func TestBackupDoesNotHoldTheWriter(t *testing.T) {
	if testing.Short() {
		t.Skip("fills a database; skipped in -short")
	}
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(filepath.Join(dir, "rolefit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cat := catalog.New()
	e, err := cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		t.Fatal(err)
	}
	answers := map[string]float64{}
	for _, l := range e.Role.Levels {
		for _, it := range l.Requirements {
			answers[it.ID] = 3
		}
		for _, it := range l.Responsibilities {
			answers[it.ID] = 2
		}
	}
	var seq atomic.Uint64
	submit := func() error {
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], seq.Add(1))
		sum := sha256.Sum256(b[:])
		return store.CreateSubmission(ctx, &submission.Submission{TokenHash: sum[:], RoleSlug: e.Role.Slug,
			VersionID: e.VersionID, Mode: "full", Channel: "site", Day: "2026-11-29", Answers: answers,
			Fits: map[string]float64{"intermediate": 80, "senior": 60}, Recommended: "intermediate"})
	}
	// Fill it in parallel: group commit makes this quick.
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 400 {
				if err := submit(); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		t.Fatal(err)
	}

	backupDone := make(chan time.Duration, 1)
	began := time.Now()
	go func() {
		if err := store.Backup(ctx, filepath.Join(dir, "backup.db")); err != nil {
			t.Error(err)
		}
		backupDone <- time.Since(began)
	}()
	var during int
	var slowest time.Duration
	var took time.Duration
loop:
	for {
		select {
		case took = <-backupDone:
			break loop
		default:
		}
		s := time.Now()
		if err := submit(); err != nil {
			t.Fatal(err)
		}
		slowest = max(slowest, time.Since(s))
		during++
	}
	t.Logf("backup of %d submissions took %v; %d commits meanwhile, the slowest %v",
		seq.Load()-uint64(during), took.Round(time.Millisecond), during, slowest.Round(time.Microsecond))
	if during < 2 || slowest > took*3/4 {
		t.Fatalf("the writer waited for the backup: %d commits in %v, the slowest %v", during, took, slowest)
	}
	n, err := Check(ctx, filepath.Join(dir, "backup.db"), e.Role.Slug, nil)
	if err != nil {
		t.Fatal(err)
	}
	if n < 64*400 {
		t.Fatalf("the backup holds %d submissions, want at least %d", n, 64*400)
	}
}
