package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
	"github.com/rolefit/rolefit/internal/submission"
)

// CreateUser stores a new account. An e-mail that has an account already
// (in any letter case) is apperr.ErrConflict.
func (d *DB) CreateUser(ctx context.Context, email, passwordHash string, admin bool) (*account.User, error) {
	u := &account.User{Email: strings.TrimSpace(email), PasswordHash: passwordHash, Admin: admin,
		CreatedOn: d.Now().UTC().Format(time.DateOnly)}
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error { return insertUser(ctx, tx, u) })
	if isUnique(err) {
		return nil, fmt.Errorf("postgres: create user: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: create user: %w", err)
	}
	return u, nil
}

// insertUser stores u and sets its id.
func insertUser(ctx context.Context, tx pgx.Tx, u *account.User) error {
	return tx.QueryRow(ctx, `INSERT INTO users (email, password_hash, admin, created_on) VALUES ($1, $2, $3, $4) RETURNING id`,
		u.Email, u.PasswordHash, u.Admin, u.CreatedOn).Scan(&u.ID)
}

const userColumns = `u.id, u.email, u.password_hash, u.admin, u.created_on`

func scanUser(row pgx.Row, extra ...any) (*account.User, error) {
	var u account.User
	if err := row.Scan(append([]any{&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CreatedOn}, extra...)...); err != nil {
		return nil, err
	}
	return &u, nil
}

func (d *DB) findUser(ctx context.Context, where string, arg any) (*account.User, error) {
	u, err := scanUser(d.pool.QueryRow(ctx, `SELECT `+userColumns+` FROM users u WHERE `+where, arg))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find user: %w", err)
	}
	return u, nil
}

// UserByEmail returns the account of an e-mail (any letter case), or
// apperr.ErrNotFound.
func (d *DB) UserByEmail(ctx context.Context, email string) (*account.User, error) {
	return d.findUser(ctx, `lower(u.email) = lower($1)`, strings.TrimSpace(email))
}

// UserByID returns an account by id, or apperr.ErrNotFound.
func (d *DB) UserByID(ctx context.Context, id int64) (*account.User, error) {
	return d.findUser(ctx, `u.id = $1`, id)
}

// ListUsers returns every account by e-mail, each with its outstanding
// password link.
func (d *DB) ListUsers(ctx context.Context) ([]account.User, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+userColumns+`, l.purpose, l.expires_at
		FROM users u LEFT JOIN password_links l ON l.user_id = u.id ORDER BY lower(u.email), u.email`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (account.User, error) {
		var purpose, expires *string
		u, err := scanUser(row, &purpose, &expires)
		if err != nil {
			return account.User{}, err
		}
		if purpose != nil {
			t, err := time.Parse(time.RFC3339, *expires)
			if err != nil {
				return account.User{}, err
			}
			u.Link = &account.PasswordLink{Purpose: *purpose, Expires: t}
		}
		return *u, nil
	})
	if err != nil {
		return nil, fmt.Errorf("postgres: list users: %w", err)
	}
	return out, nil
}

// DeleteUser removes an account; its sessions go with it (ON DELETE
// CASCADE), so it is signed out everywhere at once.
func (d *DB) DeleteUser(ctx context.Context, id int64) error {
	return d.changeOne(ctx, "delete user", `DELETE FROM users WHERE id = $1`, id)
}

// SetUserAdmin grants or revokes admin rights.
func (d *DB) SetUserAdmin(ctx context.Context, id int64, admin bool) error {
	return d.changeOne(ctx, "set admin", `UPDATE users SET admin = $1 WHERE id = $2`, admin, id)
}

// SetUserPassword replaces an account's password hash and ends its
// sessions, in one transaction, so that a changed password locks out
// whoever knew the old one.
func (d *DB) SetUserPassword(ctx context.Context, id int64, passwordHash string) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		if err := setPassword(ctx, tx, id, passwordHash); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `DELETE FROM recruiter_sessions WHERE user_id = $1`, id)
		return err
	})
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("postgres: set password: %w", err)
	}
	return err
}

// setPassword replaces an account's password hash; an unknown account is
// apperr.ErrNotFound.
func setPassword(ctx context.Context, tx pgx.Tx, id int64, hash string) error {
	tag, err := tx.Exec(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, hash, id)
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return apperr.ErrNotFound
	}
	return nil
}

// SaveRecruiterSession stores (or replaces) a recruiter session under the
// SHA-256 of its id.
func (d *DB) SaveRecruiterSession(ctx context.Context, idHash []byte, userID int64, data []byte, expires time.Time) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		_, err := tx.Exec(ctx, `INSERT INTO recruiter_sessions (id_hash, user_id, data, expires_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
			idHash, userID, data, expires.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: save session: %w", err)
	}
	return nil
}

// FindRecruiterSession returns the user and data of an unexpired session,
// or apperr.ErrNotFound.
func (d *DB) FindRecruiterSession(ctx context.Context, idHash []byte, now time.Time) (int64, []byte, error) {
	var userID int64
	var data []byte
	err := d.pool.QueryRow(ctx, `SELECT user_id, data FROM recruiter_sessions WHERE id_hash = $1 AND expires_at > $2`,
		idHash, now.UTC().Format(time.RFC3339)).Scan(&userID, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil, apperr.ErrNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("postgres: find session: %w", err)
	}
	return userID, data, nil
}

// DeleteRecruiterSession ends a session.
func (d *DB) DeleteRecruiterSession(ctx context.Context, idHash []byte) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		_, err := tx.Exec(ctx, `DELETE FROM recruiter_sessions WHERE id_hash = $1`, idHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that ended before now.
func (d *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		tag, err := tx.Exec(ctx, `DELETE FROM recruiter_sessions WHERE expires_at <= $1`, now.UTC().Format(time.RFC3339))
		n = tag.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("postgres: delete expired sessions: %w", err)
	}
	return int(n), nil
}

func putLink(ctx context.Context, tx pgx.Tx, userID int64, purpose string, tokenHash []byte, expires time.Time) error {
	_, err := tx.Exec(ctx, `INSERT INTO password_links (user_id, token_hash, purpose, expires_at) VALUES ($1, $2, $3, $4)
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
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		if err := insertUser(ctx, tx, u); err != nil {
			return err
		}
		return putLink(ctx, tx, u.ID, account.LinkInvite, tokenHash, expires)
	})
	if isUnique(err) {
		return nil, fmt.Errorf("postgres: invite user: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: invite user: %w", err)
	}
	return u, nil
}

// ResetUserPassword locks an account (lockedHash is the hash of a secret
// nobody knows), ends its sessions and gives it a new password link
// (replacing an outstanding one), in one transaction. An account still
// invited keeps its invitation's purpose, so that it is still listed as
// invited.
func (d *DB) ResetUserPassword(ctx context.Context, id int64, lockedHash string, tokenHash []byte, expires time.Time) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		if err := setPassword(ctx, tx, id, lockedHash); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM recruiter_sessions WHERE user_id = $1`, id); err != nil {
			return err
		}
		purpose := account.LinkReset
		err := tx.QueryRow(ctx, `SELECT purpose FROM password_links WHERE user_id = $1`, id).Scan(&purpose)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		return putLink(ctx, tx, id, purpose, tokenHash, expires)
	})
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("postgres: reset password: %w", err)
	}
	return err
}

// PasswordLinkUser returns the account a link's token hash belongs to and
// the link, expired or not; apperr.ErrNotFound if there is no such link
// (it was used, replaced, or never made).
func (d *DB) PasswordLinkUser(ctx context.Context, tokenHash []byte) (*account.User, account.PasswordLink, error) {
	var l account.PasswordLink
	var expires string
	u, err := scanUser(d.pool.QueryRow(ctx, `SELECT `+userColumns+`, l.purpose, l.expires_at
		FROM password_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = $1`, tokenHash), &l.Purpose, &expires)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, l, apperr.ErrNotFound
	}
	if err != nil {
		return nil, l, fmt.Errorf("postgres: find password link: %w", err)
	}
	if l.Expires, err = time.Parse(time.RFC3339, expires); err != nil {
		return nil, l, fmt.Errorf("postgres: find password link: %w", err)
	}
	return u, l, nil
}

// UsePasswordLink sets the password of the account a link belongs to,
// deletes the link so it works once, and ends the account's sessions, in
// one transaction. A link that is unknown, used or expired at now is
// apperr.ErrNotFound and changes nothing.
func (d *DB) UsePasswordLink(ctx context.Context, tokenHash []byte, now time.Time, passwordHash string) (*account.User, error) {
	var id int64
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		err := tx.QueryRow(ctx, `DELETE FROM password_links WHERE token_hash = $1 AND expires_at > $2 RETURNING user_id`,
			tokenHash, now.UTC().Format(time.RFC3339)).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			return apperr.ErrNotFound
		}
		if err != nil {
			return err
		}
		if err := setPassword(ctx, tx, id, passwordHash); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM recruiter_sessions WHERE user_id = $1`, id)
		return err
	})
	if errors.Is(err, apperr.ErrNotFound) {
		return nil, err
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: use password link: %w", err)
	}
	return d.UserByID(ctx, id)
}

// CreateAPIToken stores the hash of a new token that expires on the UTC
// date expiresOn, or never when it is "".
func (d *DB) CreateAPIToken(ctx context.Context, name string, hash []byte, expiresOn string) (*account.APIToken, error) {
	if expiresOn != "" {
		if _, err := time.Parse(time.DateOnly, expiresOn); err != nil {
			return nil, fmt.Errorf("postgres: create token: expiry %q: %w", expiresOn, err)
		}
	}
	t := &account.APIToken{Name: strings.TrimSpace(name), CreatedOn: d.Now().UTC().Format(time.DateOnly), ExpiresOn: expiresOn}
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		return tx.QueryRow(ctx, `INSERT INTO api_tokens (name, hash, created_on, expires_on) VALUES ($1, $2, $3, nullif($4, ''))
			RETURNING id`, t.Name, hash, t.CreatedOn, t.ExpiresOn).Scan(&t.ID)
	})
	if isUnique(err) {
		return nil, fmt.Errorf("postgres: create token: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: create token: %w", err)
	}
	return t, nil
}

const tokenColumns = `id, name, created_on, coalesce(expires_on, ''), coalesce(last_used_on, '')`

func scanAPIToken(row pgx.Row) (account.APIToken, error) {
	var t account.APIToken
	err := row.Scan(&t.ID, &t.Name, &t.CreatedOn, &t.ExpiresOn, &t.LastUsedOn)
	return t, err
}

// APITokenByHash returns the token whose SHA-256 is hash, or
// apperr.ErrNotFound.
func (d *DB) APITokenByHash(ctx context.Context, hash []byte) (*account.APIToken, error) {
	t, err := scanAPIToken(d.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE hash = $1`, hash))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("postgres: find token: %w", err)
	}
	return &t, nil
}

// MarkAPITokenUsed records that the token was used on the UTC date day.
// Callers skip it when the token's LastUsedOn is already day, so a token
// costs one write a day however often it is used.
func (d *DB) MarkAPITokenUsed(ctx context.Context, id int64, day string) error {
	err := d.write(ctx, func(ctx context.Context, tx pgx.Tx, _ submission.Tally) error {
		_, err := tx.Exec(ctx, `UPDATE api_tokens SET last_used_on = $1 WHERE id = $2`, day, id)
		return err
	})
	if err != nil {
		return fmt.Errorf("postgres: mark token used: %w", err)
	}
	return nil
}

// ListAPITokens returns every token, newest first.
func (d *DB) ListAPITokens(ctx context.Context) ([]account.APIToken, error) {
	rows, err := d.pool.Query(ctx, `SELECT `+tokenColumns+` FROM api_tokens ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (account.APIToken, error) { return scanAPIToken(row) })
	if err != nil {
		return nil, fmt.Errorf("postgres: list tokens: %w", err)
	}
	return out, nil
}

// DeleteAPIToken revokes a token at once.
func (d *DB) DeleteAPIToken(ctx context.Context, id int64) error {
	return d.changeOne(ctx, "delete token", `DELETE FROM api_tokens WHERE id = $1`, id)
}
