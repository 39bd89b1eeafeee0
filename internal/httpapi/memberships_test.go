package httpapi_test

import (
	"context"
	"testing"
	"time"
)

// membershipJSON is an organization's membership as the API returns it.
type membershipJSON struct {
	Plan struct {
		Code string
	}
	Active      bool
	ActiveUntil *time.Time `json:"active_until"`
	Periods     []periodJSON
}

// periodJSON is a paid period as the API returns it.
type periodJSON struct {
	Action   string
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
	Fee      int64
}

func (e *env) memberships(org string) []membershipJSON {
	e.t.Helper()
	var l struct{ Items []membershipJSON }
	e.do("GET", "/v1/organizations/ext:"+org+"/memberships", e.keyA, nil).must(200, &l)
	return l.Items
}

// TestPaidMembership is DOMAIN §8.11: a 220 fee for 50% off for a year pays
// off after 440 of full-price spend; the discount and the earn multiplier
// apply in the quote and the engine only while the year runs; renewing
// early extends from the end; a lapse becomes an event once.
func TestPaidMembership(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		e.dealer(e.keyA, "D1")
		var plan struct {
			Code      string
			BreakEven int64 `json:"break_even_spend"`
		}
		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "Card50", "name": "Half-price card", "fee": 22000, "currency": "EUR",
			"period_months": 12, "discount_bp": 5000, "earn_multiplier_bp": 20000, "perks": []string{"free_delivery"}}).must(201, &plan)
		if plan.BreakEven != 44000 || plan.Code != "card50" {
			t.Fatalf("plan %+v: want code card50, break-even 440.00", plan)
		}
		cart := line("TILE", 10, 10000) // 1,000.00
		if q := e.quote("D1", cart); q.Discount != 0 {
			t.Fatalf("before buying: discount %d", q.Discount)
		}
		var bought membershipJSON
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": " CARD50 "}).must(201, &bought)
		yearOn := epoch.AddDate(1, 0, 0)
		if !bought.Active || bought.ActiveUntil == nil || !bought.ActiveUntil.Equal(yearOn) || len(bought.Periods) != 1 || bought.Periods[0].Fee != 22000 {
			t.Fatalf("bought %+v, want active until %s", bought, yearOn)
		}
		q := e.quote("D1", cart)
		if q.Discount != 50000 || q.Total != 50000 {
			t.Fatalf("member quote: discount %d total %d, want 500.00 off 1,000.00", q.Discount, q.Total)
		}
		inv := event("invoice", "INV-1", "D1", cart)
		inv["occurred_at"] = epoch.Add(time.Hour).Format(time.RFC3339)
		e.clock.Advance(2 * time.Hour)
		if got := e.send(e.keyA, inv).only(e); got.points() != 200 {
			t.Fatalf("member earns %d, want 10%% of 1,000.00 ×2 = 200: %+v", got.points(), got)
		}
		// Renewing a month before the end extends from the end.
		e.clock.Set(epoch.AddDate(0, 11, 0))
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": "card50", "fee": 19800}).must(201, &bought)
		if len(bought.Periods) != 2 || bought.Periods[1].Action != "renewal" || !bought.Periods[1].StartsAt.Equal(yearOn) ||
			!bought.ActiveUntil.Equal(epoch.AddDate(2, 0, 0)) || bought.Periods[1].Fee != 19800 {
			t.Fatalf("renewal %+v", bought)
		}
		// After both years the benefits stop, and the lapse is an event once.
		e.clock.Set(epoch.AddDate(2, 0, 1))
		if q := e.quote("D1", cart); q.Discount != 0 {
			t.Fatalf("lapsed quote: discount %d", q.Discount)
		}
		ms := e.memberships("D1")
		if len(ms) != 1 || ms[0].Active {
			t.Fatalf("after two years: %+v", ms)
		}
		for want := range []int{1, 0} {
			n, err := e.app.Memberships.Lapse(context.Background(), e.tidA, e.clock.Now())
			if err != nil || n != 1-want {
				t.Fatalf("lapse run %d: %d, %v", want+1, n, err)
			}
		}
		var hist struct {
			Items []struct {
				Event struct {
					Type       string
					Attributes map[string]string
				}
			}
		}
		e.do("GET", "/v1/organizations/ext:D1/events", e.keyA, nil).must(200, &hist)
		var actions []string
		for _, it := range hist.Items {
			if it.Event.Type == "membership" {
				actions = append(actions, it.Event.Attributes["action"])
			}
		}
		if len(actions) != 3 {
			t.Fatalf("membership events %v, want purchase, purchase (renewal), lapse", actions)
		}
		e.ledgerOK(e.tidA)
	})
}

// TestMembershipBadInput: wrong plans and purchases are refused with the
// field to fix, and nothing is written.
func TestMembershipBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		e.dealer(e.keyA, "D1")
		good := obj{"code": "pro", "name": "Pro", "fee": 10000, "currency": "EUR", "period_months": 12, "discount_bp": 1000}
		e.do("POST", "/v1/membership-plans", e.keyA, good).must(201, nil)
		bad := []struct {
			change obj
			field  string
			status int
		}{
			{obj{"code": "pro"}, "code", 409},
			{obj{"code": "Has Space"}, "code", 422},
			{obj{"code": "x1", "fee": 0}, "fee", 422},
			{obj{"code": "x2", "discount_bp": 10001}, "discount_bp", 422},
			{obj{"code": "x3", "earn_multiplier_bp": 5000}, "earn_multiplier_bp", 422},
			{obj{"code": "x4", "period_months": 0}, "period_months", 422},
			{obj{"code": "x5", "perks": []string{"spa"}}, "perks", 422},
			{obj{"code": "x6", "discount_bp": 0}, "discount_bp", 422},
			{obj{"code": "x7", "currency": "E1R"}, "currency", 422},
		}
		for _, c := range bad {
			body := obj{}
			for k, v := range good {
				body[k] = v
			}
			for k, v := range c.change {
				body[k] = v
			}
			e.do("POST", "/v1/membership-plans", e.keyA, body).fails(c.status, map[int]string{409: "duplicate", 422: "validation_failed"}[c.status], c.field)
		}
		var l struct{ Items []obj }
		e.do("GET", "/v1/membership-plans", e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 {
			t.Fatalf("%d plans after bad input, want 1", len(l.Items))
		}
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": "gold"}).fails(422, "validation_failed", "plan")
		e.do("POST", "/v1/organizations/ext:NOPE/memberships", e.keyA, obj{"plan": "pro"}).fails(404, "not_found", "")
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyB, obj{"plan": "pro"}).fails(404, "not_found", "")
		// A membership event naming no plan is refused like any bad event.
		ev := obj{"type": "membership", "source": "shop", "external_id": "M-1", "occurred_at": epoch.Format(time.RFC3339),
			"organization": "ext:D1", "attributes": obj{"action": "purchase", "plan": "gold"}}
		e.do("POST", "/v1/events", e.keyA, ev).fails(422, "validation_failed", "attributes.plan")
		var plan obj
		e.do("GET", "/v1/membership-plans/"+str(l.Items[0]["id"]), e.keyA, nil).must(200, &plan)
		e.do("POST", "/v1/membership-plans/"+str(plan["id"])+"/status", e.keyA, obj{"status": "archived"}).must(200, nil)
		e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": "pro"}).fails(422, "validation_failed", "plan")
		if ms := e.memberships("D1"); len(ms) != 0 {
			t.Fatalf("memberships after refusals: %+v", ms)
		}
	})
}
