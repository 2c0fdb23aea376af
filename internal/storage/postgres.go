package storage

import (
	"context"

	"github.com/rolefit/rolefit/internal/postgres"
)

func openPostgres(ctx context.Context, addr string, o Options) (Store, error) {
	return postgres.Open(ctx, addr, postgres.Options{Ungrouped: o.Ungrouped})
}
