package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
)

// CreateAPIToken stores the hash of a new token that expires on the UTC
// date expiresOn, or never when it is "".
func (d *DB) CreateAPIToken(ctx context.Context, name string, hash []byte, expiresOn string) (*account.APIToken, error) {
	if expiresOn != "" {
		if _, err := time.Parse(time.DateOnly, expiresOn); err != nil {
			return nil, fmt.Errorf("sqlite: create token: expiry %q: %w", expiresOn, err)
		}
	}
	t := &account.APIToken{Name: strings.TrimSpace(name), CreatedOn: d.Now().UTC().Format(time.DateOnly), ExpiresOn: expiresOn}
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO api_tokens (name, hash, created_on, expires_on) VALUES (?, ?, ?, nullif(?, ''))`,
			t.Name, hash, t.CreatedOn, t.ExpiresOn)
		if err != nil {
			return err
		}
		t.ID, err = res.LastInsertId()
		return err
	})
	if isUnique(err) {
		return nil, fmt.Errorf("sqlite: create token: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: create token: %w", err)
	}
	return t, nil
}

// APITokenByHash returns the token whose SHA-256 is hash, or
// apperr.ErrNotFound.
func (d *DB) APITokenByHash(ctx context.Context, hash []byte) (*account.APIToken, error) {
	t, err := scanAPIToken(d.r.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = ?`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find token: %w", err)
	}
	return t, nil
}

const tokenColumns = `id, name, created_on, coalesce(expires_on, ''), coalesce(last_used_on, '')`

func scanAPIToken(row rowScanner) (*account.APIToken, error) {
	var t account.APIToken
	if err := row.Scan(&t.ID, &t.Name, &t.CreatedOn, &t.ExpiresOn, &t.LastUsedOn); err != nil {
		return nil, err
	}
	return &t, nil
}

// MarkAPITokenUsed records that the token was used on the UTC date day.
// Callers skip it when the token's LastUsedOn is already day, so a token
// costs one write a day however often it is used.
func (d *DB) MarkAPITokenUsed(ctx context.Context, id int64, day string) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`UPDATE api_tokens SET last_used_on = ? WHERE id = ?`, day, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: mark token used: %w", err)
	}
	return nil
}

// ListAPITokens returns every token, newest first.
func (d *DB) ListAPITokens(ctx context.Context) ([]account.APIToken, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", err)
	}
	defer rows.Close()
	var out []account.APIToken
	for rows.Next() {
		t, err := scanAPIToken(rows)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list tokens: %w", err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a token at once.
func (d *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	return d.changeOne(ctx, "delete token", `DELETE FROM api_tokens WHERE id = ?`, id)
}
