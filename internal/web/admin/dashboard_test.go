package admin_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/program"
)

// The dashboard's figures: today's sales and points, what waits, the
// liability, the month's participants, and a pilot against its control
// group.
func TestDashboardFigures(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ctx := t.Context()
		pilot, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "Roofing pilot"})
		must(t, err)
		pt, err := c.app.Ledger.CreatePointType(ctx, c.sys, pilot.ID, ledger.PointTypeInput{Code: "roof", Name: "Roof points", Unit: "points",
			Currency: "GBP", ValueNum: 1, ValueDen: 1, Expiry: "never"})
		must(t, err)
		def, _ := json.Marshal(map[string]any{"currency": "GBP", "point_type_id": pt.ID, "rules": []map[string]any{{"id": "one", "events": []string{"invoice"},
			"effects": []map[string]any{{"type": "earn", "fixed": 1}}}}})
		_, err = c.app.Programs.AddVersion(ctx, c.sys, pilot.ID, program.VersionInput{Definition: def})
		must(t, err)
		_, err = c.app.Programs.SetStatus(ctx, c.sys, pilot.ID, program.StatusInput{Status: program.Pilot, Pilot: []string{c.tomOrg.ID}, Control: []string{c.veraOrg.ID}})
		must(t, err)
		c.invoice("INV-D1", c.veraOrg, 2, 10000) // £200 by the control group
		c.claim("CL-D1", c.tomOrg)
		if _, err := c.app.Analytics.Dashboard(ctx, c.sys); err != nil {
			t.Fatalf("dashboard: %v", err)
		}
		got := c.browser().signIn("finance").get("/admin/")
		for _, want := range []string{
			`data-kpi="sales-today">£700.00`,                      // £500 (INV-1) + £200
			`data-kpi="issued-today">7,000`,                       // club points: 10% of £500 and of £200, a point a penny
			`data-kpi="waiting"><a href="/admin/approvals">1</a>`, // the claim
			"Pilot Roofing pilot: sales per organization this month",
			"£500.00 <small>vs £200.00 in the control group",
			"uplift 150.0%",
		} {
			if !strings.Contains(got.body, want) {
				t.Errorf("the dashboard lacks %q", want)
			}
		}
		if got.status != 200 {
			t.Fatalf("dashboard %d: %.3000s", got.status, got.body)
		}
		if strings.Count(got.body, `class="chart"`) < 1 {
			t.Error("no chart on the dashboard")
		}
	})
}
