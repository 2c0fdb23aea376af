package role

import "context"

// Store keeps the roles' published versions and their settings. Every
// rolefit database implements it.
type Store interface {
	// SaveRoleVersionWith stores a version of a role from its page source
	// (and the pages it includes) with the admin's edits, unless the
	// current version has the same hash, and returns the current version.
	SaveRoleVersionWith(ctx context.Context, slug, title string, src []byte, hash string, includes []Include, edits Edits) (Version, error)
	// CurrentRoleVersions returns the current version of every role.
	CurrentRoleVersions(ctx context.Context) ([]Version, error)
	CurrentRoleVersion(ctx context.Context, slug string) (Version, error)
	// RoleVersion returns a version by id, with the role's current
	// settings, so that an older result can be computed again.
	RoleVersion(ctx context.Context, id int64) (Version, error)
	RoleVersionByNumber(ctx context.Context, slug string, n int) (Version, error)
	// RoleVersions returns every version of a role, oldest first.
	RoleVersions(ctx context.Context, slug string) ([]Version, error)
	RoleVersionList(ctx context.Context, slug string) ([]VersionInfo, error)
	SetRoleApplyURL(ctx context.Context, slug, url string) error
	SetRoleSourceURL(ctx context.Context, slug, url string) error
	SetRoleArchived(ctx context.Context, slug string, archived bool) error
}
