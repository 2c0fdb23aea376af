package sqlite

import (
	"context"
	"testing"

	"github.com/rolefit/rolefit/internal/role"
)

func TestDB_SaveRoleVersionWith(t *testing.T) {
	d := mustOpenDB(t)
	ctx := context.Background()
	inc := []role.Include{{Path: "eng/backend.md", Source: []byte("# Backend\n")}}
	v, err := d.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", inc)
	if err != nil {
		t.Fatal(err)
	}
	if len(v.Includes) != 1 || v.Includes[0].Path != "eng/backend.md" || string(v.Includes[0].Source) != "# Backend\n" {
		t.Errorf("includes %+v", v.Includes)
	}
	// The same bytes again: the same version, its includes replaced.
	v2, err := d.SaveRoleVersionWith(ctx, "senior", "Senior", []byte("# Senior\n"), "h1", nil)
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
