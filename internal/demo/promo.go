package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/promo"
)

// seedPromo adds Atlas's promo codes: a shared spring code for the Dealer
// Club (30% off orders from £10,000, not combinable, once per
// organization) and a batch of unique trade-show codes (£50 off fixings).
func seedPromo(ctx context.Context, a *app.App, p access.Principal, clubID string) error {
	now := a.Clock.Now()
	// Running for two weeks already, for three more months.
	starts, ends := now.AddDate(0, 0, -14), now.AddDate(0, 3, 0)
	if _, err := a.Promo.Create(ctx, p, promo.Input{Name: "Spring trade offer", ProgramID: clubID, Kind: promo.Shared, Code: "SPRING30",
		StartsAt: &starts, EndsAt: &ends, MinOrder: 1_000_000, Exclusive: true, PerOrgLimit: 1, TotalLimit: 200, Budget: 15_000_000,
		Effect: promo.CodeEffect{Type: promo.EffectPercent, PercentBP: 3000}}); err != nil {
		return fmt.Errorf("promo SPRING30: %w", err)
	}
	show := now.Add(60 * 24 * time.Hour)
	c, err := a.Promo.Create(ctx, p, promo.Input{Name: "Trade show welcome", Kind: promo.Unique, EndsAt: &show, MinOrder: 20_000,
		PerOrgLimit: 1, Scope: pricing.Scope{Categories: []string{"fixings"}}, Effect: promo.CodeEffect{Type: promo.EffectFixed, Amount: 5_000}})
	if err != nil {
		return fmt.Errorf("promo trade show: %w", err)
	}
	if _, err := a.Promo.Generate(ctx, p, c.ID, "ATLAS-####-####", 250); err != nil {
		return fmt.Errorf("promo trade show codes: %w", err)
	}
	return nil
}
