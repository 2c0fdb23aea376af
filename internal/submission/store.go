package submission

import (
	"context"
	"time"
)

// Store keeps completed checks and counts applicants' steps. Every rolefit
// database implements it.
type Store interface {
	// CreateSubmission stores s and adds it to the day's counters in one
	// transaction; it returns once that is durable, with s.ID set.
	CreateSubmission(ctx context.Context, s *Submission) error
	// FindSubmission returns the submission of a result token's hash with
	// the overrides it was made with: apperr.ErrGone when it was deleted,
	// apperr.ErrNotFound when it never was.
	FindSubmission(ctx context.Context, tokenHash []byte) (*Submission, error)
	// DeleteSubmission removes a submission for good, takes it out of the
	// counters and leaves a tombstone of the token's hash.
	DeleteSubmission(ctx context.Context, tokenHash []byte) error
	// RecordEvent adds one to the day's counters of ev.
	RecordEvent(ctx context.Context, ev Event) error
	NonceStore
}

// NonceStore keeps the widget's used form nonces, shared by every instance
// on one database, so that a form is accepted once wherever it is sent.
type NonceStore interface {
	// ClaimNonce marks nonce used until expires and reports whether it
	// was free; now is the server's clock.
	ClaimNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error)
	// ReleaseNonce forgets a claim whose submission failed, so the form
	// can be sent again.
	ReleaseNonce(ctx context.Context, nonce string) error
}

// Keeper looks after the stored submissions as a whole.
type Keeper interface {
	// PurgeSubmissions deletes the submissions of days before the UTC date
	// before and returns how many; counters are kept. Instances sharing a
	// database purge one at a time.
	PurgeSubmissions(ctx context.Context, before string) (int, error)
	// CountSubmissions counts a role's submissions, or all when slug is "".
	CountSubmissions(ctx context.Context, slug string) (int, error)
	// VerifyCounters recomputes the counters submissions feed from the
	// rows and returns every difference.
	VerifyCounters(ctx context.Context) ([]CounterDiff, error)
	// ImportSubmissions stores many submissions and events in one
	// transaction, with the counters they add summed first (for seeding
	// and bulk loads; each submission needs its TokenHash).
	ImportSubmissions(ctx context.Context, subs []*Submission, events []EventCount) error
}
