package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
)

// CurrentRoleVersion returns the newest version of one role with its
// settings and overrides, or apperr.ErrNotFound.
func (d *DB) CurrentRoleVersion(ctx context.Context, slug string) (role.Version, error) {
	vs, err := d.roleVersions(ctx, "AND r.slug = ?", slug)
	if err != nil {
		return role.Version{}, err
	}
	if len(vs) == 0 {
		return role.Version{}, apperr.ErrNotFound
	}
	return vs[0], nil
}

// RoleVersionByNumber returns version n of a role, or apperr.ErrNotFound.
func (d *DB) RoleVersionByNumber(ctx context.Context, slug string, n int) (role.Version, error) {
	v, err := scanVersion(d.r.QueryRowContext(ctx, `
		SELECT `+versionColumns+`
		FROM role_versions v JOIN roles r ON r.slug = v.role_slug
		WHERE r.slug = ? AND v.number = ?`, slug, n))
	if errors.Is(err, sql.ErrNoRows) {
		return v, apperr.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("sqlite: version %d of %q: %w", n, slug, err)
	}
	if v.Overrides, err = d.itemOverrides(ctx, v.Slug); err != nil {
		return v, err
	}
	if v.Includes, err = d.includes(ctx, v.ID); err != nil {
		return v, err
	}
	return v, nil
}

// SetRoleSourceURL sets the address the current version of a role's page
// was published at.
func (d *DB) SetRoleSourceURL(ctx context.Context, slug, url string) error {
	return d.changeOne(ctx, "set source url", `UPDATE role_versions SET source_url = ?
		WHERE id = (SELECT id FROM role_versions WHERE role_slug = ? ORDER BY imported_at DESC, id DESC LIMIT 1)`, url, slug)
}

// SetRoleApplyURL sets where a role's result page sends applicants.
func (d *DB) SetRoleApplyURL(ctx context.Context, slug, url string) error {
	return d.changeOne(ctx, "set apply url", `UPDATE roles SET apply_url = ? WHERE slug = ?`, url, slug)
}

// SetRoleArchived hides a role from applicants, or publishes it again.
func (d *DB) SetRoleArchived(ctx context.Context, slug string, archived bool) error {
	return d.changeOne(ctx, "set archived", `UPDATE roles SET archived = ? WHERE slug = ?`, archived, slug)
}
