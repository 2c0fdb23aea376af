package web

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/rolefit/rolefit/internal/sqlite"
)

// PasswordLinkLifetime is how long an invitation or reset link works.
const PasswordLinkLifetime = 72 * time.Hour

// passwordLinkPath is where a password link opens; the token follows.
const passwordLinkPath = "/password/"

// NewPasswordLink makes a one-time link under base (the public address,
// such as https://rolefit.example.com) and the hash that is stored for its
// token; the token itself is only in the link.
func NewPasswordLink(base string) (link string, hash []byte) {
	token := base64.RawURLEncoding.EncodeToString(randomBytes(32))
	return strings.TrimRight(base, "/") + passwordLinkPath + token, hashLinkToken(token)
}

func hashLinkToken(token string) []byte {
	sum := sha256.Sum256([]byte(token))
	return sum[:]
}

// LinkExpiry is how the end of a link is shown: to the minute, in UTC.
func LinkExpiry(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }

// AccountStatus says whether an account can be signed in to, or waits for
// its password link (l, nil when there is none).
func AccountStatus(l *sqlite.PasswordLink, now time.Time) string {
	switch {
	case l == nil:
		return "active"
	case l.Expired(now) && l.Purpose == sqlite.LinkInvite:
		return "invitation expired"
	case l.Expired(now):
		return "reset link expired"
	case l.Purpose == sqlite.LinkInvite:
		return "invited, link until " + LinkExpiry(l.Expires)
	}
	return "password reset, link until " + LinkExpiry(l.Expires)
}
