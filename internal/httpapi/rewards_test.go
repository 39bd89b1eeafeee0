package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// An employee's training seat: reserved from the member wallet, approved
// by the organization's management (no one else), then by the operator
// because its money value is above the threshold, then fulfilled; every
// step is on the redemption and in the audit log.
func TestRedemptionWorkflowWithApprovals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		var set obj
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"approval_threshold": 10000}).must(200, &set)
		if set["approval_threshold"] != float64(10000) {
			t.Fatalf("settings %v", set)
		}
		it := r.item(obj{"kind": "service", "subkind": "training_seat", "name": "Waterproofing course seat", "price": 1000,
			"money_value": 25000, "needs_management_approval": true, "stock": 5})
		id := str(it["id"])
		tom := r.staffKey("tom@a.example") // there before the request: may approve it
		e.clock.Advance(time.Second)
		red := r.redeem(obj{"item_id": id, "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		if red.Status != "awaiting_management" || red.Points != 1000 || red.MemberID != str(r.emp["id"]) || len(red.Steps) != 2 {
			t.Fatalf("requested: %+v", red)
		}
		if got := r.empPoints(); got != 4000 {
			t.Fatalf("member wallet %d after reserving 1,000 of 5,000", got)
		}
		if r.orgPoints() != 10000 || r.stock(id) != 4 {
			t.Fatalf("organization wallet %d, stock %d; want 10000, 4", r.orgPoints(), r.stock(id))
		}
		path := "/v1/redemptions/" + red.ID
		// Not management: the employee, an owner elsewhere, nobody; nor an operator at this step.
		other := e.createOrg(obj{"type": "dealer", "name": "Other", "external_id": "R-9"})
		otherOwner := e.createMember(obj{"organization_id": other["id"], "name": "Otto", "roles": []string{"owner"}})
		for _, m := range []any{r.emp["id"], otherOwner["id"]} {
			p := r.do("POST", path+"/approve", r.keyA, obj{"member_id": m}).fails(403, "not_management", "")
			if !strings.Contains(p.Detail, "owner") && !strings.Contains(p.Detail, "organization") {
				t.Errorf("reason does not say why: %s", p.Detail)
			}
		}
		r.do("POST", path+"/approve", r.keyA, obj{}).fails(422, "validation_failed", "member_id")
		var got redemption
		r.do("POST", path+"/approve", r.keyA, obj{"member_id": r.owner["id"], "note": "ok for Sam"}).must(200, &got)
		if got.Status != "awaiting_operator" {
			t.Fatalf("after management: %s, want awaiting_operator (25,000 > 10,000)", got.Status)
		}
		// The operator's turn: a write key without a staff user may not.
		writeKey := r.key(r.tidA, "write", "")
		r.do("POST", path+"/approve", writeKey, obj{}).fails(403, "operator_only", "")
		r.do("POST", path+"/approve", tom, obj{}).must(200, &got)
		if got.Status != "approved" {
			t.Fatalf("after operator: %s", got.Status)
		}
		r.do("POST", path+"/approve", r.keyA, obj{}).fails(409, "wrong_status", "")
		r.do("POST", path+"/fulfill", r.keyA, obj{"reason": "seat booked for 14 April"}).must(200, &got)
		r.do("POST", path+"/fulfill", r.keyA, nil).fails(409, "wrong_status", "")
		r.do("POST", path+"/cancel", r.keyA, nil).fails(409, "wrong_status", "")
		r.do("GET", path, r.keyA, nil).must(200, &got)
		want := []string{"→requested", "requested→awaiting_management", "awaiting_management→awaiting_operator", "awaiting_operator→approved", "approved→fulfilled"}
		if len(got.Steps) != len(want) || got.VoucherCode != "" {
			t.Fatalf("steps %+v", got.Steps)
		}
		for i, s := range got.Steps {
			if s.From+"→"+s.To != want[i] || s.Actor == "" || s.At.IsZero() {
				t.Errorf("step %d: %+v, want %s", i, s, want[i])
			}
		}
		if got.Steps[2].MemberID != str(r.owner["id"]) || got.Steps[2].Note != "ok for Sam" || !strings.HasPrefix(got.Steps[3].Actor, "staff:") {
			t.Errorf("approvers not recorded: %+v", got.Steps)
		}
		if n := r.count("/v1/audit-log?entity_type=redemption&entity_id=" + red.ID); n != 4 {
			t.Errorf("%d audit entries, want 4 (requested, 2 approvals, fulfilled)", n)
		}
		if n := r.count("/v1/redemptions?status=fulfilled&member=" + str(r.emp["id"])); n != 1 {
			t.Errorf("list by member and status: %d", n)
		}
		if n := r.count("/v1/redemptions?organization=ext:R-9"); n != 0 {
			t.Errorf("list of another organization: %d", n)
		}
		if r.empPoints() != 4000 || r.stock(id) != 4 {
			t.Errorf("after fulfilment: wallet %d, stock %d", r.empPoints(), r.stock(id))
		}
		e.ledgerOK(e.tidA)
	})
}

// A rejection returns exactly the points reserved (the same lots, by a
// reversal) and the stock; a rejection needs a reason and the right.
func TestRedemptionRejectReturnsPoints(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "service", "subkind": "extended_warranty", "name": "Mixer warranty +2 years", "price": 700, "stock": 3})
		id := str(it["id"])
		before := r.orgPoints()
		var red redemption
		body := obj{"item_id": id, "organization": "ext:R-1", "quantity": 2}
		r.do("POST", "/v1/redemptions", r.keyA, body, "Idempotency-Key", "warranty-1").must(201, &red)
		var again redemption
		r.do("POST", "/v1/redemptions", r.keyA, body, "Idempotency-Key", "warranty-1").must(201, &again)
		if again.ID != red.ID {
			t.Fatalf("a retried request made a second redemption %s (first %s)", again.ID, red.ID)
		}
		if red.Status != "approved" || red.Points != 1400 || r.orgPoints() != before-1400 || r.stock(id) != 1 {
			t.Fatalf("redeemed: %+v, wallet %d, stock %d", red, r.orgPoints(), r.stock(id))
		}
		path := "/v1/redemptions/" + red.ID
		r.do("POST", path+"/reject", r.keyA, obj{}).fails(422, "validation_failed", "reason")
		r.do("POST", path+"/reject", r.key(r.tidA, "write", ""), obj{"reason": "no"}).fails(403, "operator_only", "")
		var got redemption
		r.do("POST", path+"/reject", r.keyA, obj{"reason": "model discontinued"}).must(200, &got)
		if got.Status != "rejected" || got.ReturnTxID == "" {
			t.Fatalf("rejected: %+v", got)
		}
		if after := r.orgPoints(); after != before {
			t.Fatalf("balance %d after rejection, want %d", after, before)
		}
		if r.stock(id) != 3 {
			t.Fatalf("stock %d after rejection, want 3", r.stock(id))
		}
		var tx struct {
			Kind       string
			ReversedBy string `json:"reversed_by"`
		}
		r.do("GET", "/v1/transactions/"+red.LedgerTxID, r.keyA, nil).must(200, &tx)
		if tx.Kind != "spend" || tx.ReversedBy != got.ReturnTxID {
			t.Fatalf("reserving transaction: %s reversed by %q, want a spend reversed by %q", tx.Kind, tx.ReversedBy, got.ReturnTxID)
		}
		r.do("POST", path+"/reject", r.keyA, obj{"reason": "again"}).fails(409, "wrong_status", "")
		r.do("POST", path+"/cancel", r.keyA, nil).fails(409, "wrong_status", "")
		e.ledgerOK(e.tidA)
	})
}

// The management may reject an employee's redemption it was asked about;
// the requester may cancel one; both return the member's points.
func TestRedemptionManagementRejectAndCancel(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"employee_redemptions_need_management": true}).must(200, nil)
		it := r.item(obj{"kind": "voucher", "name": "Fuel voucher 50 EUR", "price": 1500})
		a := r.redeem(obj{"item_id": it["id"], "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		b := r.redeem(obj{"item_id": it["id"], "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		if a.Status != "awaiting_management" || r.empPoints() != 2000 {
			t.Fatalf("status %s, wallet %d", a.Status, r.empPoints())
		}
		wk := r.key(r.tidA, "write", "")
		r.do("POST", "/v1/redemptions/"+a.ID+"/reject", wk, obj{"member_id": r.emp["id"], "reason": "no"}).fails(403, "not_management", "")
		r.do("POST", "/v1/redemptions/"+a.ID+"/reject", wk, obj{"member_id": r.owner["id"], "reason": "not this month"}).must(200, nil)
		r.do("POST", "/v1/redemptions/"+b.ID+"/cancel", wk, obj{"reason": "changed my mind"}).must(200, nil)
		if got := r.empPoints(); got != 5000 {
			t.Fatalf("member wallet %d after reject and cancel, want 5000", got)
		}
		// An organization's own voucher: approved at once, code on fulfilment.
		c := r.redeem(obj{"item_id": it["id"], "organization": "ext:R-1"}, 201)
		var got redemption
		r.do("POST", "/v1/redemptions/"+c.ID+"/fulfill", r.keyA, nil).must(200, &got)
		if c.Status != "approved" || len(got.VoucherCode) < 10 {
			t.Fatalf("voucher: status %s, code %q", c.Status, got.VoucherCode)
		}
		e.ledgerOK(e.tidA)
	})
}

// Tier and role prices: the lowest applicable price wins and says why.
func TestRewardTierAndRolePrices(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		e.dealer(e.keyA, "R-2")
		e.send(e.keyA, invoice("INV-1", line("CEMENT", 100, 6000))) // 6,000.00: silver
		it := r.item(obj{"name": "Laser level", "price": 800, "tier_prices": obj{"silver": 600, "gold": 400}, "role_prices": obj{"engineer": 500}})
		goldOnly := r.item(obj{"name": "Gold lounge", "price": 100, "audience": obj{"tiers": []string{"gold"}}})
		eng := e.createMember(obj{"organization_id": r.org["id"], "name": "Erik", "roles": []string{"engineer"}})
		type offers struct {
			Items []struct {
				Item       obj
				Price      int64
				PriceBasis string `json:"price_basis"`
			}
		}
		priceOf := func(path string) (int64, string, int) {
			var o offers
			r.do("GET", path, r.keyA, nil).must(200, &o)
			for _, x := range o.Items {
				if x.Item["id"] == it["id"] {
					return x.Price, x.PriceBasis, len(o.Items)
				}
			}
			t.Fatalf("%s lacks the item: %+v", path, o)
			return 0, "", 0
		}
		if p, b, n := priceOf("/v1/organizations/ext:R-1/rewards"); p != 600 || b != "tier:silver" || n != 1 {
			t.Errorf("R-1 (silver): %d %s, %d items; want 600 tier:silver, 1 (not the gold item)", p, b, n)
		}
		if p, b, _ := priceOf("/v1/organizations/ext:R-2/rewards"); p != 800 || b != "base" {
			t.Errorf("R-2: %d %s; want 800 base", p, b)
		}
		if p, b, _ := priceOf("/v1/organizations/ext:R-1/rewards?member=" + str(eng["id"])); p != 500 || b != "role:engineer" {
			t.Errorf("R-1's engineer: %d %s; want 500 role:engineer", p, b)
		}
		red := r.redeem(obj{"item_id": it["id"], "organization": "ext:R-1"}, 201)
		if red.UnitPrice != 600 || red.PriceBasis != "tier:silver" || r.orgPoints() != 9400 {
			t.Fatalf("redeemed at %d (%s), wallet %d", red.UnitPrice, red.PriceBasis, r.orgPoints())
		}
		r.do("POST", "/v1/redemptions", r.keyA, obj{"item_id": goldOnly["id"], "organization": "ext:R-1"}).fails(403, "not_in_audience", "")
		r.do("GET", "/v1/organizations/ext:NOPE/rewards", r.keyA, nil).fails(404, "not_found", "")
	})
}
