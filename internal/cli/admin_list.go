package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type tenantListCmd struct{}

func (c *tenantListCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		ts, err := a.Tenants.ListTenants(ctx)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "SLUG\tNAME\tSTATUS\tID\tCREATED")
		for _, t := range ts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", t.Slug, t.Name, t.Status, t.ID, t.CreatedAt.UTC().Format(time.DateOnly))
		}
		return w.Flush()
	})
}

type keyListCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
}

func (c *keyListCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		w := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tNAME\tSCOPE\tSTAFF\tCREATED\tLAST USED\tREVOKED")
		err := eachPage(func(r page.Request) (page.Page[tenant.APIKey], error) { return a.Tenants.ListKeys(ctx, p, r) },
			func(k tenant.APIKey) {
				fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", k.ID, k.Name, k.Scope, orDash(k.StaffID),
					k.CreatedAt.UTC().Format(time.DateOnly), when(k.LastUsedAt), when(k.RevokedAt))
			})
		if err != nil {
			return err
		}
		return w.Flush()
	})
}

func when(t *time.Time) string {
	if t == nil {
		return "-"
	}
	return t.UTC().Format(time.RFC3339)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
