package storage_test

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/storage"
)

func TestSaveRoleVersion_NumberedPerRole(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		save := func(slug, hash string, edits role.Edits) role.Version {
			t.Helper()
			v, err := st.SaveRoleVersionWith(ctx, slug, "Title of "+slug, []byte("# "+slug+"\n"), hash, nil, edits)
			if err != nil {
				t.Fatal(err)
			}
			return v
		}
		if v := save("pm", "a", role.Edits{}); v.Number != 1 {
			t.Errorf("first version of pm is %d, want 1", v.Number)
		}
		if v := save("pm", "b", role.Edits{}); v.Number != 2 {
			t.Errorf("second version of pm is %d, want 2", v.Number)
		}
		// A new role starts at 1 whatever other roles hold.
		if v := save("db", "a", role.Edits{}); v.Number != 1 {
			t.Errorf("first version of db is %d, want 1", v.Number)
		}
		summary := ""
		edits := role.Edits{Title: "Product Manager", Summary: &summary, SourceURL: "https://example.com/pm/",
			Items: []role.Override{{ItemID: "abc", Kind: role.KindFact, Omit: true, Expect: map[string]float64{"senior": 4}}}}
		v := save("pm", "c", edits)
		if v.Number != 3 {
			t.Errorf("edited version of pm is %d, want 3", v.Number)
		}
		if diff := cmp.Diff(edits, v.Edits); diff != "" {
			t.Errorf("edits read back (-saved +read):\n%s", diff)
		}
		// Saving what a version holds already makes it current again, as the
		// same number.
		if v := save("pm", "a", role.Edits{}); v.Number != 1 {
			t.Errorf("saving version 1 again gives %d, want 1", v.Number)
		}
		got, err := st.RoleVersionByNumber(ctx, "pm", 3)
		if err != nil {
			t.Fatal(err)
		}
		if got.Edits.Title != "Product Manager" || got.Number != 3 {
			t.Errorf("version 3 = %+v", got)
		}
		if _, err := st.RoleVersionByNumber(ctx, "pm", 9); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("version 9: err %v, want not found", err)
		}
		if cur, err := st.CurrentRoleVersion(ctx, "pm"); err != nil || cur.Number != 1 || cur.Hash != "a" {
			t.Errorf("current version of pm: number %d hash %q (%v), want 1 (saved last)", cur.Number, cur.Hash, err)
		}
		list, err := st.RoleVersionList(ctx, "pm")
		if err != nil {
			t.Fatal(err)
		}
		var numbers []int
		for _, vi := range list {
			numbers = append(numbers, vi.Number)
		}
		if diff := cmp.Diff([]int{1, 3, 2}, numbers); diff != "" {
			t.Errorf("versions newest first (-want +got):\n%s", diff)
		}
		all, err := st.RoleVersions(ctx, "pm")
		if err != nil || len(all) != 3 {
			t.Errorf("RoleVersions: %d versions, want 3 (%v)", len(all), err)
		}
	})
}

func TestSaveRoleVersionWith_Includes(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		inc := []role.Include{{Path: "eng/backend.md", Source: []byte("# Backend\n")}}
		v, err := st.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", inc, role.Edits{})
		if err != nil {
			t.Fatal(err)
		}
		if len(v.Includes) != 1 || v.Includes[0].Path != "eng/backend.md" || string(v.Includes[0].Source) != "# Backend\n" {
			t.Errorf("includes %+v", v.Includes)
		}
		if got, err := st.RoleVersionByNumber(ctx, "senior", 1); err != nil || len(got.Includes) != 1 {
			t.Errorf("RoleVersionByNumber: includes %+v, %v", got.Includes, err)
		}
		// The same bytes again: the same version, its includes replaced.
		v2, err := st.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", nil, role.Edits{})
		if err != nil {
			t.Fatal(err)
		}
		if v2.ID != v.ID || len(v2.Includes) != 0 {
			t.Errorf("re-import: version %d (was %d), includes %+v", v2.ID, v.ID, v2.Includes)
		}
		got, err := st.RoleVersion(ctx, v.ID)
		if err != nil || len(got.Includes) != 0 {
			t.Errorf("RoleVersion: %+v, %v", got.Includes, err)
		}
	})
}

func TestRoleVersion(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		if _, err := st.SaveRoleVersionWith(ctx, "pm", "Product Manager", []byte("# PM v2\n"), "h2", nil, role.Edits{}); err != nil {
			t.Fatal(err)
		}
		v, err := st.RoleVersion(ctx, vid)
		if err != nil {
			t.Fatal(err)
		}
		if v.Slug != "pm" || string(v.Source) != "# PM\n" || v.Hash != "h1" || v.Number != 1 {
			t.Errorf("got %+v", v)
		}
		if _, err := st.RoleVersion(ctx, 9999); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown version: %v", err)
		}
		if _, err := st.CurrentRoleVersion(ctx, "nope"); !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("unknown role: %v", err)
		}
	})
}

// TestRoleSettings: the apply link and archiving belong to the role, the
// source address to its current version (and the versions after it); each
// is read back wherever the role is read, and a role that is not stored is
// not found.
func TestRoleSettings(t *testing.T) {
	forEachStore(t, func(t *testing.T, st storage.Store) {
		ctx := context.Background()
		vid := seedRole(t, st)
		if _, err := st.SaveRoleVersionWith(ctx, "db", "Database Engineer", []byte("# DB\n"), "d1", nil, role.Edits{}); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRoleApplyURL(ctx, "pm", "https://jobs.example.com/pm"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRoleSourceURL(ctx, "pm", "https://handbook.example.com/pm/"); err != nil {
			t.Fatal(err)
		}
		if err := st.SetRoleArchived(ctx, "db", true); err != nil {
			t.Fatal(err)
		}
		cur, err := st.CurrentRoleVersion(ctx, "pm")
		if err != nil || cur.ApplyURL != "https://jobs.example.com/pm" || cur.SourceURL != "https://handbook.example.com/pm/" || cur.Archived {
			t.Errorf("pm: apply %q source %q archived %v (%v)", cur.ApplyURL, cur.SourceURL, cur.Archived, err)
		}
		if old, err := st.RoleVersion(ctx, vid); err != nil || old.ApplyURL != "https://jobs.example.com/pm" {
			t.Errorf("a version by id has apply %q (%v), want the role's", old.ApplyURL, err)
		}
		all, err := st.CurrentRoleVersions(ctx)
		if err != nil {
			t.Fatal(err)
		}
		bySlug := map[string]role.Version{}
		for _, v := range all {
			bySlug[v.Slug] = v
		}
		if len(all) != 2 || !bySlug["db"].Archived || bySlug["pm"].Archived {
			t.Errorf("current versions %+v, want pm and db (archived)", all)
		}
		// A new version is taken to live where the last one did; the role's
		// apply link stays.
		v2, err := st.SaveRoleVersionWith(ctx, "pm", "Product Manager", []byte("# PM v2\n"), "h2", nil, role.Edits{})
		if err != nil {
			t.Fatal(err)
		}
		if v2.SourceURL != "https://handbook.example.com/pm/" || v2.ApplyURL != "https://jobs.example.com/pm" {
			t.Errorf("new version: source %q apply %q", v2.SourceURL, v2.ApplyURL)
		}
		if err := st.SetRoleArchived(ctx, "db", false); err != nil {
			t.Fatal(err)
		}
		if db, err := st.CurrentRoleVersion(ctx, "db"); err != nil || db.Archived {
			t.Errorf("db published again: archived %v (%v)", db.Archived, err)
		}
		for name, set := range map[string]func() error{
			"apply":   func() error { return st.SetRoleApplyURL(ctx, "nope", "https://x.example/") },
			"source":  func() error { return st.SetRoleSourceURL(ctx, "nope", "https://x.example/") },
			"archive": func() error { return st.SetRoleArchived(ctx, "nope", true) },
		} {
			if err := set(); !errors.Is(err, apperr.ErrNotFound) {
				t.Errorf("%s of a role not stored: %v, want not found", name, err)
			}
		}
	})
}
