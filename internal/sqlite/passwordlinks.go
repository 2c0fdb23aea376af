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

func putLink(tx *sql.Tx, userID int64, purpose string, tokenHash []byte, expires time.Time) error {
	_, err := tx.Exec(`INSERT INTO password_links (user_id, token_hash, purpose, expires_at) VALUES (?, ?, ?, ?)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, purpose = excluded.purpose, expires_at = excluded.expires_at`,
		userID, tokenHash, purpose, expires.UTC().Format(time.RFC3339))
	return err
}

// InviteUser makes an account that cannot be signed in to yet
// (lockedHash is the hash of a secret nobody knows) and its invitation
// link, in one transaction. An e-mail that has an account already is
// apperr.ErrConflict.
func (d *DB) InviteUser(ctx context.Context, email string, admin bool, lockedHash string, tokenHash []byte, expires time.Time) (*account.User, error) {
	u := &account.User{Email: strings.TrimSpace(email), PasswordHash: lockedHash, Admin: admin,
		CreatedOn: d.Now().UTC().Format(time.DateOnly)}
	err := d.write(ctx, func(tx *sql.Tx) error {
		if err := insertUser(tx, u); err != nil {
			return err
		}
		return putLink(tx, u.ID, account.LinkInvite, tokenHash, expires)
	})
	if isUnique(err) {
		return nil, fmt.Errorf("sqlite: invite user: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: invite user: %w", err)
	}
	return u, nil
}

// ResetUserPassword locks an account (lockedHash is the hash of a secret
// nobody knows), ends its sessions and gives it a new password link
// (replacing an outstanding one), in one transaction: whoever knew the old
// password or holds a session is out at once. An account still invited
// keeps its invitation's purpose, so that it is still listed as invited.
func (d *DB) ResetUserPassword(ctx context.Context, id int64, lockedHash string, tokenHash []byte, expires time.Time) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`UPDATE users SET password_hash = ? WHERE id = ?`, lockedHash, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		if _, err := tx.Exec(`DELETE FROM recruiter_sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		purpose := account.LinkReset
		err = tx.QueryRow(`SELECT purpose FROM password_links WHERE user_id = ?`, id).Scan(&purpose)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		return putLink(tx, id, purpose, tokenHash, expires)
	})
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("sqlite: reset password: %w", err)
	}
	return err
}

// PasswordLinkUser returns the account a link's token hash belongs to and
// the link, expired or not; apperr.ErrNotFound if there is no such link
// (it was used, replaced, or never made).
func (d *DB) PasswordLinkUser(ctx context.Context, tokenHash []byte) (*account.User, account.PasswordLink, error) {
	var u account.User
	var l account.PasswordLink
	var expires string
	err := d.r.QueryRowContext(ctx, `SELECT u.id, u.email, u.password_hash, u.admin, u.created_on, l.purpose, l.expires_at
		FROM password_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = ?`, tokenHash).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CreatedOn, &l.Purpose, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, l, apperr.ErrNotFound
	}
	if err != nil {
		return nil, l, fmt.Errorf("sqlite: find password link: %w", err)
	}
	if l.Expires, err = time.Parse(time.RFC3339, expires); err != nil {
		return nil, l, fmt.Errorf("sqlite: find password link: %w", err)
	}
	return &u, l, nil
}

// UsePasswordLink sets the password of the account a link belongs to,
// deletes the link so it works once, and ends the account's sessions, in
// one transaction. A link that is unknown, used or expired at now is
// apperr.ErrNotFound and changes nothing.
func (d *DB) UsePasswordLink(ctx context.Context, tokenHash []byte, now time.Time, passwordHash string) (*account.User, error) {
	var id int64
	err := d.write(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRow(`DELETE FROM password_links WHERE token_hash = ? AND expires_at > ? RETURNING user_id`,
			tokenHash, now.UTC().Format(time.RFC3339)).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if _, err := tx.Exec(`UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, id); err != nil {
			return err
		}
		_, err = tx.Exec(`DELETE FROM recruiter_sessions WHERE user_id = ?`, id)
		return err
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: use password link: %w", err)
	}
	return d.UserByID(ctx, id)
}
