package httpapi_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Ten replicas run the program review of the month at once: each
// organization's period bonus is credited once.
func TestReviewsOnReplicasConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"period_bonus": obj{"steps": []obj{{"from": 0, "percent_bp": 1000}}}})
		for i := range 12 {
			org := fmt.Sprint("RV-", i)
			e.dealer(e.keyA, org)
			e.send(e.keyA, event("invoice", "INV-"+org, org, line("ROOF", 1, 100000)))
		}
		at := time.Date(2026, 4, 1, 1, 0, 0, 0, time.UTC)
		e.clock.Set(at)
		var wg sync.WaitGroup
		reviewed := make([]int, 10)
		for i := range reviewed {
			wg.Go(func() {
				n, err := e.app.Events.ReviewDue(context.Background(), e.tidA, at)
				if err != nil {
					t.Errorf("review: %v", err)
				}
				reviewed[i] = n
			})
		}
		wg.Wait()
		sum := 0
		for _, n := range reviewed {
			sum += n
		}
		for i := range 12 {
			if got := e.balanceOf(e.keyA, fmt.Sprint("RV-", i)); got != 100 {
				t.Fatalf("RV-%d: bonus %d, want 100 once (reviews %v)", i, got, reviewed)
			}
		}
		if sum < 12 {
			t.Fatalf("reviews %v: %d participants reviewed in all, want every one of the 12", reviewed, sum)
		}
		e.ledgerOK(e.tidA)
	})
}

// Thirty organizations' invoices at once against a program budget of 100
// points, 10 each: exactly ten are paid, and the budget is spent exactly.
// Ten replicas record the lapses of the month at once: one lapse event per
// period.
func TestBudgetAndLapsesConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"budget": 100, "rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		for i := range 30 {
			e.dealer(e.keyA, fmt.Sprint("B-", i))
		}
		parallel(30, func(i int) *resp {
			return e.do("POST", "/v1/events", e.keyA, event("invoice", fmt.Sprint("INV-B-", i), fmt.Sprint("B-", i), line("X", 1, 10000)))
		})
		var u struct {
			Budget struct{ Limit, Used, Remaining int64 }
		}
		e.do("GET", "/v1/programs/"+str(f.program["id"])+"/budget", e.keyA, nil).must(200, &u)
		paid, total := 0, int64(0)
		for i := range 30 {
			if b := e.balanceOf(e.keyA, fmt.Sprint("B-", i)); b > 0 {
				paid++
				total += b
			}
		}
		if u.Budget.Used != 100 || total != 100 || paid != 10 {
			t.Fatalf("budget %+v, %d organizations paid %d points; want 10 paid 100", u.Budget, paid, total)
		}

		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "month", "name": "A month", "fee": 1000, "currency": "EUR",
			"period_months": 1, "discount_bp": 100}).must(201, nil)
		for i := range 8 {
			e.do("POST", fmt.Sprintf("/v1/organizations/ext:B-%d/memberships", i), e.keyA, obj{"plan": "month"}).must(201, nil)
		}
		e.clock.Set(epoch.AddDate(0, 1, 2))
		var wg sync.WaitGroup
		lapsed := make([]int, 10)
		for i := range lapsed {
			wg.Go(func() {
				n, err := e.app.Memberships.Lapse(context.Background(), e.tidA, e.clock.Now())
				if err != nil {
					t.Errorf("lapse: %v", err)
				}
				lapsed[i] = n
			})
		}
		wg.Wait()
		sum := 0
		for _, n := range lapsed {
			sum += n
		}
		if sum != 8 {
			t.Fatalf("lapses recorded %v: %d in all, want each of the 8 periods once", lapsed, sum)
		}
		for i := range 8 {
			var h list
			e.do("GET", fmt.Sprintf("/v1/organizations/ext:B-%d/events", i), e.keyA, nil).must(200, &h)
			if len(h.Items) != 3 { // the invoice, the purchase, one lapse
				t.Fatalf("B-%d has %d events, want its invoice, its purchase and one lapse", i, len(h.Items))
			}
		}
		e.ledgerOK(e.tidA)
	})
}
