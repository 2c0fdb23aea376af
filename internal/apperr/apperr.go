// Package apperr holds the few error kinds that cross rolefit's layers, so
// that storage can say "not found" and the web layer can map it to a status
// in one place without either knowing the other.
package apperr

import "errors"

// Sentinel errors, matched with errors.Is.
var (
	// ErrNotFound: the record does not exist (or was deleted).
	ErrNotFound = errors.New("not found")
	// ErrConflict: the change clashes with existing data.
	ErrConflict = errors.New("conflict")
	// ErrGone: the record existed and was deleted for good.
	ErrGone = errors.New("gone")
)

// Invalid is a user's mistake, with a message fit to show them.
type Invalid struct {
	Message string
	// Fields holds per-field messages, keyed by form field name.
	Fields map[string]string
}

func (e *Invalid) Error() string { return e.Message }

// Invalidf makes an Invalid with a message.
func Invalidf(msg string) *Invalid { return &Invalid{Message: msg} }
