package membership_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager sells and reads the memberships of their own
// organizations only.
func TestAccountManagerReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx, ms := t.Context(), f.App.Memberships
		if _, err := ms.CreatePlan(ctx, f.Sys, membership.PlanInput{Code: "gold", Name: "Gold", Fee: 10000, Currency: "GBP", PeriodMonths: 12, DiscountBP: 500}); err != nil {
			t.Fatal(err)
		}
		_, err := ms.Buy(ctx, f.Tom, membership.BuyInput{Organization: f.VeraOrg.ID, Plan: "gold"})
		reachtest.Refused(t, "selling a membership", err)
		_, err = ms.Of(ctx, f.Tom, f.VeraOrg.ID)
		reachtest.Refused(t, "reading memberships", err)
		if all, _ := ms.Of(ctx, f.Sys, f.VeraOrg.ID); len(all) != 0 {
			t.Errorf("a refused sale recorded %v", all)
		}
		if _, err := ms.Buy(ctx, f.Tom, membership.BuyInput{Organization: "ext:R-1", Plan: "gold"}); err != nil {
			t.Errorf("selling to his own organization: %v", err)
		}
	})
}
