// Package layout holds the page frame every rolefit page is rendered in.
package layout

// Meta is what the frame needs to know about a page.
type Meta struct {
	// Title is the page's own title; the site name is appended.
	Title       string
	Description string
	// CSS is the URL of the stylesheet (content-hashed).
	CSS string
	// Icon is the URL of the favicon (content-hashed).
	Icon string
	// Scripts are URLs of optional progressive-enhancement scripts.
	Scripts []string
	// User is the signed-in recruiter's e-mail, empty for applicants.
	User string
	// Admin shows the admin link.
	Admin bool
	// CSRF is the token the recruiters' forms on the page carry (sign-in,
	// admin); applicants' forms need none (see Server.crossOrigin).
	CSRF string
}

// FullTitle is the text of the <title> element.
func (m Meta) FullTitle() string {
	if m.Title == "" {
		return "rolefit"
	}
	return m.Title + " · rolefit"
}
