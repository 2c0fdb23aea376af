package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// ClaimNonce records nonce as used until the end of the UTC day of expires
// and reports whether it was unused. Nonces whose day is over by now (the
// caller's clock, which also set expires) are deleted in the same
// transaction, so the table holds about a day of them.
func (d *DB) ClaimNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error) {
	today := now.UTC().Format(time.DateOnly)
	claimed := false
	err := d.write(ctx, func(tx *sql.Tx) error {
		if _, err := tx.Exec(`DELETE FROM used_nonces WHERE expires_on < ?`, today); err != nil {
			return err
		}
		res, err := tx.Exec(`INSERT INTO used_nonces (nonce, expires_on) VALUES (?, ?) ON CONFLICT (nonce) DO NOTHING`,
			nonce, expires.UTC().Format(time.DateOnly))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		claimed = n == 1
		return err
	})
	if err != nil {
		return false, fmt.Errorf("sqlite: claim nonce: %w", err)
	}
	return claimed, nil
}

// ReleaseNonce forgets a claimed nonce whose submission failed, so that
// the same form can be sent again.
func (d *DB) ReleaseNonce(ctx context.Context, nonce string) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM used_nonces WHERE nonce = ?`, nonce)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: release nonce: %w", err)
	}
	return nil
}
