package role

import "time"

// VersionInfo describes one stored version of a role.
type VersionInfo struct {
	ID int64
	// Number is the version's number within its role, from 1.
	Number     int
	Hash       string
	ImportedAt time.Time
}
