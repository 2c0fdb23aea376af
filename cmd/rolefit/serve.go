package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/rolefit/rolefit/db"
	"github.com/rolefit/rolefit/internal/catalog"
	"github.com/rolefit/rolefit/internal/config"
	"github.com/rolefit/rolefit/internal/storage"
	"github.com/rolefit/rolefit/internal/web"
)

// loadConfig parses the flags of a subcommand over the environment. Extra
// flags of the subcommand are registered by more before parsing. Flags may
// stand before, between or after the positional arguments.
func loadConfig(name string, args []string, getenv func(string) string, stderr io.Writer, more func(*config.Config, *flagSet)) (config.Config, []string, error) {
	cfg := config.Default()
	fs := cfg.FlagSet("rolefit "+name, getenv, stderr)
	if more != nil {
		more(&cfg, fs)
	}
	rest, err := parseInterspersed(fs, args)
	if err != nil {
		return cfg, nil, err
	}
	if err := cfg.Finish(); err != nil {
		return cfg, nil, err
	}
	return cfg, rest, nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var lvl slog.Level
	_ = lvl.UnmarshalText([]byte(strings.ToUpper(cfg.LogLevel)))
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: lvl}))
}

// openStore opens the database and, on a new one, imports the reference
// role so that a first start serves something.
func openStore(ctx context.Context, cfg config.Config, log *slog.Logger) (storage.Store, *catalog.Catalog, error) {
	store, err := storage.Open(ctx, cfg.DB)
	if err != nil {
		return nil, nil, err
	}
	cat, err := catalog.Load(ctx, store)
	if err == nil && len(cat.List()) == 0 {
		var e *catalog.Entry
		if e, err = cat.Import(ctx, store, db.ReferenceRole, "product-manager-marketing.md"); err == nil {
			log.Info("imported the reference role", "slug", e.Role.Slug)
			if err = store.SetRoleSourceURL(ctx, e.Role.Slug, db.ReferenceSourceURL); err == nil {
				cat, err = catalog.Load(ctx, store)
			}
		}
	}
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, cat, nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, rest, err := loadConfig("serve", args, getenv, stderr, nil)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return fmt.Errorf("serve takes no argument, only flags; %q is not one (see rolefit --help)", rest[0])
	}
	log := newLogger(cfg, stderr)
	store, cat, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()

	keys, err := web.LoadSessionKeys(ctx, cfg.SessionKeys, store)
	if err != nil {
		return err
	}
	srv, err := web.New(web.Deps{Config: cfg, Catalog: cat, Roles: store, Health: store, Logger: log,
		Submissions: store, SessionKeys: keys, Recruiters: store})
	if err != nil {
		return err
	}
	store.ObserveBatches(srv.ObserveBatch)
	// The sweep and every handler use the store: both are waited for
	// before the deferred Close (deferred calls run last first).
	sweepCtx, stopSweep := context.WithCancel(ctx)
	var sweep sync.WaitGroup
	sweep.Go(func() { sweepDaily(sweepCtx, store, cfg.RetentionDays, log) })
	sweep.Go(func() { srv.RunReleases(sweepCtx) })
	if storage.IsPostgres(cfg.DB) {
		// Other instances may change roles: serve what they stored.
		sweep.Go(func() { syncCatalog(sweepCtx, cat, store, catalogSyncEvery, log) })
	}
	defer sweep.Wait()
	defer stopSweep()
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Addr, err)
	}
	hs := srv.HTTPServer(ln)
	var inflight sync.WaitGroup
	next := hs.Handler
	hs.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		inflight.Add(1)
		defer inflight.Done()
		next.ServeHTTP(w, r)
	})
	// Shutdown waits for the requests under way, up to its timeout; after
	// it, or when serving failed, Close ends the connections left, which
	// cancels their requests' contexts, and the handlers are waited for.
	defer inflight.Wait()
	defer hs.Close()
	scheme := "http"
	if cfg.TLS() {
		scheme = "https"
	}
	fmt.Fprintf(stdout, "rolefit is serving on %s://%s (database %s)\n", scheme, ln.Addr(), storage.Redacted(cfg.DB))
	errc := make(chan error, 1)
	go func() {
		if cfg.TLS() {
			errc <- hs.ServeTLS(ln, cfg.TLSCert, cfg.TLSKey)
		} else {
			errc <- hs.Serve(ln)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Stop accepting, let in-flight requests finish, then the deferred
	// Close flushes the writer and closes the database.
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// catalogSyncEvery is how soon a role changed on one instance is served
// by the others on the same database.
const catalogSyncEvery = 5 * time.Second

// syncCatalog serves the roles' stored versions and settings as other
// instances change them, until ctx ends.
func syncCatalog(ctx context.Context, cat *catalog.Catalog, store storage.Store, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if n, err := cat.Sync(ctx, store); err != nil && ctx.Err() == nil {
			log.Error("reading the roles' changes failed", "err", err)
		} else if n > 0 {
			log.Info("serving roles changed by another instance", "count", n)
		}
	}
}
