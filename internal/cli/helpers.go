package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// withApp opens an existing database for the length of fn: a command that
// reads or changes data refuses to create an empty database (and then
// report on it) when --data-dir or --database points at the wrong place.
func withApp(e *env, fn func(ctx context.Context, a *app.App) error) error {
	if err := e.requireDatabase(); err != nil {
		return err
	}
	return withNewApp(e, fn)
}

// withNewApp is withApp that creates and migrates the database when it does
// not exist: serve, demo, migrate and the first `admin tenant create`.
func withNewApp(e *env, fn func(ctx context.Context, a *app.App) error) error {
	ctx, stop := signalContext()
	defer stop()
	a, err := e.openApp(ctx)
	if err != nil {
		return err
	}
	defer a.Close()
	return fn(ctx, a)
}

// requireDatabase fails, saying how to start, when the SQLite file does not
// exist. (A PostgreSQL database that does not exist fails to connect.)
func (e *env) requireDatabase() error {
	path, ok := e.cfg.SQLiteFile()
	if !ok {
		return nil
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("no database at %s: point --data-dir (LOYAL_DATA_DIR) or --database (LOYAL_DATABASE_URL) at an existing one, "+
			"or create it with `loyal migrate`, `loyal admin tenant create`, `loyal serve` or `loyal demo`", path)
	}
	return nil
}

// withTenant opens the app and acts in the tenant named by slug as the
// command line: an administrator at the machine, recorded as actor "cli".
func withTenant(e *env, slug string, fn func(ctx context.Context, a *app.App, p access.Principal) error) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		t, err := tenantBySlug(ctx, a, slug)
		if err != nil {
			return err
		}
		return fn(ctx, a, cliPrincipal(t.ID))
	})
}

// tenantBySlug finds a tenant, saying how to create a missing one.
func tenantBySlug(ctx context.Context, a *app.App, slug string) (tenant.Tenant, error) {
	t, err := a.Tenants.TenantBySlug(ctx, slug)
	if errs.Is(err, errs.NotFound) {
		return t, fmt.Errorf("no tenant %q; create it with: loyal admin tenant create --slug %s --name \"…\"", slug, slug)
	}
	return t, err
}

func cliPrincipal(tenantID string) access.Principal {
	return access.Principal{TenantID: tenantID, ActorType: access.ActorSystem, ActorID: "cli", Scope: access.ScopeAdmin}
}

// eachPage calls fn for every item of a paginated list.
func eachPage[T any](fetch func(page.Request) (page.Page[T], error), fn func(T)) error {
	r := page.Request{Limit: page.MaxLimit}
	for {
		pg, err := fetch(r)
		if err != nil {
			return err
		}
		for _, it := range pg.Items {
			fn(it)
		}
		if pg.Next == "" {
			return nil
		}
		if r, err = page.Parse(pg.Next, r.Limit); err != nil {
			return err
		}
	}
}
