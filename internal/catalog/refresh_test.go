package catalog_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/sqlite"
)

// TestRefresh_RacingChange holds one refresh between reading the role's
// settings and serving them while an admin changes the settings and
// refreshes again: the catalog must end with the newer settings, never
// the ones the first refresh read.
func TestRefresh_RacingChange(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "rolefit.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	cat := catalog.New()
	e, err := cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md")
	if err != nil {
		t.Fatal(err)
	}
	slug := e.Role.Slug
	if err := store.SetRoleApplyURL(ctx, slug, "https://jobs.example.com/old"); err != nil {
		t.Fatal(err)
	}

	read, release := make(chan struct{}), make(chan struct{})
	first := make(chan error, 1)
	go func() {
		first <- cat.Refresh(ctx, slug, func(ctx context.Context, slug string) (role.Version, error) {
			v, err := store.CurrentRoleVersion(ctx, slug)
			close(read)
			<-release
			return v, err
		})
	}()
	<-read
	if err := store.SetRoleApplyURL(ctx, slug, "https://jobs.example.com/new"); err != nil {
		t.Fatal(err)
	}
	second := make(chan error, 1)
	go func() { second <- cat.Refresh(ctx, slug, store.CurrentRoleVersion) }()
	// Without the lock the second refresh would finish here, before the
	// first one serves what it read.
	select {
	case err := <-second:
		second <- err
	case <-time.After(200 * time.Millisecond):
	}
	close(release)
	if err := <-first; err != nil {
		t.Fatal(err)
	}
	if err := <-second; err != nil {
		t.Fatal(err)
	}
	if got, _ := cat.Get(slug); got.Role.ApplyURL != "https://jobs.example.com/new" {
		t.Fatalf("the catalog serves %q, an older setting", got.Role.ApplyURL)
	}
}
