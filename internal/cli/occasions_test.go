package cli_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
)

// `loyal jobs run occasions --at` ingests the day's birthdays once: a
// rule for birthdays earns its points on the first run, the second run
// finds the event already there.
func TestJobsRunOccasions(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		const at = "2026-03-02T06:00:00Z"
		if r := mustRun(t, d.with("jobs", "run", "occasions", "--at", at)...); !strings.Contains(r.out, "acme: no program runs") {
			t.Fatalf("without a program: %v", r)
		}
		var org party.Organization
		d.open(t, func(a *app.App) { org = seedBirthday(t, a, "acme") })
		r := mustRun(t, d.with("jobs", "run", "occasions", "--at", at, "--tenant", "acme")...)
		if !strings.Contains(r.out, "acme: 1 birthdays, 0 anniversaries ingested (0 already, 0 refused)") {
			t.Fatalf("first run: %v", r)
		}
		r = mustRun(t, d.with("jobs", "run", "occasions", "--at", at, "--tenant", "acme")...)
		if !strings.Contains(r.out, "acme: 0 birthdays, 0 anniversaries ingested (1 already, 0 refused)") {
			t.Fatalf("second run: %v", r)
		}
		d.open(t, func(a *app.App) {
			bs, err := a.Ledger.Balances(context.Background(), access.System(org.TenantID), ledger.Owner{Type: ledger.OwnerOrganization, ID: org.ID}, 0)
			if err != nil || len(bs) != 1 || bs[0].Account.Available != 25 {
				t.Fatalf("balance after two runs: %+v %v", bs, err)
			}
		})
	})
}

// seedBirthday runs a program whose birthday rule earns the organization
// 25 points, and adds a member born on 2 March.
func seedBirthday(t *testing.T, a *app.App, slug string) party.Organization {
	t.Helper()
	ctx := context.Background()
	tn, err := a.Tenants.TenantBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	p := access.System(tn.ID)
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Club"})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points", Currency: "EUR", Expiry: "never", ValueNum: 1, ValueDen: 1})
	if err != nil {
		t.Fatal(err)
	}
	def, _ := json.Marshal(map[string]any{"currency": "EUR", "point_type_id": pt.ID, "rules": []any{map[string]any{
		"id": "bday", "events": []string{"birthday"}, "effects": []any{map[string]any{"type": "earn", "fixed": 25, "to": "organization"}}}}})
	if _, err := a.Programs.AddVersion(ctx, p, prog.ID, program.VersionInput{Definition: def}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Programs.SetStatus(ctx, p, prog.ID, program.StatusInput{Status: program.Active}); err != nil {
		t.Fatal(err)
	}
	o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "Dealer"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: o.ID, Name: "Ann", Roles: []party.Role{"sales"}, Birthday: "1985-03-02"}); err != nil {
		t.Fatal(err)
	}
	return o
}
