package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/segment"
)

// TestSegmentsJobAndBackfill: `loyal jobs run segments` refreshes every
// segment; `loyal analytics backfill` writes the sales facts that are
// missing, once.
func TestSegmentsJobAndBackfill(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		var segID, tenantID string
		d.open(t, func(a *app.App) {
			ctx := context.Background()
			tn, err := a.Tenants.TenantBySlug(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			tenantID = tn.ID
			p := access.System(tn.ID)
			if _, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "Dealer", ExternalID: "D-1"}); err != nil {
				t.Fatal(err)
			}
			if _, err := a.Events.IngestOne(ctx, p, events.Input{Type: "invoice", Source: "erp", ExternalID: "I-1", OccurredAt: time.Now().Add(-time.Hour),
				Organization: "ext:D-1", Currency: "EUR", Lines: []events.LineInput{{SKU: "A", Qty: 2, UnitPrice: 500}}}, false); err != nil {
				t.Fatal(err)
			}
			code, name := "dealers", "Dealers"
			sg, err := a.Segments.Create(ctx, p, segment.Input{Code: &code, Name: &name, Rules: &[]segment.Condition{{Field: "type", Op: "in", Values: []string{"dealer"}}}})
			if err != nil {
				t.Fatal(err)
			}
			segID = sg.ID
		})
		if r := mustRun(t, d.with("jobs", "run", "segments")...); !strings.Contains(r.out, "acme: 1 segments refreshed") {
			t.Fatalf("jobs run segments: %v", r)
		}
		if r := mustRun(t, d.with("analytics", "backfill")...); !strings.Contains(r.out, "acme: 0 sales facts written") {
			t.Fatalf("backfill over complete facts: %v", r)
		}
		d.open(t, func(a *app.App) {
			sg, err := a.Segments.Get(context.Background(), access.System(tenantID), segID)
			if err != nil || sg.Members != 1 || sg.RefreshedAt == nil {
				t.Fatalf("segment after the job: %+v %v", sg, err)
			}
			if err := a.DB.Exec(context.Background(), `DELETE FROM sales_facts WHERE tenant_id = $1`, tenantID); err != nil {
				t.Fatal(err)
			}
		})
		for _, want := range []string{"acme: 1 sales facts written", "acme: 0 sales facts written"} {
			if r := mustRun(t, d.with("analytics", "backfill", "--tenant", "acme")...); !strings.Contains(r.out, want) {
				t.Fatalf("backfill, want %q: %v", want, r)
			}
		}
	})
}

// TestBenchAnalytics runs the generator and the timings at a tiny size on
// both engines: the bulk inserts and every endpoint work.
func TestBenchAnalytics(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		r := mustRun(t, d.with("bench", "analytics", "--orgs", "20", "--pilot", "5", "--runs", "1")...)
		for _, want := range []string{"generated 20 organizations", "/v1/analytics/economics", "/v1/analytics/uplift", ":refresh"} {
			if !strings.Contains(r.out, want) {
				t.Fatalf("bench output lacks %q:\n%s", want, r.out)
			}
		}
		r = mustRun(t, d.with("bench", "analytics", "--reuse", "--runs", "1")...)
		if !strings.Contains(r.out, "/v1/analytics/cohorts") {
			t.Fatalf("bench --reuse:\n%s", r.out)
		}
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		r = run(t, d.with("bench", "analytics", "--tenant", "second", "--orgs", "20", "--pilot", "5", "--runs", "1")...)
		if r.code != 1 || !strings.Contains(r.errOut, "holds tenants of its own (acme)") {
			t.Fatalf("bench analytics into a database with a tenant of its own: %v", r)
		}
		d.open(t, func(a *app.App) {
			if _, err := a.Tenants.TenantBySlug(context.Background(), "second"); err == nil {
				t.Fatal("the refused run created its tenant")
			}
		})
	})
}
