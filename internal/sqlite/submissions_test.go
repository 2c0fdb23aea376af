package sqlite

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

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

// TestSubmissionStore_AnswersJSON: answers are kept as compact JSON by
// item id, the form TestSubmissionStore_DeleteLeavesNothing searches the
// file for.
func TestSubmissionStore_AnswersJSON(t *testing.T) {
	ctx := context.Background()
	d, vid := openSubmissionDB(t)
	h := sha256.Sum256([]byte("token"))
	s := &submission.Submission{TokenHash: h[:], RoleSlug: "pm", VersionID: vid, Mode: "full", Channel: "site",
		Day: "2026-11-29", Answers: map[string]float64{"aaaaaaaaaa": 3, "bbbbbbbbbb": 2.5, "cccccccccc": 0},
		Fits: map[string]float64{"intermediate": 87.54}, Recommended: "intermediate"}
	if err := d.CreateSubmission(ctx, s); err != nil {
		t.Fatal(err)
	}
	var answers string
	if err := d.r.QueryRow(`SELECT answers FROM submissions WHERE id = ?`, s.ID).Scan(&answers); err != nil {
		t.Fatal(err)
	}
	if want := `{"aaaaaaaaaa":3,"bbbbbbbbbb":2.5,"cccccccccc":0}`; answers != want {
		t.Errorf("answers stored as %s, want %s", answers, want)
	}
}
