package storage

import (
	"context"
	"errors"
)

// openPostgres is replaced when the postgres store lands.
func openPostgres(ctx context.Context, addr string, o Options) (Store, error) {
	return nil, errors.New("storage: PostgreSQL is not built in")
}
