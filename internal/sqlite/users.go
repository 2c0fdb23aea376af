package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/rolefit/rolefit/internal/account"
	"github.com/rolefit/rolefit/internal/apperr"
)

func isUnique(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.ExtendedCode == sqlite3.ErrConstraintUnique
}

// CreateUser stores a new account. An e-mail that has an account already
// (in any letter case) is apperr.ErrConflict.
func (d *DB) CreateUser(ctx context.Context, email, passwordHash string, admin bool) (*account.User, error) {
	u := &account.User{Email: strings.TrimSpace(email), PasswordHash: passwordHash, Admin: admin,
		CreatedOn: d.Now().UTC().Format(time.DateOnly)}
	err := d.write(ctx, func(tx *sql.Tx) error { return insertUser(tx, u) })
	if isUnique(err) {
		return nil, fmt.Errorf("sqlite: create user: %w", apperr.ErrConflict)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: create user: %w", err)
	}
	return u, nil
}

// insertUser stores u and sets its id.
func insertUser(tx *sql.Tx, u *account.User) error {
	res, err := tx.Exec(`INSERT INTO users (email, password_hash, admin, created_on) VALUES (?, ?, ?, ?)`,
		u.Email, u.PasswordHash, u.Admin, u.CreatedOn)
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

const userColumns = `id, email, password_hash, admin, created_on`

func (d *DB) findUser(ctx context.Context, where string, arg any) (*account.User, error) {
	var u account.User
	err := d.r.QueryRowContext(ctx, `SELECT `+userColumns+` FROM users WHERE `+where, arg).
		Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CreatedOn)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, apperr.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("sqlite: find user: %w", err)
	}
	return &u, nil
}

// UserByEmail returns the account of an e-mail (any letter case), or
// apperr.ErrNotFound.
func (d *DB) UserByEmail(ctx context.Context, email string) (*account.User, error) {
	return d.findUser(ctx, `email = ?`, strings.TrimSpace(email))
}

// UserByID returns an account by id, or apperr.ErrNotFound.
func (d *DB) UserByID(ctx context.Context, id int64) (*account.User, error) {
	return d.findUser(ctx, `id = ?`, id)
}

// ListUsers returns every account by e-mail, each with its outstanding
// password link.
func (d *DB) ListUsers(ctx context.Context) ([]account.User, error) {
	rows, err := d.r.QueryContext(ctx, `SELECT u.id, u.email, u.password_hash, u.admin, u.created_on, l.purpose, l.expires_at
		FROM users u LEFT JOIN password_links l ON l.user_id = u.id ORDER BY u.email`)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list users: %w", err)
	}
	defer rows.Close()
	var out []account.User
	for rows.Next() {
		var u account.User
		var purpose, expires sql.NullString
		if err := rows.Scan(&u.ID, &u.Email, &u.PasswordHash, &u.Admin, &u.CreatedOn, &purpose, &expires); err != nil {
			return nil, fmt.Errorf("sqlite: list users: %w", err)
		}
		if purpose.Valid {
			t, err := time.Parse(time.RFC3339, expires.String)
			if err != nil {
				return nil, fmt.Errorf("sqlite: list users: %w", err)
			}
			u.Link = &account.PasswordLink{Purpose: purpose.String, Expires: t}
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// DeleteUser removes an account; its sessions go with it (ON DELETE
// CASCADE), so it is signed out everywhere at once.
func (d *DB) DeleteUser(ctx context.Context, id int64) error {
	return d.changeOne(ctx, "delete user", `DELETE FROM users WHERE id = ?`, id)
}

// SetUserAdmin grants or revokes admin rights.
func (d *DB) SetUserAdmin(ctx context.Context, id int64, admin bool) error {
	return d.changeOne(ctx, "set admin", `UPDATE users SET admin = ? WHERE id = ?`, admin, id)
}

// SetUserPassword replaces an account's password hash and ends its
// sessions, so that a changed password locks out whoever knew the old one.
func (d *DB) SetUserPassword(ctx context.Context, id int64, passwordHash string) error {
	err := d.changeOne(ctx, "set password", `UPDATE users SET password_hash = ? WHERE id = ?`, passwordHash, id)
	if err != nil {
		return err
	}
	return d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM recruiter_sessions WHERE user_id = ?`, id)
		return err
	})
}

func (d *DB) changeOne(ctx context.Context, what, query string, args ...any) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return apperr.ErrNotFound
		}
		return nil
	})
	if err != nil && !errors.Is(err, apperr.ErrNotFound) {
		return fmt.Errorf("sqlite: %s: %w", what, err)
	}
	return err
}

// SaveRecruiterSession stores (or replaces) a recruiter session under the
// SHA-256 of its id.
func (d *DB) SaveRecruiterSession(ctx context.Context, idHash []byte, userID int64, data []byte, expires time.Time) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`INSERT INTO recruiter_sessions (id_hash, user_id, data, expires_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (id_hash) DO UPDATE SET user_id = excluded.user_id, data = excluded.data, expires_at = excluded.expires_at`,
			idHash, userID, data, expires.UTC().Format(time.RFC3339))
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: save session: %w", err)
	}
	return nil
}

// FindRecruiterSession returns the user and data of an unexpired session,
// or apperr.ErrNotFound.
func (d *DB) FindRecruiterSession(ctx context.Context, idHash []byte, now time.Time) (int64, []byte, error) {
	var userID int64
	var data []byte
	err := d.r.QueryRowContext(ctx, `SELECT user_id, data FROM recruiter_sessions WHERE id_hash = ? AND expires_at > ?`,
		idHash, now.UTC().Format(time.RFC3339)).Scan(&userID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil, apperr.ErrNotFound
	}
	if err != nil {
		return 0, nil, fmt.Errorf("sqlite: find session: %w", err)
	}
	return userID, data, nil
}

// DeleteRecruiterSession ends a session.
func (d *DB) DeleteRecruiterSession(ctx context.Context, idHash []byte) error {
	err := d.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.Exec(`DELETE FROM recruiter_sessions WHERE id_hash = ?`, idHash)
		return err
	})
	if err != nil {
		return fmt.Errorf("sqlite: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions that ended before now.
func (d *DB) DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error) {
	var n int64
	err := d.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.Exec(`DELETE FROM recruiter_sessions WHERE expires_at <= ?`, now.UTC().Format(time.RFC3339))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("sqlite: delete expired sessions: %w", err)
	}
	return int(n), nil
}
