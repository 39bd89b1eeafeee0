package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

type adminCmd struct {
	Tenant adminTenantCmd `cmd:"" help:"Tenants (operators)."`
	Staff  adminStaffCmd  `cmd:"" help:"Staff users of a tenant."`
	Key    adminKeyCmd    `cmd:"" help:"API keys of a tenant."`
}

type adminTenantCmd struct {
	Create  tenantCreateCmd  `cmd:"" help:"Create a tenant (and the database, if there is none yet)."`
	List    tenantListCmd    `cmd:"" help:"List tenants."`
	SetRate tenantSetRateCmd `cmd:"" name:"set-rate" help:"Set a tenant's own request rate (requests a second per server; 0: the server's --tenant-rate)."`
}

type tenantSetRateCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	Rate   int64  `required:"" help:"Requests a second per server, burst twice that; 0: the server's default."`
}

func (c *tenantSetRateCmd) Run(e *env) error {
	return withApp(e, func(ctx context.Context, a *app.App) error {
		t, err := a.Tenants.SetRateLimit(ctx, c.Tenant, c.Rate)
		if err != nil {
			return err
		}
		if t.RateLimit == 0 {
			fmt.Fprintf(e.out, "tenant %s: the server's default request rate\n", t.Slug)
		} else {
			fmt.Fprintf(e.out, "tenant %s: %d requests a second per server\n", t.Slug, t.RateLimit)
		}
		return nil
	})
}

type tenantCreateCmd struct {
	Slug    string `required:"" help:"Short unique name, part of every API key (e.g. acme)."`
	Name    string `required:"" help:"The operator's company name."`
	ExistOK bool   `name:"exist-ok" help:"Succeed when a tenant with this slug exists already (a script run twice)."`
}

func (c *tenantCreateCmd) Run(e *env) error {
	return withNewApp(e, func(ctx context.Context, a *app.App) error {
		if t, err := a.Tenants.TenantBySlug(ctx, c.Slug); err == nil && c.ExistOK {
			fmt.Fprintf(e.out, "tenant %s exists already (id %s)\n", t.Slug, t.ID)
			return nil
		}
		t, err := a.Tenants.CreateTenant(ctx, c.Slug, c.Name)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.out, "tenant %s created (id %s)\n", t.Slug, t.ID)
		return nil
	})
}

type adminStaffCmd struct {
	Create   staffCreateCmd   `cmd:"" help:"Create a staff user, with a first console password or an e-mailed invitation."`
	Password staffPasswordCmd `cmd:"" help:"Set a staff user's console password (read from standard input or a prompt)."`
	List     staffListCmd     `cmd:"" help:"List staff users."`
}

type staffCreateCmd struct {
	Tenant   string `required:"" help:"Tenant slug."`
	Email    string `required:""`
	Name     string `required:""`
	Role     string `required:"" enum:"admin,program_manager,account_manager,finance,support,integrator,read_only" help:"One of ${enum}."`
	Password bool   `name:"password" help:"Set a first console password, read from standard input (one line) or asked at the terminal; never a flag's value, which ps would show."`
	Invite   bool   `name:"invite" help:"E-mail an invitation link to choose a password (valid 7 days)."`
}

func (c *staffCreateCmd) Run(e *env) error {
	if c.Password && c.Invite {
		return fmt.Errorf("choose --password or --invite, not both")
	}
	var pw string
	if c.Password {
		var err error
		if pw, err = readPassword(e, "Password for "+c.Email+": "); err != nil {
			return err
		}
	}
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		in := tenant.StaffInput{Email: c.Email, Name: c.Name, Role: tenant.Role(c.Role)}
		if c.Invite {
			s, err := a.Tenants.Invite(ctx, p, in)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.out, "staff user %s created (id %s, role %s); invitation sent (without SMTP it is in the log)\n", s.Email, s.ID, s.Role)
			return nil
		}
		s, err := a.Tenants.CreateStaff(ctx, p, in)
		if err != nil {
			return err
		}
		if c.Password {
			if err := a.Tenants.SetPassword(ctx, p, s.ID, pw); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.out, "staff user %s created (id %s, role %s)\n", s.Email, s.ID, s.Role)
		if !c.Password {
			fmt.Fprintf(e.errOut, "no console password yet: loyal admin staff password --tenant %s --email %s\n", c.Tenant, s.Email)
		}
		return nil
	})
}

type staffPasswordCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	Email  string `required:"" help:"The staff user's e-mail."`
}

func (c *staffPasswordCmd) Run(e *env) error {
	pw, err := readPassword(e, "New password for "+c.Email+": ")
	if err != nil {
		return err
	}
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		s, err := a.Tenants.StaffByEmail(ctx, p, c.Email)
		if err != nil {
			return err
		}
		if err := a.Tenants.SetPassword(ctx, p, s.ID, pw); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "password of %s set; their console sessions are ended\n", s.Email)
		return nil
	})
}

type staffListCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
}

func (c *staffListCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		w := tabwriter.NewWriter(e.out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tEMAIL\tNAME\tROLE\tSTATUS")
		err := eachPage(func(r page.Request) (page.Page[tenant.Staff], error) { return a.Tenants.ListStaff(ctx, p, r) },
			func(s tenant.Staff) { fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", s.ID, s.Email, s.Name, s.Role, s.Status) })
		if err != nil {
			return err
		}
		return w.Flush()
	})
}

type adminKeyCmd struct {
	Create keyCreateCmd `cmd:"" help:"Create an API key and print it (it is shown only once)."`
	Revoke keyRevokeCmd `cmd:"" help:"Revoke an API key."`
	List   keyListCmd   `cmd:"" help:"List a tenant's API keys (never their secrets)."`
}

type keyCreateCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	Name   string `required:"" help:"What the key is for."`
	Scope  string `default:"write" enum:"read,write,admin" help:"One of ${enum}."`
	Staff  string `help:"E-mail of the staff user the key acts for (omit for an integration key)."`
}

func (c *keyCreateCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		in := tenant.KeyInput{Name: c.Name, Scope: access.Scope(c.Scope)}
		if c.Staff != "" {
			s, err := a.Tenants.StaffByEmail(ctx, p, c.Staff)
			if err != nil {
				return err
			}
			in.StaffID = s.ID
		}
		k, secret, err := a.Tenants.CreateKey(ctx, p, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.errOut, "API key %s created with %s scope; store it now, it will not be shown again.\n", k.ID, k.Scope)
		fmt.Fprintf(e.out, "API key: %s\n", secret)
		return nil
	})
}

type keyRevokeCmd struct {
	Tenant string `required:"" help:"Tenant slug."`
	ID     string `arg:"" help:"The key's id (as listed by admin key list), or the whole key."`
}

func (c *keyRevokeCmd) Run(e *env) error {
	return withTenant(e, c.Tenant, func(ctx context.Context, a *app.App, p access.Principal) error {
		id := tenant.KeyID(c.ID)
		if _, err := a.Tenants.RevokeKey(ctx, p, id); err != nil {
			return err
		}
		fmt.Fprintf(e.out, "API key %s revoked\n", id)
		return nil
	})
}
