// Package admin renders the admin pages: roles (import into an editable
// draft, the role editor, versions and their comparison, apply link,
// archive), accounts and API tokens.
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
	Editor    Editor
	Embed     Embed
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

// Editor is the role editor: an imported page's draft before it is
// published, or a published role. One form and one Save change the
// title, summary, source URL and every item.
type Editor struct {
	// Draft is set for an import not yet published; it carries the page.
	Draft              bool
	Markdown, FileName string
	// Version is the number of the version being edited (published roles),
	// so that a Save over someone else's newer one is refused.
	Version                         string
	Slug, Title, Summary, SourceURL string
	// Replaces is the title of the published role a draft's slug names.
	Replaces string
	Levels   []EditorLevel
	Groups   []EditorGroup
	Kinds    []string
	Warnings []Warning
	Errors   map[string]string
}

// EditorLevel is a level, for the expected-rating columns.
type EditorLevel struct {
	Slug, Title string
}

// EditorGroup is one section of a level, of the family-wide lists or of a
// specialty, with its bulk actions.
type EditorGroup struct {
	// Key names the group's bulk fields.
	Key, Title, Section, Note string
	Items                     []EditorItem
}

// EditorItem is one item with the values in the form.
type EditorItem struct {
	ID, Text, Kind, Weight string
	Line                   int
	Bonus, Omit            bool
	// MinYears is the number of years the text states; only then can the
	// item be an experience item.
	MinYears string
	// Expect has one cell per level of the editor.
	Expect []ExpectCell
	Errors map[string]string
}

// ExpectCell is the rating expected of an item at one level.
type ExpectCell struct {
	Level, LevelTitle string
	// Applies is false where the level does not ask the item, or the item
	// is not rated 0–4.
	Applies bool
	// Value is the admin's rating, "" for the rule; Default is the rule's.
	Value, Default string
}

// Versions lists a role's versions and compares two of them.
type Versions struct {
	Slug, Title string
	List        []VersionLine
	A, B        string
	Diff        *VersionDiff
	Error       string
}

// VersionLine is one version.
type VersionLine struct {
	Number, Date, Hash string
	Current            bool
}

// VersionDiff is what changed from version A to version B.
type VersionDiff struct {
	Title, Summary [2]string
	Added, Removed []DiffItem
	Reworded       []Reworded
	Changed        []ChangedItem
}

// DiffItem is an item and where it sits.
type DiffItem struct {
	Text, Where string
}

// Reworded is an item whose text changed in place.
type Reworded struct {
	Where, From, To string
}

// ChangedItem is an item whose settings changed.
type ChangedItem struct {
	Text, Where string
	Changes     []string
}

// Archive is the confirmation before a role is archived.
type Archive struct {
	Slug, Title string
	Error       string
}

// UserConfirm asks an admin to confirm resetting an account's password
// or removing the account.
type UserConfirm struct {
	ID, Email string
	// Remove is set for a removal, unset for a password reset.
	Remove bool
	Error  string
}

// Action is where the confirmation form posts.
func (vm UserConfirm) Action() string {
	if vm.Remove {
		return "/admin/users/" + vm.ID + "/delete"
	}
	return "/admin/users/" + vm.ID + "/reset"
}
