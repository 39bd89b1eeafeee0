package httpapi_test

import (
	"slices"
	"testing"
	"time"
)

// Twenty sales of a one-month plan to one organization at once: every fee
// buys a month of its own, so the months follow one another without
// overlap and the membership runs for twenty months.
func TestConcurrentMembershipSales(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.dealer(e.keyA, "D1")
		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "month", "name": "A month", "fee": 1000, "currency": "EUR",
			"period_months": 1, "discount_bp": 100}).must(201, nil)
		status, codes := parallel(20, func(int) *resp {
			return e.do("POST", "/v1/organizations/ext:D1/memberships", e.keyA, obj{"plan": "month"})
		})
		if count(status, 201) != 20 {
			t.Fatalf("statuses %v codes %v; want twenty 201", status, codes)
		}
		ms := e.memberships("D1")
		if len(ms) != 1 || len(ms[0].Periods) != 20 {
			t.Fatalf("memberships %+v, want one plan with twenty periods", ms)
		}
		ps := ms[0].Periods
		slices.SortFunc(ps, func(a, b periodJSON) int { return a.StartsAt.Compare(b.StartsAt) })
		for i := 1; i < len(ps); i++ {
			if !ps[i].StartsAt.Equal(ps[i-1].EndsAt) {
				t.Fatalf("period %d starts %s, not at the end of the one before (%s): paid time overlaps", i, ps[i].StartsAt, ps[i-1].EndsAt)
			}
		}
		if until := epoch.AddDate(0, 20, 0); !ms[0].Active || !ms[0].ActiveUntil.Equal(until) {
			t.Fatalf("active until %v, want %s", ms[0].ActiveUntil, until.Format(time.RFC3339))
		}
	})
}
