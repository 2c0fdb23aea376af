package password

import (
	"context"
	"crypto/rand"
)

// Locked returns the hash of a random secret that is never kept or shown:
// an account holding it cannot be signed in to until its password is set
// through a link, and refusing a sign-in to it takes as long as refusing
// any wrong password, so it does not tell that the account is waiting.
func (h *Hasher) Locked(ctx context.Context) (string, error) {
	return h.Hash(ctx, rand.Text())
}
