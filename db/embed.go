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
