package sqlite

import (
	"context"
	"database/sql"
)

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
}

// RecordEvent adds one to the day's counter for ev.
func (d *DB) RecordEvent(ctx context.Context, ev Event) error {
	// TODO: counters arrive with the dashboard; until then events are
	// accepted and not counted.
	return nil
}

// addSubmissionCounters adds sign (+1 or -1) times the submission to the
// day's aggregate counters, inside the transaction that stores or deletes
// it, so that counters and rows never disagree.
func addSubmissionCounters(tx *sql.Tx, s *Submission, sign int) error {
	// TODO: counters arrive with the dashboard.
	return nil
}
