package demo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/partner"
)

// seedPartners adds a coalition partner, a tool-hire chain that issues the
// dealer club's points on hires and accepts them in payment: Hannah Moss
// (a sales rep at Brick & Beam) opted in, hired tools three times through
// the partner's own API key and paid for a hire with points.
func seedPartners(ctx context.Context, a *app.App, p access.Principal, res *Result) error {
	pt, err := a.Partners.Create(ctx, p, partner.Input{Name: "HireHub Tool Rental", ProgramID: res.ProgramID, PointTypeID: res.PointTypeID,
		IssuePrice: 120, RedeemPrice: 95}) // £1.20 per 100 points issued, £0.95 per 100 redeemed
	if err != nil {
		return fmt.Errorf("partner: %w", err)
	}
	if _, err := a.Partners.OptIn(ctx, p, pt.ID, "ext:P-10"); err != nil {
		return fmt.Errorf("partner opt-in: %w", err)
	}
	_, secret, err := a.Partners.CreateKey(ctx, p, pt.ID, "HireHub tills")
	if err != nil {
		return fmt.Errorf("partner key: %w", err)
	}
	hub, err := a.Tenants.Authenticate(ctx, secret)
	if err != nil {
		return err
	}
	now := a.Clock.Now()
	hire := func(ext string, daysAgo int, lines ...events.LineInput) events.Input {
		return events.Input{Type: "invoice", Source: partner.SourcePrefix + pt.ID, ExternalID: ext, OccurredAt: now.AddDate(0, 0, -daysAgo),
			Organization: "ext:R-3001", Member: "ext:P-10", Currency: "GBP", Lines: lines}
	}
	line := func(sku string, days, price int64) events.LineInput {
		return events.LineInput{SKU: sku, Category: "tool-hire", Qty: days, UnitPrice: price}
	}
	hires := []events.Input{
		hire("HH-70211", 40, line("HIRE-MIXER-110L", 5, 2400), line("HIRE-SAW-CIRC", 5, 1800)),
		hire("HH-70388", 25, line("HIRE-SCAFF-TOWER", 14, 3500)),
		hire("HH-70502", 6, line("HIRE-BREAKER-HD", 3, 4200)),
	}
	if _, err := a.Events.Ingest(ctx, hub, hires, false); err != nil {
		return fmt.Errorf("partner events: %w", err)
	}
	_, _, err = a.Partners.Redeem(ctx, hub, pt.ID, partner.RedeemInput{Member: "ext:P-10", Points: 150, Reference: "HH-POS-9921"})
	return err
}
