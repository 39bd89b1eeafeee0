package httpapi_test

import "testing"

// TestAttackPartnerSpendsOperatorCodes: a partner's order event with
// codes ["SPRING30"] used up a dealer's once-per-organization use and the
// campaign's budget. A partner may use only the campaigns that grant it
// their codes (none by default).
func TestAttackPartnerSpendsOperatorCodes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		pid := id0(f.partner)
		c := e.newCampaign(obj{"name": "Spring", "program_id": f.program.program["id"], "kind": "shared", "code": "SPRING30",
			"per_org_limit": 1, "budget": 1_000_000, "effect": obj{"type": "percent", "percent_bp": 3000}})
		withCodes := func(ext string) obj {
			ev := f.sale(ext, "ext:M-OLGA", 3)
			ev["codes"] = []string{"SPRING30"}
			return ev
		}

		// The attack: refused, naming the code, and nothing is used.
		before := e.snapshot()
		p := e.do("POST", "/v1/events", f.key, withCodes("HH-1")).fails(409, "promo_code_unavailable", "codes")
		if p.Errors[0].Message == "" || e.getCampaign(c.ID).Used != 0 || e.getCampaign(c.ID).BudgetUsed != 0 || e.snapshot() != before {
			t.Fatalf("a partner's order spent the operator's code: %+v %+v", p, e.getCampaign(c.ID))
		}
		// The dealer's own order still has its one use.
		own := order("SO-1", "D-1", []string{"SPRING30"}, line("A", 3, 5000))
		own["member"] = "ext:M-OLGA"
		e.do("POST", "/v1/events", e.keyA, own).must(200, nil)
		if got := e.getCampaign(c.ID); got.Used != 1 {
			t.Fatalf("the dealer's order: %+v", got)
		}

		// Granting is the operator's decision: an unknown partner is refused,
		// a granted partner may use a campaign's codes within its limits.
		e.do("PUT", "/v1/promo-campaigns/"+c.ID+"/partners", e.keyA, obj{"partners": []string{"nobody"}}).fails(422, "validation_failed", "partners[0]")
		e.do("PUT", "/v1/promo-campaigns/"+c.ID+"/partners", f.key, obj{"partners": []string{pid}}).fails(403, "partner_scope", "")
		open := e.newCampaign(obj{"name": "Partners welcome", "program_id": f.program.program["id"], "kind": "shared", "code": "HIRE10",
			"partners": []string{pid}, "effect": obj{"type": "percent", "percent_bp": 1000}})
		ev := f.sale("HH-2", "ext:M-OLGA", 3)
		ev["codes"] = []string{"HIRE10"}
		e.do("POST", "/v1/events", f.key, ev).must(200, nil)
		if got := e.getCampaign(open.ID); got.Used != 1 {
			t.Fatalf("a granted partner's order: %+v", got)
		}
		var granted struct{ Partners []string }
		e.do("PUT", "/v1/promo-campaigns/"+c.ID+"/partners", e.keyA, obj{"partners": []string{pid}}).must(200, &granted)
		if len(granted.Partners) != 1 || granted.Partners[0] != pid {
			t.Fatalf("granted: %+v", granted)
		}
		// SPRING30 now admits the partner, but its per-organization limit
		// still holds: D-1 used it already.
		e.do("POST", "/v1/events", f.key, withCodes("HH-3")).fails(409, "promo_code_unavailable", "codes")
	})
}
