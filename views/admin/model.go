// Package admin renders the admin pages: roles (import with a preview,
// item overrides, apply link, archive), accounts and API tokens.
package admin

// Index lists the roles.
type Index struct {
	Roles []RoleLine
}

// RoleLine is one role in the list.
type RoleLine struct {
	Slug, Title, Version, Imported string
	Items                          int
	Archived                       bool
}

// Import is the import form's state.
type Import struct {
	Markdown string
	Error    string
	Errors   map[string]string
}

// ImportSummary says what an archive upload did with each of its files.
type ImportSummary struct {
	Archive                              string
	Files                                []ImportedFile
	Imported, Unchanged, Refused, Warned int
}

// ImportedFile is one file of an archive: imported (with its role) or
// refused (Outcome says why).
type ImportedFile struct {
	Path, Outcome, Slug, Title string
	Refused                    bool
	Warnings                   []Warning
}

// Preview is a parsed page shown before it is published.
type Preview struct {
	Markdown, FileName string
	Slug, Title        string
	// Replaces is set when a role with this slug exists already.
	Replaces    bool
	Levels      []PreviewGroup
	Family      PreviewGroup
	Specialties []PreviewGroup
	Warnings    []Warning
}

// PreviewGroup is a level, the family-wide lists or a specialty.
type PreviewGroup struct {
	Title, Slug, Grade, Extends string
	Items                       []PreviewItem
}

// PreviewItem is one parsed bullet.
type PreviewItem struct {
	Section, Text, Kind, MinYears string
	Bonus                         bool
	Line                          int
}

// Warning is an import warning with its line.
type Warning struct {
	Line    int
	Message string
}

// Role is one role's admin page.
type Role struct {
	Slug, Title, Version string
	Archived             bool
	ApplyURL             string
	// SourceURL is where the role's page is published, for its links.
	SourceURL string
	Errors    map[string]string
	Notice    string
	Items     []OverrideItem
	Embed     Embed
}

// OverrideItem is one item with its effective settings.
type OverrideItem struct {
	ID, Text, Level, Section, Kind, Weight string
	Bonus                                  bool
	// Experience is possible only when the text states years.
	Experience bool
	Overridden bool
}

// Embed is what the embed snippets need.
type Embed struct {
	Slug, BaseURL string
	// Title is the role's title; Script and Preview are the URLs of the
	// copy buttons' script and of the widget's frame.
	Title, Script, Preview string
	// ScriptSnippet and FrameSnippet are the HTML to paste into a job page.
	ScriptSnippet, FrameSnippet string
}

// Users is the accounts page.
type Users struct {
	Users []UserLine
	// Email and Admin are the invitation form's values.
	Email  string
	Admin  bool
	Errors map[string]string
	Notice string
	// Link is an invitation or reset link just made, shown this once.
	Link *NewLink
}

// UserLine is one account.
type UserLine struct {
	ID, Email, CreatedOn string
	// Status says whether the account is active or waits for its link.
	Status    string
	Admin, Me bool
}

// NewLink is a one-time link to set a password, for the admin to pass on.
type NewLink struct {
	URL, Email, Expires string
	// Reset is set for a reset, unset for an invitation.
	Reset bool
}

// Tokens is the API tokens page.
type Tokens struct {
	Tokens []TokenLine
	Name   string
	// Expires is the expiry as typed ("90d", a date or empty).
	Expires string
	// New is a token just made, shown this once.
	New    string
	Errors map[string]string
}

// TokenLine is one token.
type TokenLine struct {
	ID, Name, CreatedOn string
	// ExpiresOn is the day from which the token is refused, "" for never.
	ExpiresOn string
	Expired   bool
	// LastUsedOn is the day of its last use, "" if never used.
	LastUsedOn string
}
