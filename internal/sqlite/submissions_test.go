package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/submission"
)

// openSubmissionDB opens a fresh database with one role version stored.
func openSubmissionDB(t *testing.T) (*DB, int64) {
	t.Helper()
	d, err := Open(filepath.Join(t.TempDir(), "rolefit.db"))
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	t.Cleanup(func() { d.Close() })
	v, err := d.SaveRoleVersion(context.Background(), "pm", "Product Manager", []byte("# PM\n"), "h1", role.Edits{})
	if err != nil {
		t.Fatalf("save role: %v", err)
	}
	return d, v.ID
}

func TestSubmissionStore_Create(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	hash := sha256.Sum256([]byte("token"))
	s := &submission.Submission{TokenHash: hash[:], RoleSlug: "pm", VersionID: vid, Mode: "full", Channel: "site",
		Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3, "bbbbbbbbbb": 2.5, "cccccccccc": 0},
		Fits: map[string]float64{"intermediate": 87.54, "senior": 61.21}, Recommended: "intermediate"}

	t.Run("OK", func(t *testing.T) {
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		if s.ID == 0 {
			t.Error("no id set")
		}
		got, err := d.FindSubmission(ctx, hash[:])
		if err != nil {
			t.Fatal(err)
		}
		want := *s
		want.Fits = map[string]float64{"intermediate": 87.5, "senior": 61.2}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("stored submission differs (-want +got):\n%s", diff)
		}
		var answers string
		if err := d.r.QueryRow(`SELECT answers FROM submissions WHERE id = ?`, s.ID).Scan(&answers); err != nil {
			t.Fatal(err)
		}
		if want := `{"aaaaaaaaaa":3,"bbbbbbbbbb":2.5,"cccccccccc":0}`; answers != want {
			t.Errorf("answers stored as %s, want %s", answers, want)
		}
	})
	t.Run("ErrDuplicateToken", func(t *testing.T) {
		dup := *s
		if err := d.CreateSubmission(ctx, &dup); err == nil {
			t.Fatal("a second submission with the same token hash was stored")
		}
		if n, _ := d.CountSubmissions(ctx, "pm"); n != 1 {
			t.Errorf("%d submissions, want 1", n)
		}
	})
	t.Run("ErrInvalidDay", func(t *testing.T) {
		bad := *s
		h := sha256.Sum256([]byte("other"))
		bad.TokenHash, bad.Day = h[:], "2026-11-29T15:04:05Z"
		if err := d.CreateSubmission(ctx, &bad); err == nil {
			t.Fatal("a precise time was accepted as the day")
		}
	})
	t.Run("ErrNotFound", func(t *testing.T) {
		h := sha256.Sum256([]byte("nope"))
		if _, err := d.FindSubmission(ctx, h[:]); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("err %v, want not found", err)
		}
	})
}

func TestSubmissionStore_Delete(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	hash := sha256.Sum256([]byte("token"))
	s := &submission.Submission{TokenHash: hash[:], RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
		Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 1}, Fits: map[string]float64{"intermediate": 25}, Recommended: "intermediate"}
	if err := d.CreateSubmission(ctx, s); err != nil {
		t.Fatal(err)
	}
	if err := d.DeleteSubmission(ctx, hash[:]); err != nil {
		t.Fatal(err)
	}
	if _, err := d.FindSubmission(ctx, hash[:]); !errors.Is(err, apperr.ErrGone) {
		t.Errorf("after delete: %v, want gone", err)
	}
	other := sha256.Sum256([]byte("never made"))
	if _, err := d.FindSubmission(ctx, other[:]); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown token: %v, want not found", err)
	}
	if err := d.DeleteSubmission(ctx, hash[:]); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("second delete: %v, want not found", err)
	}
}

// TestSubmissionStore_Overrides: a submission keeps the overrides in
// force when it was made, and submissions with the same ones share a
// snapshot.
func TestSubmissionStore_Overrides(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	yes := true
	sets := [][]role.Override{
		nil,
		{{ItemID: "bbbbbbbbbb", Weight: 2}, {ItemID: "aaaaaaaaaa", Kind: role.KindFact, Bonus: &yes}},
		// The same set in another order.
		{{ItemID: "aaaaaaaaaa", Kind: role.KindFact, Bonus: &yes}, {ItemID: "bbbbbbbbbb", Weight: 2}},
	}
	for i, ovs := range sets {
		hash := sha256.Sum256([]byte{byte(i)})
		s := &submission.Submission{TokenHash: hash[:], RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
			Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 1}, Fits: map[string]float64{"intermediate": 25},
			Recommended: "intermediate", Overrides: ovs}
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		got, err := d.FindSubmission(ctx, hash[:])
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
			if o.Kind != w.Kind || o.Weight != w.Weight || (o.Bonus == nil) != (w.Bonus == nil) || (o.Bonus != nil && *o.Bonus != *w.Bonus) {
				t.Errorf("set %d: override %+v, want %+v", i, o, w)
			}
		}
	}
	var n int
	if err := d.r.QueryRow(`SELECT count(*) FROM role_snapshots WHERE version_id = ?`, vid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	// One snapshot without overrides; the second and third share one.
	if n != 2 {
		t.Errorf("%d snapshots, want 2", n)
	}
}

func TestRoleVersion(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	if _, err := d.SaveRoleVersion(ctx, "pm", "Product Manager", []byte("# PM v2\n"), "h2", role.Edits{}); err != nil {
		t.Fatal(err)
	}
	v, err := d.RoleVersion(ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	if v.Slug != "pm" || string(v.Source) != "# PM\n" || v.Hash != "h1" {
		t.Errorf("got %+v", v)
	}
	if _, err := d.RoleVersion(ctx, 9999); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("unknown version: %v", err)
	}
}

// TestSubmissionStore_RandomIDs shows that row ids do not follow the order
// of submission, so rows cannot be lined up with anything timed.
func TestSubmissionStore_RandomIDs(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	var ids []int64
	for i := 0; i < 12; i++ {
		hash := sha256.Sum256([]byte{byte(i)})
		s := &submission.Submission{TokenHash: hash[:], RoleSlug: "pm", VersionID: vid, Mode: "quick", Channel: "site",
			Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3}, Recommended: "intermediate"}
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, s.ID)
	}
	if slices.IsSorted(ids) {
		t.Errorf("ids %v rise with each submission", ids)
	}
}

// TestSubmissionStore_DeleteLeavesNothing deletes a check with a
// distinctive answer (47 years of experience) among others and reads the
// database file and its WAL byte by byte: the answer must be gone from
// both while the database is open and after a clean stop, and the other
// checks' answers must still be found, which shows the search can see.
func TestSubmissionStore_DeleteLeavesNothing(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	add := func(token string, years float64) []byte {
		t.Helper()
		h := sha256.Sum256([]byte(token))
		s := &submission.Submission{TokenHash: h[:], RoleSlug: "pm", VersionID: vid, Mode: "full", Channel: "site",
			Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3, "yyyyyyyyyy": years},
			Fits: map[string]float64{"intermediate": 80}, Recommended: "intermediate"}
		if err := d.CreateSubmission(ctx, s); err != nil {
			t.Fatal(err)
		}
		return h[:]
	}
	for i := range 20 {
		add(fmt.Sprint("other", i), 4)
	}
	target := add("target", 47)
	add("after", 4)
	gone, kept := []byte(`"yyyyyyyyyy":47`), []byte(`"yyyyyyyyyy":4`)
	search := func(when string) {
		t.Helper()
		var all []byte
		for _, f := range []string{d.Path(), d.Path() + "-wal"} {
			b, err := os.ReadFile(f)
			if err != nil && !errors.Is(err, os.ErrNotExist) {
				t.Fatal(err)
			}
			if bytes.Contains(b, gone) {
				t.Errorf("%s: %s still holds the deleted answer %s", when, filepath.Base(f), gone)
			}
			all = append(all, b...)
		}
		if !bytes.Contains(all, kept) {
			t.Fatalf("%s: the kept answers %s are not found either: the search is blind", when, kept)
		}
	}
	if !bytes.Contains(mustRead(t, d.Path()+"-wal"), gone) {
		t.Fatal("before the delete the WAL should hold the answer")
	}
	if err := d.DeleteSubmission(ctx, target); err != nil {
		t.Fatal(err)
	}
	search("after the delete")
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	search("after a clean stop")
}

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
