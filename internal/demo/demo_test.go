package demo

import (
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// openApp opens the app the way `loyal demo` does: SQLite in a data
// directory, or a fresh PostgreSQL schema.
func openApp(t *testing.T, e store.Engine) *app.App {
	t.Helper()
	cfg := config.Config{DataDir: t.TempDir(), DBConns: 4, LogLevel: "info", LogFormat: "text"}
	if e == store.Postgres {
		cfg.Database = storetest.DSN(t, e)
	}
	a, err := app.Open(context.Background(), cfg, slog.New(slog.DiscardHandler), clock.System{})
	if err != nil {
		t.Fatalf("app.Open: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	return a
}

func eachEngine(t *testing.T, fn func(t *testing.T, a *app.App)) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) { fn(t, openApp(t, e)) })
	}
}

// eachDemo runs fn on every engine with the demo tenant created and the
// system principal of its tenant.
func eachDemo(t *testing.T, fn func(t *testing.T, a *app.App, res Result, p access.Principal)) {
	eachEngine(t, func(t *testing.T, a *app.App) {
		res, err := Ensure(context.Background(), a)
		if err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		fn(t, a, res, access.System(res.Tenant.ID))
	})
}

func TestEnsureCreatesThenReuses(t *testing.T) {
	eachEngine(t, func(t *testing.T, a *app.App) {
		ctx := context.Background()
		first, err := Ensure(ctx, a)
		if err != nil {
			t.Fatalf("first Ensure: %v", err)
		}
		if !first.Created || first.Organizations != 24 || first.Members != 40 {
			t.Errorf("first Ensure = created %v, %d organizations, %d members; want created, 24, 40",
				first.Created, first.Organizations, first.Members)
		}
		if first.Tenant.Slug != Slug || first.Tenant.ID == "" {
			t.Errorf("tenant = %+v, want slug %q", first.Tenant, Slug)
		}
		if !strings.HasPrefix(first.Key, "lyl_demo_") {
			t.Errorf("key = %q, want it to start with lyl_demo_", first.Key)
		}

		second, err := Ensure(ctx, a)
		if err != nil {
			t.Fatalf("second Ensure: %v", err)
		}
		if second.Created {
			t.Error("second Ensure created the demo again")
		}
		if second.Tenant.ID != first.Tenant.ID {
			t.Errorf("second Ensure returned tenant %s, want the first one %s", second.Tenant.ID, first.Tenant.ID)
		}
		if !strings.HasPrefix(second.Key, "lyl_demo_") || second.Key == first.Key {
			t.Errorf("second key = %q, want a new lyl_demo_ key (first %q)", second.Key, first.Key)
		}

		for i, key := range []string{first.Key, second.Key} {
			p, err := a.Tenants.Authenticate(ctx, key)
			if err != nil {
				t.Errorf("key %d does not authenticate: %v", i+1, err)
				continue
			}
			if p.TenantID != first.Tenant.ID || p.Scope != access.ScopeAdmin {
				t.Errorf("key %d: principal = %+v, want admin of the demo tenant", i+1, p)
			}
		}

		// Reusing must not seed a second time.
		p := access.System(first.Tenant.ID)
		if n := len(allOrgs(t, a, p)); n != len(orgSeeds) {
			t.Errorf("after two Ensure calls there are %d organizations, want %d", n, len(orgSeeds))
		}
	})
}

func allOrgs(t *testing.T, a *app.App, p access.Principal) map[string]party.Organization {
	t.Helper()
	pg, err := a.Party.ListOrganizations(context.Background(), p, party.OrgFilter{}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if pg.Next != "" {
		t.Fatal("more organizations than one page")
	}
	out := map[string]party.Organization{}
	for _, o := range pg.Items {
		out[o.ExternalID] = o
	}
	return out
}

func allMembers(t *testing.T, a *app.App, p access.Principal) map[string]party.Member {
	t.Helper()
	pg, err := a.Party.ListMembers(context.Background(), p, party.MemberFilter{}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]party.Member{}
	for _, m := range pg.Items {
		out[m.ExternalID] = m
	}
	return out
}

func TestDemoData(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()

		staff := map[string]tenant.Staff{}
		sp, err := a.Tenants.ListStaff(ctx, p, page.Request{Limit: page.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range sp.Items {
			staff[s.ID] = s
		}
		if len(staff) != len(staffSeeds) {
			t.Errorf("%d staff users, want %d", len(staff), len(staffSeeds))
		}

		orgs := allOrgs(t, a, p)
		if len(orgs) != len(orgSeeds) {
			t.Fatalf("%d organizations, want %d", len(orgs), len(orgSeeds))
		}
		for _, s := range orgSeeds {
			o, ok := orgs[s.ext]
			if !ok {
				t.Errorf("organization %s missing", s.ext)
				continue
			}
			wantParent := ""
			if s.parent != "" {
				wantParent = orgs[s.parent].ID
			}
			if o.ParentID != wantParent {
				t.Errorf("%s: parent %q, want %s (%q)", s.ext, o.ParentID, s.parent, wantParent)
			}
			if o.Name != s.name || string(o.Type) != s.typ || o.Country != "GB" {
				t.Errorf("%s = %+v, want %q, %s in GB", s.ext, o, s.name, s.typ)
			}
			if m, ok := staff[o.AccountManagerID]; !ok || firstName(m.Name) != s.manager {
				t.Errorf("%s: account manager %q, want %s", s.ext, o.AccountManagerID, s.manager)
			}
		}

		// The holdings have their branches, found by the parent filter.
		for holding, want := range map[string]int{"D-1000": 3, "D-2000": 2, "R-3001": 0} {
			pg, err := a.Party.ListOrganizations(ctx, p, party.OrgFilter{ParentID: orgs[holding].ID}, page.Request{Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			if len(pg.Items) != want {
				t.Errorf("%s has %d branches, want %d", holding, len(pg.Items), want)
			}
		}

		members := allMembers(t, a, p)
		if len(members) != len(memberSeeds) {
			t.Fatalf("%d members, want %d", len(members), len(memberSeeds))
		}
		for _, s := range memberSeeds {
			m, ok := members[s.ext]
			switch {
			case !ok:
				t.Errorf("member %s missing", s.ext)
			case m.OrganizationID != orgs[s.org].ID:
				t.Errorf("member %s works at %q, want %s", s.ext, m.OrganizationID, s.org)
			case m.Phone != "" && !strings.HasPrefix(m.Phone, "+44"):
				t.Errorf("member %s phone %q not normalized", s.ext, m.Phone)
			}
		}
	})
}

func TestDemoConsents(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		tests := []struct {
			org       string
			state     string
			decisions []party.Decision // newest first
		}{
			{"R-3001", party.ConsentAccepted, []party.Decision{party.Accepted}},
			{"I-4001", party.ConsentAccepted, []party.Decision{party.Accepted}},
			{"I-4003", party.ConsentAccepted, []party.Decision{party.Accepted}},
			{"R-3002", party.ConsentRevoked, []party.Decision{party.Revoked, party.Accepted}},
			{"R-3003", party.ConsentNone, nil},
			{"D-1000", party.ConsentNone, nil},
		}
		for _, tt := range tests {
			rep, err := a.Party.ConsentStatus(ctx, p, party.ExternalRef+tt.org, "")
			if err != nil {
				t.Errorf("%s: %v", tt.org, err)
				continue
			}
			if len(rep.States) != 1 {
				t.Errorf("%s: %d program states, want 1 (the dealer club)", tt.org, len(rep.States))
				continue
			}
			if st := rep.States[0]; st.State != tt.state || st.CurrentTermsVersion != 1 {
				t.Errorf("%s: state %q at terms version %d, want %q at 1", tt.org, st.State, st.CurrentTermsVersion, tt.state)
			}
			var got []party.Decision
			for _, c := range rep.History {
				got = append(got, c.Decision)
			}
			if len(got) != len(tt.decisions) {
				t.Errorf("%s: history %v, want %v", tt.org, got, tt.decisions)
				continue
			}
			for i := range got {
				if got[i] != tt.decisions[i] {
					t.Errorf("%s: history %v, want %v", tt.org, got, tt.decisions)
					break
				}
			}
		}
	})
}

func TestDemoClaimsAndReferrals(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		claims, err := a.Claims.List(ctx, p, "", "pending", page.Request{Limit: 50})
		if err != nil || len(claims.Items) != 1 {
			t.Fatalf("pending claims %+v %v, want 1", claims.Items, err)
		}
		info, data, err := a.Claims.Document(ctx, p, claims.Items[0].ID)
		if err != nil || info.ContentType != "application/pdf" || string(data[:5]) != "%PDF-" {
			t.Fatalf("claim document %+v %q %v", info, data, err)
		}
		want := map[string]string{"ext:R-3004": "qualified", "ext:I-4001": "pending"}
		for org, status := range want {
			refs, err := a.Referrals.ListBy(ctx, p, org, page.Request{Limit: 50})
			if err != nil || len(refs.Items) != 1 || refs.Items[0].Status != status {
				t.Errorf("%s's referrals %+v %v, want one %s", org, refs.Items, err, status)
			}
		}
	})
}

// The demo has a goal in progress for Brick & Beam and members with birth
// dates, one of them born today.
func TestDemoGoalsAndBirthdays(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		pg, err := a.Goals.List(ctx, p, goal.ListInput{Organization: "ext:R-3001", Status: goal.Active}, page.Request{Limit: 10})
		if err != nil || len(pg.Items) != 2 || pg.Items[0].Progress != 21 || pg.Items[0].Percent() != 52 || pg.Items[1].Progress != 1 {
			t.Fatalf("Brick & Beam's goals: %+v %v", pg.Items, err)
		}
		m, err := a.Party.GetMember(ctx, p, "ext:P-10")
		if err != nil || m.Birthday[5:] != a.Clock.Now().Format("01-02") && m.Birthday[5:] != "02-28" {
			t.Fatalf("Hannah's birthday %q %v", m.Birthday, err)
		}
	})
}
