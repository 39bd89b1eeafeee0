package demo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/program"
)

const rebateName = "Distributor Volume Rebate"

// clubDefinition is the dealer club's rules: a point per pound to the
// organization, double on roofing, personal points for sales reps (after
// their management's consent, capped per month), three tiers on yearly
// spend and an insulation stamp card whose full card gives a coupon for a
// free unit. Points are worth a penny.
func clubDefinition(pointTypeID string) map[string]any {
	return map[string]any{
		"currency": "GBP", "point_type_id": pointTypeID, "beneficiary": "organization",
		"audience": map[string]any{"organization_types": []string{"dealer", "installer"}},
		"rules": []map[string]any{
			{"id": "base", "name": "1 point per £1", "effects": []map[string]any{{"type": "earn", "per_amount": map[string]any{"points": 1, "per": 100}}}},
			{"id": "roofing", "name": "Double points on roofing", "condition": `event.lines.exists(l, l.category == "roofing")`,
				"effects": []map[string]any{{"type": "earn", "lines": `line.category == "roofing"`, "per_amount": map[string]any{"points": 1, "per": 100}}}},
			{"id": "sales-rep", "name": "Personal points for sales reps", "condition": `member.present && member.role == "sales"`,
				"effects": []map[string]any{{"type": "earn", "to": "member", "per_amount": map[string]any{"points": 1, "per": 1000}}}},
			{"id": "big-order", "name": "Thank-you note for orders over £5,000", "condition": "event.amount >= 500000",
				"effects": []map[string]any{{"type": "message", "template": "big_order_thanks"}}},
			{"id": "sales-claims", "name": "2 points per £1 on approved sales claims", "events": []string{"claim"},
				"effects": []map[string]any{{"type": "earn", "per_amount": map[string]any{"points": 2, "per": 100}}}},
			{"id": "pro-welcome", "name": "Welcome bonus for new Atlas Pro members", "events": []string{"membership"},
				"condition": `event.attributes["action"] == "purchase"`, "effects": []map[string]any{{"type": "earn", "fixed": 500}}},
			{"id": "birthday", "name": "Birthday greeting", "events": []string{"birthday"},
				"effects": []map[string]any{{"type": "message", "template": "birthday_greeting"}}},
		},
		"employees": map[string]any{"roles": []string{"sales", "foreman", "purchasing"}, "cap_points": 5000, "cap_period": "month"},
		"tiers": map[string]any{"metric": "spend", "window": "calendar_year", "review": "year", "grace_periods": 1, "levels": []map[string]any{
			{"code": "bronze", "name": "Bronze", "threshold": 0},
			{"code": "silver", "name": "Silver", "threshold": 2000000, "earn_multiplier_bp": 15000, "free_delivery": true},
			{"code": "gold", "name": "Gold", "threshold": 5000000, "earn_multiplier_bp": 20000, "discount_bp": 300, "free_delivery": true, "priority_support": true, "payment_terms_days": 60},
		}},
		"stamps":         map[string]any{"lines": `line.category == "insulation"`, "per_unit": true, "needed": 10, "reward": map[string]any{"type": "coupon", "reward_id": "free-insulation-pallet", "name": "Free insulation pallet"}},
		"points_payment": map[string]any{"max_share_bp": 3000},
		"return_policy":  "other_lots",
		"return_undo":    map[string]any{"stamps": true, "tier": true},
		"coupons": []map[string]any{{"id": "free-insulation-pallet", "name": "Free insulation pallet", "kind": "free_item",
			"scope": map[string]any{"categories": []string{"insulation"}}, "valid_days": 90, "on_return": "restore"}},
	}
}

// rebateDefinition is the distributors' cumulative discount: the rate
// grows with the last 12 months' spend; big orders get more.
func rebateDefinition() map[string]any {
	return map[string]any{
		"currency": "GBP", "stacking": "additive",
		"audience": map[string]any{"organization_types": []string{"distributor"}},
		"discounts": []map[string]any{
			{"id": "volume", "name": "Volume rebate", "kind": "cumulative", "basis": "rolling_12_months", "steps": []map[string]any{
				{"from": 2500000, "percent_bp": 200}, {"from": 10000000, "percent_bp": 300}, {"from": 25000000, "percent_bp": 500}}},
			{"id": "big-order", "name": "Big order", "kind": "order_threshold", "steps": []map[string]any{
				{"from": 1000000, "percent_bp": 100}, {"from": 5000000, "percent_bp": 200}}},
		},
	}
}

// seedPrograms gives the dealer club its rules and starts it, adds the
// distributor rebate program, and sends a few months of invoices.
func seedPrograms(ctx context.Context, a *app.App, p access.Principal, clubID, pointTypeID string) error {
	start := a.Clock.Now().AddDate(0, -6, 0)
	if err := addVersion(ctx, a, p, clubID, clubDefinition(pointTypeID), start); err != nil {
		return fmt.Errorf("dealer club rules: %w", err)
	}
	rebate, err := a.Programs.Create(ctx, p, program.Input{Name: rebateName, Description: "A discount that grows with each distributor's spend over the last 12 months."})
	if err != nil {
		return err
	}
	if err := addVersion(ctx, a, p, rebate.ID, rebateDefinition(), start); err != nil {
		return fmt.Errorf("rebate rules: %w", err)
	}
	for _, id := range []string{clubID, rebate.ID} {
		if _, err := a.Programs.SetStatus(ctx, p, id, program.StatusInput{Status: program.Active}); err != nil {
			return err
		}
	}
	_, err = a.Events.Ingest(ctx, p, demoInvoices(a.Clock.Now()), false)
	return err
}

func addVersion(ctx context.Context, a *app.App, p access.Principal, id string, def map[string]any, from time.Time) error {
	raw, err := json.Marshal(def)
	if err != nil {
		return err
	}
	_, err = a.Programs.AddVersion(ctx, p, id, program.VersionInput{Definition: raw, EffectiveFrom: &from})
	return err
}

// demoInvoices are invoices of the last months from the ERP.
func demoInvoices(now time.Time) []events.Input {
	type inv struct {
		org, member string
		daysAgo     int
		lines       []events.LineInput
	}
	l := func(sku, cat string, qty, price int64) events.LineInput {
		return events.LineInput{SKU: sku, Category: cat, Qty: qty, UnitPrice: price}
	}
	seeds := []inv{
		{"R-3001", "P-10", 120, []events.LineInput{l("BRK-RED-500", "bricks", 40, 38500), l("INS-ROLL-100", "insulation", 6, 4200)}},
		{"R-3001", "", 75, []events.LineInput{l("RF-TILE-CLAY", "roofing", 300, 1250), l("INS-ROLL-100", "insulation", 3, 4200)}},
		{"R-3002", "", 60, []events.LineInput{l("RF-SLATE-NAT", "roofing", 500, 2150)}},
		{"R-3003", "", 45, []events.LineInput{l("TMB-CLS-4.8", "timber", 220, 1890), l("FIX-SCR-BOX", "fixings", 40, 1450)}},
		{"I-4001", "", 30, []events.LineInput{l("RF-MEMBRANE", "roofing", 25, 8900)}},
		{"D-1001", "", 50, []events.LineInput{l("BRK-RED-500", "bricks", 600, 36000), l("CEM-25KG", "cement", 900, 690)}},
		{"D-1001", "", 20, []events.LineInput{l("PLB-12.5", "plasterboard", 1200, 845)}},
		{"D-2001", "", 10, []events.LineInput{l("CEM-25KG", "cement", 2000, 690)}},
	}
	out := make([]events.Input, len(seeds))
	for i, s := range seeds {
		out[i] = events.Input{Type: "invoice", Source: "erp", ExternalID: fmt.Sprintf("INV-%05d", 52000+i),
			OccurredAt: now.AddDate(0, 0, -s.daysAgo), Organization: "ext:" + s.org, Currency: "GBP", Lines: s.lines}
		if s.member != "" {
			out[i].Member = "ext:" + s.member
		}
	}
	return out
}
