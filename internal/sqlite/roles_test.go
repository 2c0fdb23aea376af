package sqlite

import (
	"context"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
)

func TestSaveRoleVersion_NumberedPerRole(t *testing.T) {
	d := mustOpenDB(t)
	ctx := context.Background()
	save := func(slug, hash string, edits role.Edits) role.Version {
		t.Helper()
		v, err := d.SaveRoleVersion(ctx, slug, "Title of "+slug, []byte("# "+slug+"\n"), hash, edits)
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
	got, err := d.RoleVersionByNumber(ctx, "pm", 3)
	if err != nil {
		t.Fatal(err)
	}
	if got.Edits.Title != "Product Manager" || got.Number != 3 {
		t.Errorf("version 3 = %+v", got)
	}
	if _, err := d.RoleVersionByNumber(ctx, "pm", 9); !errors.Is(err, apperr.ErrNotFound) {
		t.Errorf("version 9: err %v, want not found", err)
	}
}

func TestDB_SaveRoleVersionWith(t *testing.T) {
	d := mustOpenDB(t)
	ctx := context.Background()
	inc := []role.Include{{Path: "eng/backend.md", Source: []byte("# Backend\n")}}
	v, err := d.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", inc, role.Edits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Includes) != 1 || v.Includes[0].Path != "eng/backend.md" || string(v.Includes[0].Source) != "# Backend\n" {
		t.Errorf("includes %+v", v.Includes)
	}
	// The same bytes again: the same version, its includes replaced.
	v2, err := d.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", nil, role.Edits{})
	if err != nil {
		t.Fatal(err)
	}
	if v2.ID != v.ID || len(v2.Includes) != 0 {
		t.Errorf("re-import: version %d (was %d), includes %+v", v2.ID, v.ID, v2.Includes)
	}
	got, err := d.RoleVersion(ctx, v.ID)
	if err != nil || len(got.Includes) != 0 {
		t.Errorf("RoleVersion: %+v, %v", got.Includes, err)
	}
}
