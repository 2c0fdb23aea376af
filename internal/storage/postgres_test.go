package storage

import "github.com/rolefit/rolefit/internal/postgres"

var _ Store = (*postgres.DB)(nil)
