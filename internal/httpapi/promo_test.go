package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// Promo codes (DOMAIN §3.8, §8.7) through the API: quotes show what a code
// gives or why not; orders redeem codes exactly once.

// campaign is a promo campaign as the API returns it.
type campaign struct {
	ID         string
	Code       string
	Used       int64
	BudgetUsed int64 `json:"budget_used"`
	Codes      int64
	Status     string
}

// newCampaign creates a campaign in tenant A.
func (e *env) newCampaign(body obj) campaign {
	e.t.Helper()
	var c campaign
	e.do("POST", "/v1/promo-campaigns", e.keyA, body).must(201, &c)
	return c
}

// getCampaign reads a campaign of tenant A.
func (e *env) getCampaign(id string) campaign {
	e.t.Helper()
	var c campaign
	e.do("GET", "/v1/promo-campaigns/"+id, e.keyA, nil).must(200, &c)
	return c
}

// quoteCodes prices a cart of org (ERP id) in tenant A with codes.
func (e *env) quoteCodes(org string, codes []string, lines ...obj) quoteResult {
	e.t.Helper()
	var q quoteResult
	e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:" + org, "currency": "EUR", "lines": lines, "codes": codes}).must(200, &q)
	return q
}

// order is an order event of org (ERP id) with codes.
func order(ext, org string, codes []string, lines ...obj) obj {
	ev := event("order", ext, org, lines...)
	ev["codes"] = codes
	return ev
}

// skidka30 sets up §8.7: a program with a 5% dealer discount and the code
// SKIDKA30, 30% off the whole order from 10,000.00, not combinable.
func skidka30(e *env, extra obj) (programFixture, campaign) {
	f := newProgram(e, obj{"discounts": []obj{{"id": "dealer", "name": "Dealer discount", "kind": "percent", "percent_bp": 500}}})
	body := obj{"name": "Autumn SKIDKA30", "program_id": f.program["id"], "kind": "shared", "code": "SKIDKA30",
		"min_order": 1000000, "exclusive": true, "effect": obj{"type": "percent", "percent_bp": 3000}}
	for k, v := range extra {
		body[k] = v
	}
	return f, e.newCampaign(body)
}

// DOMAIN §8.7 exactly.
func TestPromoSkidka30(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, c := skidka30(e, nil)
		// A 10,000.00 order costs 7,000.00; the dealer discount is not combinable.
		q := e.quoteCodes("R-1", []string{"SKIDKA30"}, line("TILE", 10, 100000))
		if q.Subtotal != 1000000 || q.Discount != 300000 || q.Total != 700000 {
			t.Fatalf("10,000.00 with SKIDKA30: %+v, want 7,000.00", q)
		}
		if r := q.refusal("dealer"); !strings.Contains(r, "not combinable with promo code SKIDKA30") {
			t.Errorf("the dealer discount's refusal %q does not say it is not combinable", r)
		}
		// 9,999.99: the code is refused with the reason; the dealer discount applies.
		q = e.quoteCodes("R-1", []string{"SKIDKA30"}, line("TILE", 1, 999999))
		if r := q.refusal("code:SKIDKA30"); r != "order below 10,000.00" {
			t.Errorf("9,999.99: refusal %q, want \"order below 10,000.00\"", r)
		}
		if q.Discount != 49999 {
			t.Errorf("9,999.99: discount %d, want the dealer's 5%% (499.99)", q.Discount)
		}
		// Case and spaces do not matter.
		for _, typed := range []string{" skidka 30 ", "skidka-30", "Skidka30"} {
			if q := e.quoteCodes("R-1", []string{typed}, line("TILE", 10, 100000)); q.Total != 700000 {
				t.Errorf("%q: total %d, want 7,000.00", typed, q.Total)
			}
		}
		// Nothing was used by quoting.
		if got := e.getCampaign(c.ID); got.Used != 0 || got.BudgetUsed != 0 {
			t.Fatalf("quotes used the campaign: %+v", got)
		}
		// A dry run redeems nothing; the order does, once.
		e.do("POST", "/v1/events?dry_run=true", e.keyA, order("ORD-0", "R-1", []string{"skidka 30"}, line("TILE", 10, 100000))).must(200, nil)
		if got := e.getCampaign(c.ID); got.Used != 0 {
			t.Fatalf("a dry run used the campaign: %+v", got)
		}
		e.send(e.keyA, order("ORD-1", "R-1", []string{"skidka 30"}, line("TILE", 10, 100000)))
		e.send(e.keyA, order("ORD-1", "R-1", []string{"skidka 30"}, line("TILE", 10, 100000))) // a duplicate: no effect
		if got := e.getCampaign(c.ID); got.Used != 1 || got.BudgetUsed != 300000 {
			t.Fatalf("after the order: %+v, want used 1 and 3,000.00 of budget", got)
		}
		var reds struct{ Items []obj }
		e.do("GET", "/v1/promo-campaigns/"+c.ID+"/redemptions", e.keyA, nil).must(200, &reds)
		if len(reds.Items) != 1 || reds.Items[0]["code"] != "SKIDKA30" || reds.Items[0]["discount"] != float64(300000) {
			t.Fatalf("redemptions %+v", reds.Items)
		}
		if e.count("/v1/audit-log?entity_type=promo_campaign&entity_id="+c.ID) != 1 {
			t.Error("the campaign's creation is not audited")
		}
	})
}

// A code that does not apply says why, in the quote and, as a 409, when
// an order uses it; the refused order writes nothing.
func TestPromoRefusals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f, _ := skidka30(e, obj{"per_org_limit": 1, "ends_at": epoch.Add(48 * time.Hour).Format(time.RFC3339)})
		e.dealer(e.keyA, "R-2")
		big := line("TILE", 10, 100000)
		e.send(e.keyA, order("ORD-1", "R-1", []string{"SKIDKA30"}, big))
		if r := e.quoteCodes("R-1", []string{"SKIDKA30"}, big).refusal("code:SKIDKA30"); r != "already used by your organization" {
			t.Errorf("per-organization limit: %q", r)
		}
		p := e.do("POST", "/v1/events", e.keyA, order("ORD-2", "R-1", []string{"SKIDKA30"}, big)).fails(409, "promo_code_unavailable", "codes")
		if !strings.Contains(p.Detail, "SKIDKA30") || !strings.Contains(p.Detail, "already used by your organization") {
			t.Errorf("409 detail %q names neither the code nor the reason", p.Detail)
		}
		if n := e.count("/v1/organizations/ext:R-1/events"); n != 1 {
			t.Errorf("the refused order was stored: %d events", n)
		}
		// Another organization may use it.
		e.send(e.keyA, order("ORD-3", "R-2", []string{"SKIDKA30"}, big))

		// Unknown codes, another tenant's code, a campaign not yet valid, a paused one, an expired one.
		if r := e.quoteCodes("R-2", []string{"NOSUCH"}, big).refusal("code:NOSUCH"); r != "unknown promo code" {
			t.Errorf("unknown: %q", r)
		}
		_, keyC := e.tenantWithKey("charlie", "admin")
		newProgramIn(e, keyC, obj{}, nil)
		e.dealer(keyC, "C-1")
		var qc quoteResult
		e.do("POST", "/v1/quote", keyC, obj{"organization": "ext:C-1", "currency": "EUR", "lines": []obj{big}, "codes": []string{"SKIDKA30"}}).must(200, &qc)
		if r := qc.refusal("code:SKIDKA30"); r != "unknown promo code" || qc.Discount != 0 {
			t.Errorf("another tenant's code: %q, discount %d", r, qc.Discount)
		}
		later := e.newCampaign(obj{"name": "Spring", "kind": "shared", "code": "SPRING", "starts_at": epoch.Add(24 * time.Hour).Format(time.RFC3339),
			"effect": obj{"type": "fixed_amount", "amount": 5000}})
		if r := e.quoteCodes("R-2", []string{"spring"}, big).refusal("code:SPRING"); !strings.HasPrefix(r, "not valid yet") {
			t.Errorf("not yet valid: %q", r)
		}
		e.do("POST", "/v1/promo-campaigns/"+later.ID+"/status", e.keyA, obj{"status": "paused"}).must(200, nil)
		e.clock.Advance(25 * time.Hour)
		if r := e.quoteCodes("R-2", []string{"spring"}, big).refusal("code:SPRING"); r != "campaign paused" {
			t.Errorf("paused: %q", r)
		}
		e.clock.Advance(24 * time.Hour)
		if r := e.quoteCodes("R-2", []string{"SKIDKA30"}, big).refusal("code:SKIDKA30"); r != "expired on 2026-03-04 09:00 UTC" {
			t.Errorf("expired: %q", r)
		}
		_ = f
	})
}

// Limits, the budget, one-time codes, and effects other than percent.
func TestPromoLimitsAndEffects(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{})
		e.dealer(e.keyA, "R-2")
		once := e.newCampaign(obj{"name": "First 1", "kind": "shared", "code": "ONCE", "total_limit": 1, "effect": obj{"type": "fixed_amount", "amount": 1000}})
		e.send(e.keyA, order("O-1", "R-1", []string{"ONCE"}, line("A", 1, 5000)))
		if r := e.quoteCodes("R-2", []string{"ONCE"}, line("A", 1, 5000)).refusal("code:ONCE"); r != "usage limit reached" {
			t.Errorf("total limit: %q", r)
		}
		budget := e.newCampaign(obj{"name": "Budget", "kind": "shared", "code": "BUDGET", "budget": 1500, "effect": obj{"type": "fixed_amount", "amount": 1000}})
		e.send(e.keyA, order("O-2", "R-1", []string{"BUDGET"}, line("A", 1, 5000)))
		if r := e.quoteCodes("R-1", []string{"BUDGET"}, line("A", 1, 5000)).refusal("code:BUDGET"); r != "campaign budget exhausted" {
			t.Errorf("budget: %q", r)
		}
		e.do("POST", "/v1/events", e.keyA, order("O-3", "R-1", []string{"BUDGET"}, line("A", 1, 5000))).fails(409, "promo_code_unavailable", "codes")
		if c := e.getCampaign(budget.ID); c.BudgetUsed != 1000 || c.Used != 1 {
			t.Errorf("budget campaign %+v", c)
		}
		// A unique code: once.
		uniq := e.newCampaign(obj{"name": "Mailing", "kind": "unique", "effect": obj{"type": "free_item", "sku": "GLOVES"}})
		e.do("POST", "/v1/promo-campaigns/"+uniq.ID+"/codes:import", e.keyA, obj{"codes": []string{"mail-0001-xyz"}}).must(201, nil)
		q := e.quoteCodes("R-1", []string{"MAIL0001XYZ"}, line("A", 1, 5000), line("GLOVES", 3, 700))
		if q.Discount != 700 {
			t.Errorf("free item: discount %d, want one pair of gloves (7.00)", q.Discount)
		}
		e.send(e.keyA, order("O-4", "R-1", []string{"MAIL-0001-XYZ"}, line("GLOVES", 1, 700)))
		p := e.do("POST", "/v1/events", e.keyA, order("O-5", "R-2", []string{"MAIL0001XYZ"}, line("GLOVES", 1, 700))).fails(409, "promo_code_unavailable", "codes")
		if !strings.Contains(p.Detail, "code already used") {
			t.Errorf("second use of a unique code: %q", p.Detail)
		}
		// Bonus points land in the organization's wallet of the program's point type.
		e.newCampaign(obj{"name": "Bonus", "program_id": f.program["id"], "kind": "shared", "code": "BONUS500", "effect": obj{"type": "bonus_points", "points": 500}})
		before := e.balanceOf(e.keyA, "R-2")
		e.send(e.keyA, order("O-6", "R-2", []string{"bonus500"}, line("A", 1, 5000)))
		if got := e.balanceOf(e.keyA, "R-2"); got != before+500 {
			t.Errorf("bonus: balance %d, want %d", got, before+500)
		}
		e.ledgerOK(e.tidA)
		_ = once
	})
}
