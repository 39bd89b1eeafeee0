package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/party"
)

// TestMembershipsJob: `loyal jobs run memberships` records a paid
// membership's lapse as an event once, after its period ends.
func TestMembershipsJob(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		d.open(t, func(a *app.App) {
			ctx := context.Background()
			tn, err := a.Tenants.TenantBySlug(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			p := access.System(tn.ID)
			if _, err := a.Memberships.CreatePlan(ctx, p, membership.PlanInput{Code: "pro", Name: "Pro", Fee: 1000, Currency: "GBP",
				PeriodMonths: 1, DiscountBP: 500}); err != nil {
				t.Fatal(err)
			}
			o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "Dealer"})
			if err != nil {
				t.Fatal(err)
			}
			// A month's membership bought 40 days ago.
			if _, err := a.Events.IngestOne(ctx, p, events.Input{Type: engine.Membership, Source: "shop", ExternalID: "M-1",
				OccurredAt: time.Now().AddDate(0, 0, -40), Organization: o.ID,
				Attributes: map[string]string{"action": membership.ActionPurchase, "plan": "pro"}}, false); err != nil {
				t.Fatal(err)
			}
		})
		while := time.Now().AddDate(0, 0, -20).UTC().Format(time.RFC3339)
		if r := mustRun(t, d.with("jobs", "run", "memberships", "--at", while)...); !strings.Contains(r.out, "acme: 0 memberships lapsed") {
			t.Fatalf("while paid: %v", r)
		}
		for _, want := range []string{"acme: 1 memberships lapsed", "acme: 0 memberships lapsed"} {
			if r := mustRun(t, d.with("jobs", "run", "memberships")...); !strings.Contains(r.out, want) {
				t.Fatalf("after the month, want %q: %v", want, r)
			}
		}
	})
}
