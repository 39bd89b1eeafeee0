// Package reachtest is a fixture for the services' account-manager reach
// tests: a tenant with two account managers, Tom and Vera, each with an
// organization, a member of it and a program with employee-incentive terms.
package reachtest

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Fixture is the tenant: Tom manages TomOrg (with TomMember), Vera
// manages VeraOrg (with VeraMember).
type Fixture struct {
	App                   *app.App
	Clock                 *clock.Fake
	Sys, Tom              access.Principal
	TomOrg, VeraOrg       party.Organization
	TomMember, VeraMember party.Member
	Program               program.Program
}

// New builds the fixture on a fresh database.
func New(t *testing.T, db *store.DB) *Fixture {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC))
	f := &Fixture{App: app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil), Clock: clk}
	tn, err := f.App.Tenants.CreateTenant(ctx, "acme", "Acme")
	must(t, err)
	f.Sys = access.System(tn.ID)
	tom, vera := f.manager(t, "tom"), f.manager(t, "vera")
	f.Tom = access.Principal{TenantID: tn.ID, ActorType: access.ActorStaff, ActorID: tom, StaffID: tom, Role: access.RoleAccountManager, Scope: access.ScopeWrite}
	f.TomOrg = f.org(t, "R-1", tom)
	f.VeraOrg = f.org(t, "R-2", vera)
	f.TomMember, f.VeraMember = f.member(t, f.TomOrg), f.member(t, f.VeraOrg)
	f.Program, err = f.App.Programs.Create(ctx, f.Sys, program.Input{Name: "Club"})
	must(t, err)
	_, err = f.App.Programs.PublishTerms(ctx, f.Sys, f.Program.ID, program.TermsInput{Title: "Employee incentives", Body: "Sellers earn points."})
	must(t, err)
	return f
}

func (f *Fixture) manager(t *testing.T, name string) string {
	st, err := f.App.Tenants.CreateStaff(context.Background(), f.Sys, tenant.StaffInput{Email: name + "@acme.example", Name: name, Role: tenant.Role(access.RoleAccountManager)})
	must(t, err)
	return st.ID
}

func (f *Fixture) org(t *testing.T, ext, manager string) party.Organization {
	o, err := f.App.Party.CreateOrganization(context.Background(), f.Sys, party.OrgInput{Type: party.Dealer, Name: "Dealer " + ext, ExternalID: ext, AccountManagerID: manager})
	must(t, err)
	return o
}

func (f *Fixture) member(t *testing.T, o party.Organization) party.Member {
	m, err := f.App.Party.CreateMember(context.Background(), f.Sys, party.MemberInput{OrganizationID: o.ID, Name: "Seller of " + o.Name, Roles: []party.Role{"sales"}})
	must(t, err)
	return m
}

// Refused fails the test unless err is the reach refusal.
func Refused(t *testing.T, what string, err error) {
	t.Helper()
	if e := errs.As(err); e == nil || e.Kind != errs.Forbidden || e.Code != "not_your_account" {
		t.Errorf("%s on another manager's organization: %v, want not_your_account", what, err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
