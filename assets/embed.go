// Package assets embeds rolefit's stylesheets and scripts. The server
// serves them under content-hashed names.
package assets

import "embed"

// FS holds css/, js/ and img/.
//
//go:embed css js img
var FS embed.FS
