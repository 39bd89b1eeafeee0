package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type ledgerCmd struct {
	Check ledgerCheckCmd `cmd:"" help:"Verify the ledger: balanced transactions, cached balances, lots, limits. Exits 1 if anything is wrong."`
}

type ledgerCheckCmd struct {
	Tenant string `help:"Check one tenant (slug); default: all."`
}

func (c *ledgerCheckCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		tenantID := ""
		if c.Tenant != "" {
			t, err := tenantBySlug(ctx, a, c.Tenant)
			if err != nil {
				return err
			}
			tenantID = t.ID
		}
		probs, err := a.Ledger.Check(ctx, tenantID)
		if err != nil {
			return err
		}
		for _, p := range probs {
			fmt.Fprintf(e.out, "%s\ttenant %s\t%s\t%s\n", p.Kind, p.Tenant, p.Entity, p.Detail)
		}
		if len(probs) > 0 {
			fmt.Fprintf(e.errOut, "ledger check: %d problems\n", len(probs))
			return exitError(1)
		}
		fmt.Fprintln(e.out, "ledger check: OK — every transaction balances, every cached balance matches its postings, every lot its uses, no wallet below its limit")
		return nil
	})
}

type jobsCmd struct {
	Run jobsRunCmd `cmd:"" help:"Run a job once, as of a given time."`
}

type jobsRunCmd struct {
	Job    string    `arg:"" enum:"activate,expire,review,memberships,occasions,segments,coupons,codes,all" help:"activate (pending points become available), expire (expired points go to breakage), coupons (coupons past their validity expire), codes (monthly personal promo codes), review (program periods: tier requalification, step-downs, monthly bonuses), memberships (record lapsed paid memberships as events), occasions (the day's birthday and anniversary events), segments (refresh every saved segment's members, read by rules as org.segments), or all (review, memberships, occasions, segments, activate, expire, codes, then coupons)."`
	At     time.Time `help:"Run as of this time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default now." format:"2006-01-02T15:04:05Z07:00"`
	Tenant string    `help:"One tenant (slug); default: all."`
}

func (c *jobsRunCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		at := c.At
		if at.IsZero() {
			at = e.clock.Now()
		}
		tenants, err := c.tenants(ctx, a)
		if err != nil {
			return err
		}
		for _, t := range tenants {
			if c.Job == "review" || c.Job == "all" {
				n, err := a.Events.ReviewDue(ctx, t.ID, at)
				if err != nil {
					return fmt.Errorf("tenant %s: review: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d participants reviewed\n", t.Slug, n)
			}
			if c.Job == "memberships" || c.Job == "all" {
				n, err := a.Memberships.Lapse(ctx, t.ID, at)
				if err != nil {
					return fmt.Errorf("tenant %s: memberships: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d memberships lapsed\n", t.Slug, n)
			}
			if c.Job == "occasions" || c.Job == "all" {
				if err := runOccasions(ctx, e, a, t, at); err != nil {
					return err
				}
			}
			if c.Job == "segments" || c.Job == "all" {
				n, err := a.Segments.RefreshAll(ctx, t.ID)
				if err != nil {
					return fmt.Errorf("tenant %s: segments: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d segments refreshed\n", t.Slug, n)
			}
			if c.Job == "activate" || c.Job == "all" {
				n, err := a.Ledger.ActivateDue(ctx, t.ID, at, ledger.DefaultBatch)
				if err != nil {
					return fmt.Errorf("tenant %s: activate: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d lots became available\n", t.Slug, n)
			}
			if c.Job == "expire" || c.Job == "all" {
				n, err := a.Ledger.ExpireDue(ctx, t.ID, at, ledger.DefaultBatch)
				if err != nil {
					return fmt.Errorf("tenant %s: expire: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d lots expired\n", t.Slug, n)
			}
			if c.Job == "codes" || c.Job == "all" {
				n, err := a.Promo.IssueMonthly(ctx, t.ID, at)
				if err != nil {
					return fmt.Errorf("tenant %s: codes: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d personal codes issued\n", t.Slug, n)
			}
			if c.Job == "coupons" || c.Job == "all" {
				n, err := a.Coupons.ExpireDue(ctx, t.ID, at)
				if err != nil {
					return fmt.Errorf("tenant %s: coupons: %w", t.Slug, err)
				}
				fmt.Fprintf(e.out, "%s: %d coupons expired\n", t.Slug, n)
			}
		}
		return nil
	})
}

func (c *jobsRunCmd) tenants(ctx context.Context, a *app.App) ([]tenant.Tenant, error) {
	if c.Tenant != "" {
		t, err := tenantBySlug(ctx, a, c.Tenant)
		return []tenant.Tenant{t}, err
	}
	return a.Tenants.ListTenants(ctx)
}

// runOccasions ingests a tenant's birthday and anniversary events of the
// day of at (UTC).
func runOccasions(ctx context.Context, e *env, a *app.App, t tenant.Tenant, at time.Time) error {
	c, err := a.Occasions.RunDay(ctx, t.ID, at)
	if err != nil {
		return fmt.Errorf("tenant %s: occasions: %w", t.Slug, err)
	}
	if c.NoProgram {
		fmt.Fprintf(e.out, "%s: no program runs, no occasions ingested\n", t.Slug)
		return nil
	}
	fmt.Fprintf(e.out, "%s: %d birthdays, %d anniversaries ingested (%d already, %d refused)\n", t.Slug, c.Birthdays, c.Anniversaries, c.Repeats, c.Refused)
	return nil
}
