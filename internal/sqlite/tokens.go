package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/apperr"
)

// APIToken is a bearer token of the JSON API, by name; the token itself
// is never stored, only its SHA-256.
type APIToken struct {
	ID        int64
	Name      string
	CreatedOn string // UTC date
}

// CreateAPIToken stores the hash of a new token.
func (d *DB) CreateAPIToken(ctx context.Context, name string, hash []byte) (*APIToken, error) {
	t := &APIToken{Name: strings.TrimSpace(name), CreatedOn: d.Now().UTC().Format(time.DateOnly)}
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`INSERT INTO api_tokens (name, hash, created_on) VALUES (?, ?, ?)`, t.Name, hash, t.CreatedOn)
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
func (d *DB) APITokenByHash(ctx context.Context, hash []byte) (*APIToken, error) {
	var t APIToken
	err := d.r.QueryRowContext(ctx, `SELECT id, name, created_on FROM api_tokens WHERE hash = ?`, hash).
		Scan(&t.ID, &t.Name, &t.CreatedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find token: %w", err)
	}
	return &t, nil
}

// ListAPITokens returns every token, newest first.
func (d *DB) ListAPITokens(ctx context.Context) ([]APIToken, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT id, name, created_on FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list tokens: %w", err)
	}
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		if err := rows.Scan(&t.ID, &t.Name, &t.CreatedOn); err != nil {
			return nil, fmt.Errorf("sqlite: list tokens: %w", err)
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// DeleteAPIToken revokes a token at once.
func (d *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	return d.changeOne(ctx, "delete token", `DELETE FROM api_tokens WHERE id = ?`, id)
}
