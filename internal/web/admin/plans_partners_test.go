package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// twice posts one form twice at once, as a double click does, and returns
// where each went.
func twice(b *browser, path string, form url.Values) [2]string {
	var wg sync.WaitGroup
	var wheres [2]string
	for i := range 2 {
		wg.Go(func() { wheres[i] = b.post(path, form).where })
	}
	wg.Wait()
	return wheres
}

// Membership plans: bad input next to its field, one plan for a double
// submit, withdrawn and put on sale again.
func TestPlanForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		form := url.Values{"_token": {tokenOf(t, b.get("/admin/plans").body)}, "code": {"gold"}, "name": {"Gold club"}, "fee": {"220.00"},
			"currency": {"GBP"}, "period_months": {"12"}, "discount": {"5"}}
		for field, bad := range map[string]string{"fee": "lots", "period_months": "a year", "discount": "0"} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(field, bad)
			if got := b.post("/admin/plans", f); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+field+`"`) {
				t.Errorf("%s %q: %d, want the error next to it", field, bad, got.status)
			}
		}
		if w := twice(b, "/admin/plans", form); w[0] != w[1] || w[0] == "" {
			t.Fatalf("a double submit went to %q", w)
		}
		plans, err := c.app.Memberships.ListPlans(t.Context(), c.sys)
		must(t, err)
		if len(plans) != 1 || plans[0].Fee != 22000 || plans[0].DiscountBP != 500 {
			t.Fatalf("plans %+v", plans)
		}
		if got := b.post("/admin/plans/"+plans[0].ID+"/status", url.Values{"status": {"archived"}}); got.status != http.StatusSeeOther {
			t.Errorf("withdraw: %d", got.status)
		}
		if pl, _ := c.app.Memberships.GetPlan(t.Context(), c.sys, plans[0].ID); pl.Status != "archived" {
			t.Errorf("status %s after withdrawing", pl.Status)
		}
	})
}

// Partners: one partner for a double submit, its settlement by month with
// a CSV export, a bad period shown next to its field.
func TestPartnerSettlement(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		form := url.Values{"_token": {tokenOf(t, b.get("/admin/partners").body)}, "name": {"Harbour Fuel"}, "point_type_id": {c.pt.ID},
			"issue_price": {"1.00"}, "redeem_price": {"0.90"}}
		bad := url.Values{"name": {"X"}, "point_type_id": {c.pt.ID}, "issue_price": {"one"}, "redeem_price": {"0.90"}}
		if got := b.post("/admin/partners", bad); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-issue_price"`) {
			t.Errorf("a bad price: %d", got.status)
		}
		w := twice(b, "/admin/partners", form)
		ps, err := c.app.Partners.List(t.Context(), c.sys, pageReq())
		must(t, err)
		if len(ps.Items) != 1 || w[0] != w[1] || ps.Items[0].IssuePrice != 100 {
			t.Fatalf("partners %+v after a double submit to %q", ps.Items, w)
		}
		path := "/admin/partners/" + ps.Items[0].ID
		if got := b.get(path + "?from=2026-01-01&to=2026-03-31"); got.status != http.StatusOK || !strings.Contains(got.body, "2026-03") || !strings.Contains(got.body, `data-field="net"`) {
			t.Errorf("settlement: %d %.2000s", got.status, got.body)
		}
		csv := b.get(path + "?from=2026-01-01&to=2026-03-31&format=csv").body
		if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != 5 || !strings.HasPrefix(lines[4], "total,") {
			t.Errorf("settlement CSV %q", csv)
		}
		if got := b.get(path + "?from=March&to=2026-03-31"); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-from"`) {
			t.Errorf("a bad period: %d", got.status)
		}
	})
}
