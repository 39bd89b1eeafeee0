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

// Twenty redemptions of an item with twenty units while its price is
// edited twenty times: an edit never puts back stock the redemptions took,
// so the stock ends at exactly 20 minus the redemptions made.
func TestRedemptionsWhileTheItemIsEdited(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "merchandise", "name": "Hard hat", "price": 100, "stock": 20})
		orgs := make([]string, 20)
		for i := range orgs {
			orgs[i] = str(e.dealer(e.keyA, fmt.Sprintf("H-%d", i))["id"])
			r.earn("organization", orgs[i], 1000)
		}
		status, _ := parallel(40, func(i int) *resp {
			if i%2 == 0 {
				return e.do("POST", "/v1/redemptions", e.keyA, obj{"item_id": it["id"], "organization": orgs[i/2]})
			}
			return e.do("PATCH", "/v1/rewards/"+str(it["id"]), e.keyA, obj{"price": 100})
		})
		made := 0
		for i, s := range status {
			if i%2 == 0 && s == 201 {
				made++
			} else if s != 200 && s != 201 {
				t.Errorf("request %d: status %d", i, s)
			}
		}
		if made != 20 || r.stock(str(it["id"])) != 0 || r.count("/v1/redemptions") != 20 {
			t.Fatalf("%d redemptions made, stock %d, %d stored; want 20, 0, 20", made, r.stock(str(it["id"])), r.count("/v1/redemptions"))
		}
		e.ledgerOK(e.tidA)
	})
}

// Twenty operators decide one approved redemption at once, rejecting,
// cancelling and fulfilling it: exactly one wins, and the points and the
// stock come back at most once (exactly once if it was not fulfilled).
func TestRedemptionDecisionsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "merchandise", "name": "Cooler box", "price": 400, "stock": 5})
		points, stock := int64(10000), int64(5)
		for round := range 3 {
			red := r.redeem(obj{"item_id": it["id"], "organization": str(r.org["id"])}, 201)
			status, codes := parallel(21, func(i int) *resp {
				path := "/v1/redemptions/" + red.ID
				switch i % 3 {
				case 0:
					return e.do("POST", path+"/reject", e.keyA, obj{"reason": fmt.Sprint("no ", i)})
				case 1:
					return e.do("POST", path+"/cancel", e.keyA, obj{"reason": fmt.Sprint("changed mind ", i)})
				}
				return e.do("POST", path+"/fulfill", e.keyA, obj{"reason": fmt.Sprint("sent ", i)})
			})
			if count(status, 200) != 1 || count(codes, "wrong_status") != 20 {
				t.Fatalf("round %d: statuses %v codes %v; want one 200 and twenty 409 wrong_status", round, status, codes)
			}
			var got redemption
			r.do("GET", "/v1/redemptions/"+red.ID, r.keyA, nil).must(200, &got)
			points, stock = points-400, stock-1
			if got.Status != "fulfilled" {
				points, stock = points+400, stock+1
			}
			if p, st := r.orgPoints(), r.stock(str(it["id"])); p != points || st != stock || len(got.Steps) != 3 {
				t.Fatalf("round %d (%s): %d points, stock %d, %d steps; want %d, %d, 3", round, got.Status, p, st, len(got.Steps), points, stock)
			}
		}
		e.ledgerOK(e.tidA)
	})
}
