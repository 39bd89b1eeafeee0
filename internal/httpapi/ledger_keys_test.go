package httpapi_test

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/tenant"
)

// The attack of sending, as a client's Idempotency-Key, the key the
// product will use for its own transaction: the expiry of a lot, the
// activation of a pending lot, the approval of an adjustment, the return
// of a rejected redemption's points. Each client request is accepted as a
// change of its own, and every product operation still happens: the jobs
// expire and activate every lot, the approval and the return post.
func TestClientKeysOfTheProductsFormAreHarmless(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e) // dealer R-1 with 10,000 points
		wallet := "/v1/organizations/" + str(r.org["id"]) + "/wallet"
		org := obj{"type": "organization", "id": r.org["id"]}
		attack := func(key string) {
			e.t.Helper()
			e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": org, "point_type_id": r.pt, "amount": 1}, "Idempotency-Key", key).must(201, nil)
		}
		soon, later := epoch.Add(24*time.Hour), epoch.Add(48*time.Hour)
		var expiring, pending obj
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": org, "point_type_id": r.pt, "amount": 100, "expires_at": soon},
			"Idempotency-Key", "lot-expiring").must(201, &expiring)
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": org, "point_type_id": r.pt, "amount": 40, "available_at": soon, "expires_at": later.Add(time.Hour)},
			"Idempotency-Key", "lot-pending").must(201, &pending)
		attack("expire:" + lotOf(expiring))
		attack("activate:" + lotOf(pending))

		acct := e.wallet(wallet).Balances[0].AccountID
		bob := r.staffKey("bob@acme.example") // a colleague before the request: a second person
		e.clock.Advance(time.Minute)
		var adj struct{ Adjustment obj }
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", r.staffKey("ann@acme.example"), obj{"amount": 5000, "reason": "lost delivery"},
			"Idempotency-Key", "adj-big").must(201, &adj)
		if adj.Adjustment["status"] != "pending_approval" {
			t.Fatalf("adjustment %v, want one waiting for approval", adj.Adjustment)
		}
		attack("adjustment:" + str(adj.Adjustment["id"]))
		e.do("POST", "/v1/adjustments/"+str(adj.Adjustment["id"])+"/approve", bob, obj{}).must(200, nil)

		it := r.item(obj{"kind": "voucher", "name": "Fuel card", "price": 700})
		red := r.redeem(obj{"item_id": it["id"], "organization": str(r.org["id"])}, 201)
		attack("redemption:" + red.ID + ":return")
		e.do("POST", "/v1/redemptions/"+red.ID+"/reject", e.keyA, obj{"reason": "out of season"}).must(200, nil)
		if got := r.orgPoints(); got != 10000+100+4+5000 {
			t.Fatalf("after the rejection the dealer has %d points, want 15,104 (and 40 pending)", got)
		}

		at := later.Add(2 * time.Hour)
		for _, j := range []struct {
			job  string
			want int
		}{{"activate", 1}, {"expire", 2}} {
			if n, err := e.app.RunJob(context.Background(), j.job, e.tenantA(), at); n != j.want || err != nil {
				t.Fatalf("%s job: %d lots, %v; want %d", j.job, n, err, j.want)
			}
		}
		if got := r.orgPoints(); got != 10000+4+5000 {
			t.Fatalf("wallet %d, want 15,004 (the 140 expired)", got)
		}
		e.ledgerOK(e.tidA)
	})
}

// lotOf is the id of the lot an earn created.
func lotOf(tr obj) string {
	return str(tr["lots"].([]any)[0].(obj)["id"])
}

// tenantA is tenant A as the services know it.
func (e *env) tenantA() tenant.Tenant {
	e.t.Helper()
	tn, err := e.app.Tenants.TenantBySlug(context.Background(), "acme")
	if err != nil {
		e.t.Fatal(err)
	}
	return tn
}

// Events the product makes itself live in sources of its own (claims,
// memberships, occasions): a client's event may not use them, so it cannot
// take the external id of an approved claim's event or of a lapse. A sale
// the client names gets an id of the clients' own in that source, and the
// lapse job still records the lapse it would have taken.
func TestClientEventsCannotTakeTheProductsEvents(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		e.dealer(e.keyA, "D1")
		e.dealer(e.keyA, "D2")
		for _, src := range []string{"claims", "memberships", "occasions"} {
			ev := event("invoice", "X-1", "D1", line("A", 1, 100))
			ev["source"] = src
			e.do("POST", "/v1/events", e.keyA, ev).fails(422, "validation_failed", "source")
			e.do("POST", "/v1/events:batch", e.keyA, obj{"events": []obj{event("invoice", "X-2", "D1", line("A", 1, 100)), ev}}).
				fails(422, "validation_failed", "events[1].source")
		}
		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "month", "name": "A month", "fee": 1000, "currency": "EUR", "period_months": 1, "discount_bp": 100}).must(201, nil)
		var d1 struct {
			Periods []struct{ ID string }
		}
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": "month"}).must(201, &d1)
		lapse := "lapse-" + d1.Periods[0].ID
		e.do("POST", "/v1/organizations/ext:D2/memberships", e.keyA, obj{"plan": "month", "external_id": lapse}).must(201, nil)
		e.clock.Set(epoch.AddDate(0, 1, 1))
		if n, err := e.app.RunJob(context.Background(), "memberships", e.tenantA(), e.clock.Now()); n != 2 || err != nil {
			t.Fatalf("memberships job: %d lapses, %v; want both recorded", n, err)
		}
		var h list
		e.do("GET", "/v1/organizations/ext:D1/events", e.keyA, nil).must(200, &h)
		if len(h.Items) != 2 || h.Items[0]["event"].(obj)["external_id"] != lapse {
			t.Fatalf("D1's history %v, want its purchase and its lapse %s", h.Items, lapse)
		}
		e.ledgerOK(e.tidA)
	})
}
