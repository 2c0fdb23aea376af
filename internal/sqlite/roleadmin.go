package sqlite

import (
	"context"
	"database/sql"
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
