package cli

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/session"
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
	Job    string    `arg:"" enum:"activate,expire,review,memberships,occasions,segments,coupons,codes,sessions,wallet,all" help:"activate (pending points become available), expire (expired points go to breakage), coupons (coupons past their validity expire), codes (monthly personal promo codes), review (program periods: tier requalification, step-downs, monthly bonuses), memberships (record lapsed paid memberships as events), occasions (the day's birthday and anniversary events), segments (refresh every saved segment's members, read by rules as org.segments), sessions (delete ended console and portal sessions and used member sign-in codes), wallet (tell Apple and Google wallets of the cards that changed), or all (review, memberships, occasions, segments, activate, expire, codes, coupons, sessions, then wallet)."`
	At     time.Time `help:"Run as of this time (RFC 3339, e.g. 2027-01-01T00:00:00Z); default now." format:"2006-01-02T15:04:05Z07:00"`
	Tenant string    `help:"One tenant (slug); default: all."`
}

// jobSteps are the jobs of `jobs run all`, in order, with what a count
// of each means.
var jobSteps = []struct{ job, done string }{
	{events.JobReview, "participants reviewed"},
	{membership.JobLapse, "memberships lapsed"},
	{"occasions", ""},
	{segment.JobSegments, "segments refreshed"},
	{ledger.JobActivate, "lots became available"},
	{ledger.JobExpire, "lots expired"},
	{app.JobCodes, "personal codes issued"},
	{app.JobCoupons, "coupons expired"},
	{session.JobPurge, "ended sessions and old sign-in codes deleted"},
	{app.JobWallet, "wallet cards updated"},
}

// Run runs the job for every tenant chosen. A job that skips rows it
// cannot process goes on with the others and with the other tenants; the
// command then exits 1, saying so (the rows are in the error log). A job
// that fails outright stops the command.
func (c *jobsRunCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		at := c.At
		if at.IsZero() {
			at = e.clock.Now()
		}
		tenants, err := tenantsNamed(ctx, a, c.Tenant)
		if err != nil {
			return err
		}
		skipped := 0
		for _, t := range tenants {
			for _, st := range jobSteps {
				if c.Job != st.job && c.Job != "all" {
					continue
				}
				if st.job == "occasions" {
					if err := runOccasions(ctx, e, a, t, at); err != nil {
						return err
					}
					continue
				}
				n, err := a.RunJob(ctx, st.job, t, at)
				if report, ok := jobrun.Skips(err); ok {
					skipped += len(report.Skipped)
					fmt.Fprintf(e.errOut, "%s: %s skipped %d rows it could not process (first: %s: %v)\n",
						t.Slug, st.job, len(report.Skipped), report.Skipped[0].Row, report.Skipped[0].Err)
				} else if err != nil {
					return fmt.Errorf("tenant %s: %s: %w", t.Slug, st.job, err)
				}
				fmt.Fprintf(e.out, "%s: %d %s\n", t.Slug, n, st.done)
			}
		}
		if skipped > 0 {
			fmt.Fprintf(e.errOut, "jobs run: %d rows were skipped because processing them failed; every other row was processed. See the error log for each row.\n", skipped)
			return exitError(1)
		}
		return nil
	})
}

// tenantsNamed is the tenant of slug (an unknown slug is an error that
// says so), or every tenant when slug is empty.
func tenantsNamed(ctx context.Context, a *app.App, slug string) ([]tenant.Tenant, error) {
	if slug != "" {
		t, err := tenantBySlug(ctx, a, slug)
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
