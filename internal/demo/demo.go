// Package demo creates a realistic demo tenant — a building-materials
// manufacturer with distributors (holdings with branches), dealers,
// installers and their people — so that a new user has something to look
// at. It uses the same services as the API, so the demo data passes every
// validation and leaves an audit trail.
package demo

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// Slug is the demo tenant's slug.
const Slug = "demo"

const clubName = "Atlas Dealer Club"

// Result tells what Ensure did.
type Result struct {
	Tenant        tenant.Tenant
	Created       bool
	Organizations int
	Members       int
	Key           string // a new admin API key
	ProgramID     string // the dealer club
	PointTypeID   string // its points
	RebateID      string // the distributor rebate program
}

// Ensure creates the demo tenant unless it exists, then issues a new admin
// API key for it.
func Ensure(ctx context.Context, a *app.App) (Result, error) {
	var res Result
	t, err := a.Tenants.TenantBySlug(ctx, Slug)
	if errs.Is(err, errs.NotFound) {
		if t, err = seed(ctx, a, &res); err != nil {
			return res, err
		}
		res.Created = true
	} else if err != nil {
		return res, err
	}
	res.Tenant = t
	p := access.Principal{TenantID: t.ID, ActorType: access.ActorSystem, ActorID: "demo", Scope: access.ScopeAdmin}
	if err := findClub(ctx, a, p, &res); err != nil {
		return res, err
	}
	_, res.Key, err = a.Tenants.CreateKey(ctx, p, tenant.KeyInput{
		Name: "demo admin key " + a.Clock.Now().UTC().Format(time.DateTime), Scope: access.ScopeAdmin})
	return res, err
}

// findClub finds the dealer club program and its point type.
func findClub(ctx context.Context, a *app.App, p access.Principal, res *Result) error {
	progs, err := a.Programs.List(ctx, p, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, pr := range progs.Items {
		if pr.Name == rebateName {
			res.RebateID = pr.ID
		}
		if pr.Name != clubName {
			continue
		}
		pts, err := a.Ledger.ListPointTypes(ctx, p, pr.ID)
		if err != nil {
			return err
		}
		res.ProgramID = pr.ID
		if len(pts) > 0 {
			res.PointTypeID = pts[0].ID
		}
	}
	return nil
}

func seed(ctx context.Context, a *app.App, res *Result) (tenant.Tenant, error) {
	t, err := a.Tenants.CreateTenant(ctx, Slug, "Atlas Building Materials (demo)")
	if err != nil {
		return t, err
	}
	p := access.Principal{TenantID: t.ID, ActorType: access.ActorSystem, ActorID: "demo", Scope: access.ScopeAdmin}
	staff := map[string]string{} // first name in lower case → id
	for _, s := range staffSeeds {
		st, err := a.Tenants.CreateStaff(ctx, p, tenant.StaffInput{Email: s.email, Name: s.name, Role: tenant.Role(s.role)})
		if err != nil {
			return t, fmt.Errorf("staff %s: %w", s.email, err)
		}
		staff[firstName(s.name)] = st.ID
	}
	orgs, err := seedOrganizations(ctx, a, p, staff)
	if err != nil {
		return t, err
	}
	members, err := seedMembers(ctx, a, p)
	if err != nil {
		return t, err
	}
	res.Organizations, res.Members = len(orgs), len(members)
	prog, err := seedConsents(ctx, a, p, orgs, members)
	if err != nil {
		return t, err
	}
	if err := seedPoints(ctx, a, p, prog.ID, orgs, members); err != nil {
		return t, err
	}
	if err := findClub(ctx, a, p, res); err != nil {
		return t, err
	}
	if err := seedPrograms(ctx, a, p, prog.ID, res.PointTypeID); err != nil {
		return t, err
	}
	// Issue 5's features, each on top of the programs and history above.
	for _, step := range []func() error{
		func() error { return seedMemberships(ctx, a, p) },
		func() error { return seedClaimsAndReferrals(ctx, a, p, prog.ID) },
		func() error { return seedPromo(ctx, a, p, prog.ID) },
		func() error { return seedRewards(ctx, a, p, res.PointTypeID, members) },
		func() error { return seedGoals(ctx, a, p, res.PointTypeID) },
		func() error { return seedPartners(ctx, a, p, res) },
		func() error { return seedImports(ctx, a, p) },
		func() error { return seedSegments(ctx, a, p) },
		func() error { return seedMessages(ctx, a, p) },
	} {
		if err := step(); err != nil {
			return t, err
		}
	}
	return t, nil
}

func seedOrganizations(ctx context.Context, a *app.App, p access.Principal, staff map[string]string) (map[string]party.Organization, error) {
	items := make([]party.OrgInput, len(orgSeeds))
	for i, o := range orgSeeds {
		items[i] = party.OrgInput{Type: party.OrgType(o.typ), Name: o.name, ExternalID: o.ext, Region: o.region, Country: "GB",
			Industry: o.industry, Size: party.Size(o.size), Tags: o.tags, ParentExternalID: o.parent,
			AccountManagerID: staff[o.manager], TaxID: fmt.Sprintf("GB%09d", 100000000+i*7919)}
	}
	res, err := a.Party.UpsertOrganizations(ctx, p, items)
	if err != nil {
		return nil, fmt.Errorf("organizations: %w", err)
	}
	out := make(map[string]party.Organization, len(res))
	for _, r := range res {
		out[r.Item.ExternalID] = r.Item
	}
	return out, nil
}

func seedMembers(ctx context.Context, a *app.App, p access.Principal) (map[string]party.Member, error) {
	items := make([]party.MemberInput, len(memberSeeds))
	for i, m := range memberSeeds {
		items[i] = party.MemberInput{OrganizationExternalID: m.org, ExternalID: m.ext, Name: m.name, Email: m.email, Phone: m.phone,
			Roles: m.roles, PreferredChannel: party.Channel(m.channel), Locale: m.locale}
		if m.channel == "messenger" {
			items[i].Messenger = party.Messenger{App: "whatsapp", Handle: m.phone}
		}
	}
	res, err := a.Party.UpsertMembers(ctx, p, items)
	if err != nil {
		return nil, fmt.Errorf("members: %w", err)
	}
	out := make(map[string]party.Member, len(res))
	for _, r := range res {
		out[r.Item.ExternalID] = r.Item
	}
	return out, nil
}

// seedConsents publishes the dealer club's employee-incentive terms and
// records a mix of decisions: accepted in the portal, accepted on paper,
// revoked, and none yet.
func seedConsents(ctx context.Context, a *app.App, p access.Principal, orgs map[string]party.Organization, members map[string]party.Member) (program.Program, error) {
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: clubName,
		Description: "Points for dealers and installers on Atlas products, with tiers and personal rewards for their staff."})
	if err != nil {
		return prog, err
	}
	if _, err := a.Programs.PublishTerms(ctx, p, prog.ID, program.TermsInput{Title: "Atlas Dealer Club — employee incentive terms", Body: dealerTerms}); err != nil {
		return prog, err
	}
	decisions := []party.ConsentInput{
		{ProgramID: prog.ID, Decision: party.Accepted, Method: party.ViaPortal, MemberID: members["P-9"].ID},
		{ProgramID: prog.ID, Decision: party.Accepted, Method: party.ViaPaper, SignerName: "Stefan Fischer", SignerTitle: "Managing Director", Evidence: "signed form, DMS #4411", MemberID: members["P-24"].ID},
		{ProgramID: prog.ID, Decision: party.Accepted, Method: party.ViaPortal, MemberID: members["P-28"].ID},
		{ProgramID: prog.ID, Decision: party.Accepted, Method: party.ViaEmail, SignerName: "Nadia Kowalski", SignerTitle: "Owner", Evidence: "e-mail of 2026-03-02 to tom.becker@atlas-bm.example"},
	}
	// The decisions predate the invoices of the last months: consent is
	// judged at each sale's date.
	accepted := a.Clock.Now().AddDate(0, 0, -200)
	orgFor := []string{"R-3001", "I-4001", "I-4003", "R-3002"}
	for i, d := range decisions {
		d.DecidedAt = accepted
		if _, err := a.Party.RecordConsent(ctx, p, orgs[orgFor[i]].ID, d); err != nil {
			return prog, fmt.Errorf("consent of %s: %w", orgFor[i], err)
		}
	}
	// Roofline later withdrew its consent.
	_, err = a.Party.RecordConsent(ctx, p, orgs["R-3002"].ID, party.ConsentInput{ProgramID: prog.ID, Decision: party.Revoked,
		Method: party.ViaEmail, SignerName: "Nadia Kowalski", Evidence: "e-mail to support, ticket #2291", DecidedAt: a.Clock.Now().AddDate(0, 0, -30)})
	return prog, err
}

func firstName(full string) string {
	first, _, _ := strings.Cut(full, " ")
	return strings.ToLower(first)
}
