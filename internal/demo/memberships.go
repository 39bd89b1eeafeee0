package demo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/membership"
)

// seedMemberships puts the "Atlas Pro" paid membership on sale and sells
// it to one dealer two months ago.
func seedMemberships(ctx context.Context, a *app.App, p access.Principal) error {
	_, err := a.Memberships.CreatePlan(ctx, p, membership.PlanInput{Code: "pro", Name: "Atlas Pro",
		Description: "A year of 3% off every order, half as many points again, free delivery and a priority line.",
		Fee:         60000, Currency: "GBP", PeriodMonths: 12, DiscountBP: 300, EarnMultiplierBP: 15000,
		Perks: []string{membership.PerkFreeDelivery, membership.PerkPrioritySupport}})
	if err != nil {
		return fmt.Errorf("membership plan: %w", err)
	}
	_, err = a.Events.IngestOne(ctx, p, events.Input{Type: engine.Membership, Source: "shop", ExternalID: "PRO-2026-0007",
		OccurredAt: a.Clock.Now().AddDate(0, -2, 0), Organization: "ext:R-3001",
		Attributes: map[string]string{"action": membership.ActionPurchase, "plan": "pro"}}, false)
	return err
}
