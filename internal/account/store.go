package account

import (
	"context"
	"time"
)

// Store keeps accounts, their password links, the recruiters' sessions and
// the API's tokens. Every rolefit database implements it.
type Store interface {
	// CreateUser stores a new account; an e-mail that has one already (in
	// any letter case) is apperr.ErrConflict.
	CreateUser(ctx context.Context, email, passwordHash string, admin bool) (*User, error)
	UserByEmail(ctx context.Context, email string) (*User, error)
	UserByID(ctx context.Context, id int64) (*User, error)
	ListUsers(ctx context.Context) ([]User, error)
	DeleteUser(ctx context.Context, id int64) error
	SetUserAdmin(ctx context.Context, id int64, admin bool) error
	SetUserPassword(ctx context.Context, id int64, passwordHash string) error

	PasswordLinkStore
	SessionStore
	TokenStore
}

// PasswordLinkStore keeps the one-time links that set a password.
type PasswordLinkStore interface {
	// InviteUser stores a new account with a password nobody knows
	// (lockedHash) and a link, by its token's hash, that sets one.
	InviteUser(ctx context.Context, email string, admin bool, lockedHash string, tokenHash []byte, expires time.Time) (*User, error)
	// ResetUserPassword locks an account's password and gives it a new link.
	ResetUserPassword(ctx context.Context, id int64, lockedHash string, tokenHash []byte, expires time.Time) error
	// PasswordLinkUser returns the account a link belongs to, expired or not.
	PasswordLinkUser(ctx context.Context, tokenHash []byte) (*User, PasswordLink, error)
	// UsePasswordLink sets the password and spends the link, once.
	UsePasswordLink(ctx context.Context, tokenHash []byte, now time.Time, passwordHash string) (*User, error)
}

// SessionStore keeps recruiters' sessions by the hash of their id.
type SessionStore interface {
	SaveRecruiterSession(ctx context.Context, idHash []byte, userID int64, data []byte, expires time.Time) error
	FindRecruiterSession(ctx context.Context, idHash []byte, now time.Time) (int64, []byte, error)
	DeleteRecruiterSession(ctx context.Context, idHash []byte) error
	// DeleteExpiredSessions removes the sessions that ended before now.
	DeleteExpiredSessions(ctx context.Context, now time.Time) (int, error)
}

// TokenStore keeps the API's tokens by their hash.
type TokenStore interface {
	CreateAPIToken(ctx context.Context, name string, hash []byte, expiresOn string) (*APIToken, error)
	APITokenByHash(ctx context.Context, hash []byte) (*APIToken, error)
	MarkAPITokenUsed(ctx context.Context, id int64, day string) error
	ListAPITokens(ctx context.Context) ([]APIToken, error)
	DeleteAPIToken(ctx context.Context, id int64) error
}
