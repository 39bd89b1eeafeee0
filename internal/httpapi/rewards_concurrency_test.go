package httpapi_test

import (
	"fmt"
	"sync"
	"testing"
)

// The last unit of stock goes to exactly one of eight concurrent
// redemptions; the others get out_of_stock and keep every point.
func TestRedemptionLastUnitConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "event_invitation", "name": "Factory tour, 12 May", "price": 300, "stock": 1})
		orgs := make([]string, 8)
		for i := range orgs {
			o := e.dealer(e.keyA, fmt.Sprintf("C-%d", i))
			orgs[i] = str(o["id"])
			r.earn("organization", orgs[i], 1000)
		}
		status := make([]int, len(orgs))
		var wg sync.WaitGroup
		for i := range orgs {
			wg.Go(func() {
				status[i] = e.do("POST", "/v1/redemptions", e.keyA, obj{"item_id": it["id"], "organization": orgs[i]}).Status
			})
		}
		wg.Wait()
		won := 0
		for i, s := range status {
			balance := r.available("/v1/organizations/" + orgs[i] + "/wallet")
			switch s {
			case 201:
				won++
				if balance != 700 {
					t.Errorf("winner's balance %d, want 700", balance)
				}
			case 409:
				if balance != 1000 {
					t.Errorf("refused organization's balance %d, want 1000 untouched", balance)
				}
			default:
				t.Errorf("status %d", s)
			}
		}
		if won != 1 || r.stock(str(it["id"])) != 0 || r.count("/v1/redemptions") != 1 {
			t.Fatalf("%d won (statuses %v), stock %d, %d redemptions; want 1, 0, 1", won, status, r.stock(str(it["id"])), r.count("/v1/redemptions"))
		}
		e.ledgerOK(e.tidA)
	})
}

// Eight concurrent approvals of one redemption: exactly one succeeds and
// leaves one step and one audit entry; the others get a conflict.
func TestRedemptionApprovalConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"approval_threshold": 0}).must(200, nil)
		it := r.item(obj{"kind": "donation", "name": "Habitat build fund", "price": 500, "money_value": 500})
		approver := r.key(r.tidA, "admin", "") // another key than the requester's (four eyes)
		red := r.redeem(obj{"item_id": it["id"], "organization": "ext:R-1"}, 201)
		if red.Status != "awaiting_operator" {
			t.Fatalf("status %s, want awaiting_operator", red.Status)
		}
		status := make([]int, 8)
		var wg sync.WaitGroup
		for i := range status {
			wg.Go(func() {
				status[i] = e.do("POST", "/v1/redemptions/"+red.ID+"/approve", approver, obj{"note": fmt.Sprint("approver ", i)}).Status
			})
		}
		wg.Wait()
		ok := 0
		for _, s := range status {
			switch s {
			case 200:
				ok++
			case 409:
			default:
				t.Errorf("status %d", s)
			}
		}
		var got redemption
		r.do("GET", "/v1/redemptions/"+red.ID, r.keyA, nil).must(200, &got)
		if ok != 1 || got.Status != "approved" || len(got.Steps) != 3 {
			t.Fatalf("%d approvals succeeded (%v); status %s with %d steps; want 1, approved, 3", ok, status, got.Status, len(got.Steps))
		}
		var l list
		r.do("GET", "/v1/audit-log?entity_type=redemption&entity_id="+red.ID, r.keyA, nil).must(200, &l)
		approvals := 0
		for _, a := range l.Items {
			if a["action"] == "redemption.approved" {
				approvals++
			}
		}
		if approvals != 1 {
			t.Fatalf("%d approval audit entries, want 1", approvals)
		}
	})
}

// A per-member limit holds under concurrent requests: of eight at once
// with a limit of two a month, exactly two succeed and only their points
// are taken.
func TestRedemptionLimitConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "voucher", "name": "Coffee voucher", "price": 100, "member_limit": obj{"count": 2, "period": "month"}})
		status := make([]int, 8)
		var wg sync.WaitGroup
		for i := range status {
			wg.Go(func() {
				status[i] = e.do("POST", "/v1/redemptions", e.keyA, obj{"item_id": it["id"], "organization": "ext:R-1", "member": r.emp["id"]}).Status
			})
		}
		wg.Wait()
		ok := 0
		for _, s := range status {
			if s == 201 {
				ok++
			} else if s != 409 {
				t.Errorf("status %d", s)
			}
		}
		if ok != 2 || r.empPoints() != 5000-200 {
			t.Fatalf("%d succeeded (%v), member wallet %d; want 2, 4800", ok, status, r.empPoints())
		}
		e.ledgerOK(e.tidA)
	})
}
