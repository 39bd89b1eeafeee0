package admin_test

import (
	"encoding/csv"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// Every analytics page shows its figures and a chart, and exports CSV of
// what the same service reports.
func TestAnalyticsPages(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		c.clock.(*clock.Fake).Advance(time.Minute) // reports end now, exclusive
		b := c.browser().signIn("finance")
		for _, name := range []string{"participation", "sales", "cohorts", "organizations", "economics"} {
			p := b.get("/admin/analytics/" + name)
			if p.status != http.StatusOK || !strings.Contains(p.body, "<svg") || !strings.Contains(p.body, `id="csv-export"`) {
				t.Errorf("%s: %d, chart %v\n%.2000s", name, p.status, strings.Contains(p.body, "<svg"), p.body)
			}
		}
		sales := b.get("/admin/analytics/sales?format=csv")
		rows, err := csv.NewReader(strings.NewReader(sales.body)).ReadAll()
		if err != nil || sales.header.Get("Content-Type") != "text/csv; charset=utf-8" || len(rows) < 2 {
			t.Fatalf("sales CSV: %v %q", err, sales.body)
		}
		last := rows[len(rows)-1] // this month: INV-1, 10 × £50.00
		if last[1] != "50000" || last[2] != "1" || last[3] != "1" {
			t.Errorf("this month's sales %q", last)
		}
		part := b.get("/admin/analytics/participation?format=csv").body
		if !strings.Contains(part, "eligible_organizations,2") {
			t.Errorf("participation CSV %q", part)
		}
		orgs := b.get("/admin/analytics/organizations")
		if !strings.Contains(orgs.body, `href="/admin/organizations/`+c.tomOrg.ID+`">Brick &amp; Beam Ltd</a>`) {
			t.Errorf("the RFM table does not name the buyer\n%.3000s", orgs.body)
		}
	})
}

// Bad filters are shown next to their fields; the uplift page asks for a
// piloted program and says why another does not do.
func TestAnalyticsFilters(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		if p := b.get("/admin/analytics/sales?from=yesterday"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="e-from"`) {
			t.Errorf("a bad date: %d", p.status)
		}
		if p := b.get("/admin/analytics/sales?from=2026-05-01&to=2026-04-01"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="e-from"`) {
			t.Errorf("from after to: %d", p.status)
		}
		if p := b.get("/admin/analytics/organizations?k=50"); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="e-k"`) {
			t.Errorf("k out of range: %d", p.status)
		}
		if p := b.get("/admin/analytics/uplift"); p.status != http.StatusOK || !strings.Contains(p.body, "Choose a program running as a pilot") {
			t.Errorf("uplift without a program: %d", p.status)
		}
		if p := b.get("/admin/analytics/uplift?program=" + c.program.ID); p.status != http.StatusUnprocessableEntity || !strings.Contains(p.body, `id="e-program"`) {
			t.Errorf("uplift of a program without a pilot: %d\n%.2000s", p.status, p.body)
		}
		if p := b.get("/admin/analytics/nonsense"); p.status != http.StatusNotFound {
			t.Errorf("an unknown report: %d", p.status)
		}
	})
}
