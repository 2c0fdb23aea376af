package storage

import (
	"context"

	"github.com/rolefit/rolefit/internal/postgres"
)

func openPostgres(ctx context.Context, addr string, o Options) (Store, error) {
	d, err := postgres.Open(ctx, addr, postgres.Options{Ungrouped: o.Ungrouped})
	if err != nil {
		// Not d: a nil *postgres.DB would make a non-nil Store.
		return nil, err
	}
	return d, nil
}
