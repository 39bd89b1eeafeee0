package demo

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Console is how to sign in to the demo's console.
type Console struct {
	Workspace string
	Email     string // the administrator's
	Password  string // every demo staff user's, new at every start
	Staff     []tenant.Staff
}

// ConsoleSignIn gives every demo staff user one new password (as the demo
// prints a new API key at every start: passwords are stored hashed) and
// returns how to sign in.
func ConsoleSignIn(ctx context.Context, a *app.App, t tenant.Tenant) (Console, error) {
	p := access.Principal{TenantID: t.ID, ActorType: access.ActorSystem, ActorID: "demo", Scope: access.ScopeAdmin}
	c := Console{Workspace: t.Slug, Email: staffSeeds[0].email, Password: "demo-" + ids.Token(6)}
	staff, err := a.Tenants.ListStaff(ctx, p, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return c, err
	}
	for _, st := range staff.Items {
		if !isSeed(st.Email) {
			continue
		}
		if err := a.Tenants.SetPassword(ctx, p, st.ID, c.Password); err != nil {
			return c, err
		}
		c.Staff = append(c.Staff, st)
	}
	return c, nil
}

func isSeed(email string) bool {
	for _, s := range staffSeeds {
		if s.email == email {
			return true
		}
	}
	return false
}
