// Package assets embeds rolefit's stylesheets and scripts. The server
// serves them under content-hashed names.
package assets

import "embed"

// FS holds css/ and js/.
//
//go:embed css js
var FS embed.FS
