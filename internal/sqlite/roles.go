package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/rolefit/rolefit/internal/role"
)

// SaveRoleVersion stores a page and the admin's edits as the newest
// version of the role, creating the role on its first import. hash names
// the page and edits together: saving the same again makes that version
// the current one instead of adding another. A new version takes the
// role's next number.
func (d *DB) SaveRoleVersion(ctx context.Context, slug, title string, src []byte, hash string, edits role.Edits) (role.Version, error) {
	return d.SaveRoleVersionWith(ctx, slug, title, src, hash, nil, edits)
}

// SaveRoleVersionWith is SaveRoleVersion for a page imported with other
// pages of its handbook: includes are the pages its inheritance links
// resolved to, stored with the version (replacing those it had).
func (d *DB) SaveRoleVersionWith(ctx context.Context, slug, title string, src []byte, hash string, includes []role.Include, edits role.Edits) (role.Version, error) {
	now := d.Now().UTC()
	ed, err := encodeEdits(edits)
	if err != nil {
		return role.Version{}, fmt.Errorf("sqlite: save role %q: %w", slug, err)
	}
	err = d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`INSERT INTO roles (slug, title, created_on) VALUES (?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET title = excluded.title`, slug, title, now.Format(time.DateOnly)); err != nil {
			return err
		}
		// A new version is taken to live where the last one did.
		var id int64
		err := tx.QueryRow(`INSERT INTO role_versions (role_slug, hash, source, edits, imported_at, number, source_url)
			VALUES (?1, ?2, ?3, ?4, ?5, (SELECT coalesce(max(number), 0) + 1 FROM role_versions WHERE role_slug = ?1),
				COALESCE((SELECT source_url FROM role_versions WHERE role_slug = ?1 ORDER BY imported_at DESC, id DESC LIMIT 1), ''))
			ON CONFLICT (role_slug, hash) DO UPDATE SET imported_at = excluded.imported_at RETURNING id`,
			slug, hash, src, ed, now.Format(time.RFC3339Nano)).Scan(&id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`DELETE FROM role_version_includes WHERE version_id = ?`, id); err != nil {
			return err
		}
		for _, in := range includes {
			if _, err := tx.Exec(`INSERT INTO role_version_includes (version_id, path, source) VALUES (?, ?, ?)`, id, in.Path, in.Source); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return role.Version{}, fmt.Errorf("sqlite: save role %q: %w", slug, err)
	}
	vs, err := d.roleVersions(ctx, "AND r.slug = ?", slug)
	if err != nil {
		return role.Version{}, err
	}
	if len(vs) == 0 {
		return role.Version{}, fmt.Errorf("sqlite: save role %q: version not found after insert", slug)
	}
	return vs[0], nil
}

// encodeEdits stores no edits as the empty string, the value of versions
// made before edits existed.
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

func (d *DB) roleVersions(ctx context.Context, where string, args ...any) ([]role.Version, error) {
	rows, err := d.r.QueryContext(ctx, `
		SELECT `+versionColumns+`
		FROM roles r JOIN role_versions v ON v.role_slug = r.slug
		WHERE v.id = (SELECT id FROM role_versions WHERE role_slug = r.slug ORDER BY imported_at DESC, id DESC LIMIT 1) `+where+`
		ORDER BY r.slug`, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list role versions: %w", err)
	}
	defer rows.Close()
	var out []role.Version
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list role versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list role versions: %w", err)
	}
	for i := range out {
		if out[i].Overrides, err = d.itemOverrides(ctx, out[i].Slug); err != nil {
			return nil, err
		}
		if out[i].Includes, err = d.includes(ctx, out[i].ID); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// versionColumns are the columns scanVersion reads, from roles r and
// role_versions v.
const versionColumns = `v.id, v.number, r.slug, v.hash, v.source, v.edits, v.imported_at, r.apply_url, r.archived, v.source_url`

func scanVersion(row interface{ Scan(...any) error }) (role.Version, error) {
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
	rows, err := d.r.QueryContext(ctx, `SELECT path, source FROM role_version_includes WHERE version_id = ? ORDER BY path`, versionID)
	if err != nil {
		return nil, fmt.Errorf("sqlite: includes of version %d: %w", versionID, err)
	}
	defer rows.Close()
	var out []role.Include
	for rows.Next() {
		var in role.Include
		if err := rows.Scan(&in.Path, &in.Source); err != nil {
			return nil, fmt.Errorf("sqlite: includes of version %d: %w", versionID, err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

func (d *DB) itemOverrides(ctx context.Context, slug string) ([]role.Override, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT item_id, kind, weight, bonus FROM item_overrides WHERE role_slug = ?`, slug)
	if err != nil {
		return nil, fmt.Errorf("sqlite: item overrides of %q: %w", slug, err)
	}
	defer rows.Close()
	var out []role.Override
	for rows.Next() {
		var o role.Override
		var kind sql.NullString
		var weight sql.NullFloat64
		var bonus sql.NullBool
		if err := rows.Scan(&o.ItemID, &kind, &weight, &bonus); err != nil {
			return nil, fmt.Errorf("sqlite: item overrides of %q: %w", slug, err)
		}
		o.Kind = role.Kind(kind.String)
		o.Weight = weight.Float64
		if bonus.Valid {
			b := bonus.Bool
			o.Bonus = &b
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// Setting returns a stored server setting, or nil when it is unset.
func (d *DB) Setting(ctx context.Context, key string) ([]byte, error) {
	var v []byte
	err := d.r.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = ?`, key).Scan(&v)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: setting %q: %w", key, err)
	}
	return v, nil
}

// SetSettingOnce stores value under key unless the key is set already, and
// returns the value that is stored: concurrent first starts agree.
func (d *DB) SetSettingOnce(ctx context.Context, key string, value []byte) ([]byte, error) {
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING`, key, value)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("sqlite: set setting %q: %w", key, err)
	}
	return d.Setting(ctx, key)
}
