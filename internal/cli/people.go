package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
)

type peopleCmd struct {
	Export peopleExportCmd `cmd:"" help:"Print everything held about a person (a member) as JSON."`
	Erase  peopleEraseCmd  `cmd:"" help:"Erase a person: pseudonymize their personal fields everywhere; points and the ledger stay. Cannot be undone."`
}

type peopleExportCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	ID     string `arg:"" help:"The member's id, or ext:<external id>."`
}

func (c *peopleExportCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		ex, err := a.Privacy.Export(ctx, p, c.ID)
		if err != nil {
			return err
		}
		enc := json.NewEncoder(e.out)
		enc.SetIndent("", "  ")
		return enc.Encode(ex)
	})
}

type peopleEraseCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	ID     string `arg:"" help:"The member's id, or ext:<external id>."`
}

func (c *peopleEraseCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		er, err := a.Privacy.Erase(ctx, p, c.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "member %s erased: now %s (%d rows rewritten); points and ledger unchanged\n", er.MemberID, er.Pseudonym, er.Rows)
		return nil
	})
}
