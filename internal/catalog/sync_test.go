package catalog_test

import (
	"bytes"
	"context"
	"path/filepath"
	"testing"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// TestSync_OtherInstance: two catalogs on one database stand for two
// instances. What an admin changes through one (a new version, an apply
// link, archiving) is served by the other after its next Sync, and a Sync
// with nothing new changes nothing.
func TestSync_OtherInstance(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "rolefit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a := catalog.New()
	e, err := a.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		t.Fatal(err)
	}
	slug := e.Role.Slug
	b, err := catalog.Load(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := b.Sync(ctx, store); err != nil || n != 0 {
		t.Fatalf("sync with nothing new changed %d entries (err %v)", n, err)
	}

	edited := bytes.Replace(db.ReferenceRole, []byte("Requirements\n"), []byte("Requirements\n\n- Writes clear release notes\n"), 1)
	e2, err := a.Import(ctx, store, edited, "product-manager-marketing.md")
	if err != nil {
		t.Fatal(err)
	}
	if err := store.SetRoleApplyURL(ctx, slug, "https://jobs.example.com/pm"); err != nil {
		t.Fatal(err)
	}
	if err := store.SetRoleArchived(ctx, slug, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := b.Get(slug); got.VersionID == e2.VersionID {
		t.Fatal("the other instance served the new version before syncing")
	}
	if n, err := b.Sync(ctx, store); err != nil || n != 1 {
		t.Fatalf("sync after changes: %d entries changed (err %v), want 1", n, err)
	}
	got, _ := b.Get(slug)
	if got.VersionID != e2.VersionID || got.Role.ApplyURL != "https://jobs.example.com/pm" || !got.Archived {
		t.Errorf("after sync: version %d apply %q archived %t; want version %d, the new link, archived",
			got.VersionID, got.Role.ApplyURL, got.Archived, e2.VersionID)
	}
	if n, err := b.Sync(ctx, store); err != nil || n != 0 {
		t.Errorf("second sync changed %d entries (err %v), want none", n, err)
	}
}
