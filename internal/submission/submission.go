// Package submission holds what an applicant's check leaves behind: the
// anonymised completed check and the day's counted steps towards it. It
// names no person and imports no storage.
package submission

import (
	"github.com/rolefit/rolefit/internal/release"
	"github.com/rolefit/rolefit/internal/role"
)

// Submission is one anonymised, completed check. Privacy: it holds no
// address, agent, session, name, free text or time of day.
type Submission struct {
	// ID is the row id, set by CreateSubmission and FindSubmission.
	ID int64
	// TokenHash is the SHA-256 of the result token; the token itself is
	// only ever in the applicant's hands.
	TokenHash []byte
	RoleSlug  string
	VersionID int64
	Mode      string // "quick" or "full"
	Channel   string // "site" or "embed"
	// EmbedHost is the embedding site's host when it is allow-listed,
	// "other" when it is not, "" on the site itself.
	EmbedHost string
	Specialty string
	Day       string // UTC date, YYYY-MM-DD
	// Answers maps item id → value (rating, years, or 1/0).
	Answers map[string]float64
	// Fits maps level slug → fit in [0, 100].
	Fits        map[string]float64
	Recommended string
	// Overrides are the admin's item changes in force when the check was
	// made; the result is shown with them, whatever changed since.
	Overrides []role.Override
}

// Event is a step of an applicant's way through a check that the dashboard
// counts per day. It names no person: only the role, the day and how the
// check was reached.
type Event struct {
	Day       string // UTC date, YYYY-MM-DD
	RoleSlug  string
	VersionID int64
	Channel   string // "site" or "embed"
	Mode      string // "quick" or "full"
	// Name is "started", "step" (Step is the 1-based step reached) or
	// "apply" (a click from the result to the role's apply link).
	Name string
	Step int
	// Host is the embedding site of a widget event: an allow-listed host
	// or "other" (see Submission.EmbedHost).
	Host string
}

// The counter metrics (see db/migrations/0004_counters.sql).
const (
	MetricStarted     = "started"
	MetricStep        = "step"
	MetricApply       = "apply"
	MetricCompleted   = "completed"
	MetricAnswer      = "answer"
	MetricFit         = "fit"
	MetricRecommended = "recommended"
	// The widget's funnel per embedding site: the key is the host.
	MetricHostStarted   = release.HostStarted
	MetricHostCompleted = release.HostCompleted
	MetricHostApply     = release.HostApply
)

// EventCount is a number of identical applicant events, for seeding.
type EventCount struct {
	Event
	N int
}
