package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/role"
	"github.com/rolefit/rolefit/internal/submission"
)

// SaveRoleVersion stores a page and the admin's edits as the newest
// version of the role, creating the role on its first import.
func (d *DB) SaveRoleVersion(ctx context.Context, slug, title string, src []byte, hash string, edits role.Edits) (role.Version, error) {
	return d.SaveRoleVersionWith(ctx, slug, title, src, hash, nil, edits)
}

// SaveRoleVersionWith stores a page, the pages its inheritance links
// resolved to and the admin's edits as the newest version of the role.
// hash names them together: saving the same again makes that version the
// current one instead of adding another. A new version takes the role's
// next number; the upsert of the role's row locks it, so instances saving
// the same role at once number their versions one after the other.
func (d *DB) SaveRoleVersionWith(ctx context.Context, slug, title string, src []byte, hash string, includes []role.Include, edits role.Edits) (role.Version, error) {
	now := d.Now().UTC()
	ed, err := encodeEdits(edits)
	if err != nil {
		return role.Version{}, fmt.Errorf("postgres: save role %q: %w", slug, err)
	}
	err = d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		if _, err := tx.Exec(ctx, `INSERT INTO roles (slug, title, created_on) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET title = excluded.title`, slug, title, now.Format(time.DateOnly)); err != nil {
			return err
		}
		// A new version is taken to live where the last one did.
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO role_versions (role_slug, hash, source, edits, imported_at, number, source_url)
			VALUES ($1, $2, $3, $4, $5, (SELECT coalesce(max(number), 0) + 1 FROM role_versions WHERE role_slug = $1),
				coalesce((SELECT source_url FROM role_versions WHERE role_slug = $1 ORDER BY imported_at DESC, id DESC LIMIT 1), ''))
			ON CONFLICT (role_slug, hash) DO UPDATE SET imported_at = excluded.imported_at RETURNING id`,
			slug, hash, src, ed, now.Format(time.RFC3339Nano)).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM role_version_includes WHERE version_id = $1`, id); err != nil {
			return err
		}
		for _, in := range includes {
			if _, err := tx.Exec(ctx, `INSERT INTO role_version_includes (version_id, path, source) VALUES ($1, $2, $3)`,
				id, in.Path, in.Source); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return role.Version{}, fmt.Errorf("postgres: save role %q: %w", slug, err)
	}
	v, err := d.CurrentRoleVersion(ctx, slug)
	if errors.Is(err, apperr.ErrNotFound) {
		return v, fmt.Errorf("postgres: save role %q: version not found after insert", slug)
	}
	return v, err
}

// encodeEdits stores no edits as the empty string, as the SQLite store
// does for versions made before edits existed.
func encodeEdits(e role.Edits) (string, error) {
	if e.Empty() {
		return "", nil
	}
	b, err := json.Marshal(e)
	return string(b), err
}

func decodeEdits(s string) (role.Edits, error) {
	var e role.Edits
	if s == "" {
		return e, nil
	}
	err := json.Unmarshal([]byte(s), &e)
	return e, err
}

// CurrentRoleVersions returns the newest version of every role, archived
// ones included (the catalog hides them from applicants).
func (d *DB) CurrentRoleVersions(ctx context.Context) ([]role.Version, error) {
	return d.roleVersions(ctx, "")
}

// CurrentRoleVersion returns the newest version of one role with its
// settings and overrides, or apperr.ErrNotFound.
func (d *DB) CurrentRoleVersion(ctx context.Context, slug string) (role.Version, error) {
	vs, err := d.roleVersions(ctx, "AND r.slug = $1", slug)
	if err != nil {
		return role.Version{}, err
	}
	if len(vs) == 0 {
		return role.Version{}, apperr.ErrNotFound
	}
	return vs[0], nil
}

func (d *DB) roleVersions(ctx context.Context, where string, args ...any) ([]role.Version, error) {
	rows, err := d.pool.Query(ctx, `
		SELECT `+versionColumns+`
		FROM roles r JOIN role_versions v ON v.role_slug = r.slug
		WHERE v.id = (SELECT id FROM role_versions WHERE role_slug = r.slug ORDER BY imported_at DESC, id DESC LIMIT 1) `+where+`
		ORDER BY r.slug`, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list role versions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (role.Version, error) { return scanVersion(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list role versions: %w", err)
	}
	for i := range out {
		if err := d.addSettings(ctx, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// addSettings adds the role's item overrides and the version's includes.
func (d *DB) addSettings(ctx context.Context, v *role.Version) error {
	var err error
	if v.Overrides, err = d.itemOverrides(ctx, v.Slug); err != nil {
		return err
	}
	v.Includes, err = d.includes(ctx, v.ID)
	return err
}

// versionColumns are the columns scanVersion reads, from roles r and
// role_versions v.
const versionColumns = `v.id, v.number, r.slug, v.hash, v.source, v.edits, v.imported_at, r.apply_url, r.archived, v.source_url`

func scanVersion(row pgx.Row) (role.Version, error) {
	var v role.Version
	var at, edits string
	if err := row.Scan(&v.ID, &v.Number, &v.Slug, &v.Hash, &v.Source, &edits, &at, &v.ApplyURL, &v.Archived, &v.SourceURL); err != nil {
		return v, err
	}
	v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
	var err error
	v.Edits, err = decodeEdits(edits)
	return v, err
}

func (d *DB) includes(ctx context.Context, versionID int64) ([]role.Include, error) {
	rows, err := d.pool.Query(ctx, `SELECT path, source FROM role_version_includes WHERE version_id = $1 ORDER BY path`, versionID)
	if err != nil {
		return nil, fmt.Errorf("postgres: includes of version %d: %w", versionID, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (role.Include, error) {
		var in role.Include
		err := row.Scan(&in.Path, &in.Source)
		return in, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: includes of version %d: %w", versionID, err)
	}
	return out, nil
}

func (d *DB) itemOverrides(ctx context.Context, slug string) ([]role.Override, error) {
	rows, err := d.pool.Query(ctx, `SELECT item_id, kind, weight, bonus FROM item_overrides WHERE role_slug = $1`, slug)
	if err != nil {
		return nil, fmt.Errorf("postgres: item overrides of %q: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (role.Override, error) {
		var o role.Override
		var kind *string
		var weight *float64
		if err := row.Scan(&o.ItemID, &kind, &weight, &o.Bonus); err != nil {
			return o, err
		}
		if kind != nil {
			o.Kind = role.Kind(*kind)
		}
		if weight != nil {
			o.Weight = *weight
		}
		return o, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: item overrides of %q: %w", slug, err)
	}
	return out, nil
}

// RoleVersion returns one stored version of a role by id, with the role's
// current settings (apply link, archived flag, item overrides), so that a
// result made against an older version can be computed again.
func (d *DB) RoleVersion(ctx context.Context, id int64) (role.Version, error) {
	return d.oneVersion(ctx, fmt.Sprintf("role version %d", id), `v.id = $1`, id)
}

// RoleVersionByNumber returns version n of a role, or apperr.ErrNotFound.
func (d *DB) RoleVersionByNumber(ctx context.Context, slug string, n int) (role.Version, error) {
	return d.oneVersion(ctx, fmt.Sprintf("version %d of %q", n, slug), `r.slug = $1 AND v.number = $2`, slug, n)
}

func (d *DB) oneVersion(ctx context.Context, what, where string, args ...any) (role.Version, error) {
	v, err := scanVersion(d.pool.QueryRow(ctx, `SELECT `+versionColumns+`
		FROM role_versions v JOIN roles r ON r.slug = v.role_slug WHERE `+where, args...))
	if errors.Is(err, pgx.ErrNoRows) {
		return v, apperr.ErrNotFound
	}
	if err != nil {
		return v, fmt.Errorf("postgres: %s: %w", what, err)
	}
	if err := d.addSettings(ctx, &v); err != nil {
		return v, err
	}
	return v, nil
}

// RoleVersions returns every stored version of a role, oldest first, each
// with the role's current settings and overrides.
func (d *DB) RoleVersions(ctx context.Context, slug string) ([]role.Version, error) {
	rows, err := d.pool.Query(ctx, `
		SELECT v.id, r.slug, v.hash, v.source, v.imported_at, r.apply_url, r.archived
		FROM roles r JOIN role_versions v ON v.role_slug = r.slug
		WHERE r.slug = $1 ORDER BY v.imported_at, v.id`, slug)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %q: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (role.Version, error) {
		var v role.Version
		var at string
		err := row.Scan(&v.ID, &v.Slug, &v.Hash, &v.Source, &at, &v.ApplyURL, &v.Archived)
		v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %q: %w", slug, err)
	}
	overrides, err := d.itemOverrides(ctx, slug)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Overrides = overrides
	}
	return out, nil
}

// RoleVersionList returns the stored versions of a role, newest first.
func (d *DB) RoleVersionList(ctx context.Context, slug string) ([]role.VersionInfo, error) {
	rows, err := d.pool.Query(ctx, `SELECT id, number, hash, imported_at FROM role_versions
		WHERE role_slug = $1 ORDER BY imported_at DESC, id DESC`, slug)
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %q: %w", slug, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (role.VersionInfo, error) {
		var v role.VersionInfo
		var at string
		err := row.Scan(&v.ID, &v.Number, &v.Hash, &at)
		v.ImportedAt, _ = time.Parse(time.RFC3339Nano, at)
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: versions of %q: %w", slug, err)
	}
	return out, nil
}

// SetRoleSourceURL sets the address the current version of a role's page
// was published at.
func (d *DB) SetRoleSourceURL(ctx context.Context, slug, url string) error {
	return d.changeOne(ctx, "set source url", `UPDATE role_versions SET source_url = $1
		WHERE id = (SELECT id FROM role_versions WHERE role_slug = $2 ORDER BY imported_at DESC, id DESC LIMIT 1)`, url, slug)
}

// SetRoleApplyURL sets where a role's result page sends applicants.
func (d *DB) SetRoleApplyURL(ctx context.Context, slug, url string) error {
	return d.changeOne(ctx, "set apply url", `UPDATE roles SET apply_url = $1 WHERE slug = $2`, url, slug)
}

// SetRoleArchived hides a role from applicants, or publishes it again.
func (d *DB) SetRoleArchived(ctx context.Context, slug string, archived bool) error {
	return d.changeOne(ctx, "set archived", `UPDATE roles SET archived = $1 WHERE slug = $2`, archived, slug)
}

// changeOne runs a statement that must change a row: none is
// apperr.ErrNotFound.
func (d *DB) changeOne(ctx context.Context, what, query string, args ...any) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		tag, err := tx.Exec(ctx, query, args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return apperr.ErrNotFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("postgres: %s: %w", what, err)
	}
	return err
}

// Setting returns a stored server setting, or nil when it is unset.
func (d *DB) Setting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := d.pool.QueryRow(ctx, `SELECT value FROM settings WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: setting %q: %w", key, err)
	}
	return v, nil
}

// SetSettingOnce stores value under key unless the key is set already, and
// returns the value that is stored: instances starting together agree,
// since the insert of the second waits for the first's commit and then
// does nothing.
func (d *DB) SetSettingOnce(ctx context.Context, key string, value []byte) ([]byte, error) {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		_, err := tx.Exec(ctx, `INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING`, key, value)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: set setting %q: %w", key, err)
	}
	return d.Setting(ctx, key)
}
