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
	return v, nil
}

// SetItemOverride stores an admin's change to one item of a role. An
// override that changes nothing removes the stored one.
func (d *DB) SetItemOverride(ctx context.Context, slug string, o role.Override) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRow(`SELECT count(*) FROM roles WHERE slug = ?`, slug).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return apperr.ErrNotFound
		}
		if o.Kind == "" && o.Weight == 0 && o.Bonus == nil {
			_, err := tx.Exec(`DELETE FROM item_overrides WHERE role_slug = ? AND item_id = ?`, slug, o.ItemID)
			return err
		}
		var kind, weight, bonus any
		if o.Kind != "" {
			kind = string(o.Kind)
		}
		if o.Weight > 0 {
			weight = o.Weight
		}
		if o.Bonus != nil {
			bonus = *o.Bonus
		}
		_, err := tx.Exec(`INSERT INTO item_overrides (role_slug, item_id, kind, weight, bonus) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (role_slug, item_id) DO UPDATE SET kind = excluded.kind, weight = excluded.weight, bonus = excluded.bonus`,
			slug, o.ItemID, kind, weight, bonus)
		return err
	})
	if err != nil && err != apperr.ErrNotFound {
		return fmt.Errorf("sqlite: set override of %q: %w", slug, err)
	}
	return err
}

// SetRoleApplyURL sets where a role's result page sends applicants.
func (d *DB) SetRoleApplyURL(ctx context.Context, slug, url string) error {
	return d.changeOne(ctx, "set apply url", `UPDATE roles SET apply_url = ? WHERE slug = ?`, url, slug)
}

// SetRoleArchived hides a role from applicants, or publishes it again.
func (d *DB) SetRoleArchived(ctx context.Context, slug string, archived bool) error {
	return d.changeOne(ctx, "set archived", `UPDATE roles SET archived = ? WHERE slug = ?`, archived, slug)
}
