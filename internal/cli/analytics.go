package cli

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/app"
)

type analyticsCmd struct {
	Backfill analyticsBackfillCmd `cmd:"" help:"Write the sales facts of purchases and returns stored before analytics (idempotent)."`
	Rebuild  analyticsRebuildCmd  `cmd:"" help:"Recompute the analytics aggregates from the facts and the ledger (after upgrading; while nothing writes)."`
}

type analyticsRebuildCmd struct {
	Tenant    string `help:"One tenant (slug); default: all."`
	PacksOnly bool   `help:"Pack the sales facts only, leaving the ledger aggregates (which the upgrade's migration filled) as they are."`
}

func (c *analyticsRebuildCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		tenants, err := tenantsNamed(ctx, a, c.Tenant)
		if err != nil {
			return err
		}
		for _, t := range tenants {
			rebuild := a.DB.RebuildAnalytics
			if c.PacksOnly {
				rebuild = a.DB.RebuildPacks
			}
			n, err := rebuild(ctx, t.ID)
			if err != nil {
				return fmt.Errorf("tenant %s: %w", t.Slug, err)
			}
			fmt.Fprintf(e.out, "%s: aggregates rebuilt, %d sales facts packed\n", t.Slug, n)
		}
		return nil
	})
}

type analyticsBackfillCmd struct {
	Tenant string `help:"One tenant (slug); default: all."`
}

func (c *analyticsBackfillCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		tenants, err := tenantsNamed(ctx, a, c.Tenant)
		if err != nil {
			return err
		}
		for _, t := range tenants {
			n, err := a.Analytics.Backfill(ctx, t.ID)
			if err != nil {
				return fmt.Errorf("tenant %s: %w", t.Slug, err)
			}
			fmt.Fprintf(e.out, "%s: %d sales facts written\n", t.Slug, n)
		}
		return nil
	})
}
