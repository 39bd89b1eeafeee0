package admin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// The organization search's at-risk filter keeps the organizations whose
// churn risk is high, with the other filters and within a manager's reach.
func TestOrganizationSearchAtRisk(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		fake := c.clock.(*clock.Fake)
		fake.Advance(24 * time.Hour)
		c.invoice("INV-2", c.tomOrg, 1, 100) // a cycle of one day…
		c.invoice("INV-V1", c.veraOrg, 1, 100)
		fake.Advance(10 * 24 * time.Hour) // …then ten days without an order: high risk
		c.invoice("INV-V2", c.veraOrg, 1, 100)
		fake.Advance(time.Minute)
		b := c.browser().signIn("admin")
		got := b.get("/admin/organizations?at_risk=1")
		if got.status != http.StatusOK || !strings.Contains(got.body, c.tomOrg.ID) || strings.Contains(got.body, c.veraOrg.ID) {
			t.Fatalf("at risk: %d, tom %v vera %v", got.status, strings.Contains(got.body, c.tomOrg.ID), strings.Contains(got.body, c.veraOrg.ID))
		}
		if got := b.get("/admin/organizations?at_risk=1&region=South"); strings.Contains(got.body, c.tomOrg.ID) {
			t.Error("the region filter is ignored with at-risk")
		}
		if got := b.get("/admin/organizations?region=North"); !strings.Contains(got.body, c.veraOrg.ID) {
			t.Error("without at-risk, the other organization is missing")
		}
		vera := c.browser().signIn("account_manager2")
		if got := vera.get("/admin/organizations?at_risk=1"); got.status != http.StatusOK || strings.Contains(got.body, c.tomOrg.ID) {
			t.Errorf("another manager's at-risk organization is listed: %d", got.status)
		}
	})
}
