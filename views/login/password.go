package login

// SetPassword is the form a one-time link opens: an invited person sets
// their first password, or someone whose password an admin reset sets a
// new one.
type SetPassword struct {
	Email string
	// Reset is set for a reset link, unset for an invitation.
	Reset bool
	// Action is the link's own address, where the form posts.
	Action string
	// Expires is when the link stops working, as shown.
	Expires string
	Error   string
	Errors  map[string]string
}

// ChangePassword is a signed-in user's form to change their password.
type ChangePassword struct {
	// Changed shows that the password was just changed.
	Changed bool
	Error   string
	Errors  map[string]string
}

// describedBy joins a field's hint with its error, if any, for
// aria-describedby.
func describedBy(errs map[string]string, name, hint string) string {
	if errs[name] != "" {
		return hint + " e-" + name
	}
	return hint
}
