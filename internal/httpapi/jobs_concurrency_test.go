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
		reviewed := replicas(t, 10, func() (int, error) { return e.app.Events.ReviewDue(context.Background(), e.tidA, at) })
		for i := range 12 {
			if got := e.balanceOf(e.keyA, fmt.Sprint("RV-", i)); got != 100 {
				t.Fatalf("RV-%d: bonus %d, want 100 once", i, got)
			}
		}
		if reviewed < 12 {
			t.Fatalf("%d participants reviewed in all, want every one of the 12", reviewed)
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
		if lapsed := replicas(t, 10, func() (int, error) { return e.app.Memberships.Lapse(context.Background(), e.tidA, e.clock.Now()) }); lapsed != 8 {
			t.Fatalf("%d lapses recorded in all, want each of the 8 periods once", lapsed)
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

// replicas runs a job n times at once, as n replicas would, and returns
// how many rows the runs processed together.
func replicas(t *testing.T, n int, job func() (int, error)) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	total := 0
	for range n {
		wg.Go(func() {
			done, err := job()
			if err != nil {
				t.Errorf("job: %v", err)
			}
			mu.Lock()
			total += done
			mu.Unlock()
		})
	}
	wg.Wait()
	return total
}
