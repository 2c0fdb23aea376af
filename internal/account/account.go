// Package account holds the recruiter and admin accounts, their password
// links and the JSON API's tokens. It imports no storage.
package account

import "time"

// User is a recruiter or admin account.
type User struct {
	ID    int64
	Email string
	// PasswordHash is the encoded argon2id hash.
	PasswordHash string
	Admin        bool
	CreatedOn    string // UTC date
	// Link is the outstanding password link, if any (set by ListUsers).
	Link *PasswordLink
}

// Purposes of a password link.
const (
	LinkInvite = "invite"
	LinkReset  = "reset"
)

// PasswordLink is an account's outstanding one-time link to set its
// password.
type PasswordLink struct {
	// Purpose is LinkInvite for a new account, LinkReset for one whose
	// password an admin reset.
	Purpose string
	Expires time.Time
}

// Expired reports whether the link no longer works at now.
func (l PasswordLink) Expired(now time.Time) bool { return !now.Before(l.Expires) }

// APIToken is a bearer token of the JSON API, by name; the token itself
// is never stored, only its SHA-256.
type APIToken struct {
	ID        int64
	Name      string
	CreatedOn string // UTC date
	// ExpiresOn is the UTC date from which the token is refused; "" for
	// a token that does not expire.
	ExpiresOn string
	// LastUsedOn is the UTC date of its last use, "" if never used; a day
	// only, never a time.
	LastUsedOn string
}

// Expired reports whether the token is refused on the UTC date today.
func (t *APIToken) Expired(today string) bool {
	return t.ExpiresOn != "" && today >= t.ExpiresOn
}
