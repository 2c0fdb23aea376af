// Package db embeds rolefit's SQL migrations and the reference role that a
// new database is seeded with.
package db

import "embed"

// Migrations holds the numbered schema changes, applied in name order.
//
//go:embed migrations/*.sql
var Migrations embed.FS

// ReferenceRole is the job-family page imported on first start.
//
//go:embed roles/product-manager-marketing.md
var ReferenceRole []byte

// ReferenceSourceURL is where the reference role's page is published: its
// relative links lead to other pages of that handbook.
const ReferenceSourceURL = "https://handbook.gitlab.com/job-families/marketing/product-manager-marketing/"

// PostgresMigrations holds the PostgreSQL schema's numbered changes
// (postgres/*.sql), applied in name order.
//
//go:embed postgres/*.sql
var PostgresMigrations embed.FS

// Tables are the tables a copy of a database carries, parents first: the
// same in both schemas, so that a copy can go either way. Nonces (minutes
// long) and the migrations table are left out.
var Tables = []string{
	"roles", "role_versions", "role_version_includes", "item_overrides", "role_snapshots",
	"submissions", "deleted_results", "counters", "release_nodes", "releases",
	"users", "password_links", "recruiter_sessions", "api_tokens", "settings",
}
