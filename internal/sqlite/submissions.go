package sqlite

// Submission is one anonymised, completed check. Privacy: it holds no
// address, agent, session, name, free text or time of day.
type Submission struct {
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
}
