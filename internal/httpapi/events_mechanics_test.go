package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
)

// Stamps, tiers, cards and the period bonus of DOMAIN §8, through events
// (POST /v1/events), the quote and the reviews.

// DOMAIN §8.9: ten stamps, one per pair bought, give a coupon for a free
// pair; the card restarts with what is left over.
func TestStampCard(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"stamps": obj{"lines": `line.category == "pairs"`, "per_unit": true, "needed": 10,
			"reward": obj{"type": "coupon", "reward_id": "free-pair", "name": "A free pair"}}})
		pair := func(qty int64) obj { l := line("BOOT-42", qty, 9000); l["category"] = "pairs"; return l }
		for i := 1; i <= 9; i++ {
			o := e.send(e.keyA, invoice(fmt.Sprintf("INV-%d", i), pair(1))).only(e)
			if o.Stamps == nil || o.Stamps.Added != 1 || o.Stamps.Total != int64(i) || o.Stamps.Needed != 10 || o.Stamps.Completed != 0 || len(o.Rewards) != 0 {
				t.Fatalf("pair %d: stamps %+v rewards %+v", i, o.Stamps, o.Rewards)
			}
		}
		// Laces are not pairs: no stamp.
		if o := e.send(e.keyA, invoice("INV-laces", line("LACES", 5, 300))).only(e); o.Stamps != nil || len(o.Rewards) != 0 {
			t.Fatalf("laces stamped: %+v", o)
		}
		o := e.send(e.keyA, invoice("INV-10", pair(1), line("LACES", 1, 300))).only(e)
		if o.Stamps == nil || *o.Stamps != (struct{ Added, Total, Completed, Needed int64 }{1, 0, 1, 10}) {
			t.Fatalf("10th pair: stamps %+v", o.Stamps)
		}
		if len(o.Rewards) != 1 || o.Rewards[0].Type != "coupon" || o.Rewards[0].RewardID != "free-pair" {
			t.Fatalf("10th pair: rewards %+v, want the free-pair coupon", o.Rewards)
		}
		// The card restarted: 12 more pairs fill it once more and leave 2.
		o = e.send(e.keyA, invoice("INV-11", pair(12))).only(e)
		if o.Stamps == nil || *o.Stamps != (struct{ Added, Total, Completed, Needed int64 }{12, 2, 1, 10}) || len(o.Rewards) != 1 {
			t.Fatalf("12 pairs on a fresh card: stamps %+v rewards %+v", o.Stamps, o.Rewards)
		}
	})
}

// DOMAIN §8.10: Silver earns 50% more than the base level on the same
// purchase; the upgrade happens on the event whose spend crosses the
// threshold.
func TestTierMultiplier(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{
			"rules": []obj{{"id": "base", "name": "1 point per 10.00", "effects": []obj{{"type": "earn", "per_amount": obj{"points": 1, "per": 1000}}}}},
			"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
				{"code": "base", "name": "Base", "threshold": 0},
				{"code": "silver", "name": "Silver", "threshold": 500000, "earn_multiplier_bp": 15000},
				{"code": "gold", "name": "Gold", "threshold": 5000000, "earn_multiplier_bp": 20000},
			}},
		})
		e.dealer(e.keyA, "R-2")
		buy := func(ext, org string) outcome {
			return e.send(e.keyA, event("invoice", ext, org, line("CEMENT", 100, 3000))).only(e) // 3,000.00
		}
		if o := buy("INV-1", "R-1"); o.points() != 300 || o.Tier != nil {
			t.Fatalf("first 3,000.00 at base: %d points, tier %+v; want 300, no move", o.points(), o.Tier)
		}
		o := buy("INV-2", "R-1")
		if o.Tier == nil || o.Tier.From != "base" || o.Tier.To != "silver" || !strings.Contains(o.Tier.Reason, "6,000.00") {
			t.Fatalf("6,000.00 spent: tier %+v, want base → silver naming the spend", o.Tier)
		}
		if o.points() != 300 {
			t.Fatalf("the crossing purchase earned %d, want 300 (the level before it)", o.points())
		}
		silver, base := buy("INV-3", "R-1"), buy("INV-4", "R-2")
		if silver.points() != 450 || base.points() != 300 || silver.Tier != nil {
			t.Fatalf("same purchase: silver %d, base %d; want 450 and 300", silver.points(), base.points())
		}
		if q := e.quote("R-1", line("CEMENT", 100, 3000)); q.Tier != "silver" || q.PointsToEarn != 450 {
			t.Fatalf("quote at silver: tier %q, %d points; want silver, 450", q.Tier, q.PointsToEarn)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 300+300+450 {
			t.Fatalf("balance %d, want 1050", got)
		}
	})
}

// DOMAIN §8.12: a purchase of at least 1,500.00 issues a card with a
// permanent 5%, not valid on items on sale.
func TestCardWithEntryThreshold(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"discounts": []obj{{"id": "card", "name": "Club card", "kind": "card", "percent_bp": 500,
			"entry_threshold": 150000, "scope": obj{"exclude_on_sale": true}}}})
		cart := []obj{line("SINK", 2, 10000), saleLine("TAP", 1, 20000)}
		q := e.quote("R-1", cart...)
		if q.Discount != 0 || q.Total != 40000 || !strings.Contains(q.refusal("card"), "1,500.00") {
			t.Fatalf("quote before the card: %+v, want no discount and a reason naming 1,500.00", q)
		}
		if o := e.send(e.keyA, invoice("INV-1", line("SINK", 1, 149999))).only(e); len(o.Notes) != 0 {
			t.Fatalf("1,499.99 issued something: %+v", o.Notes)
		}
		if q := e.quote("R-1", cart...); q.Discount != 0 {
			t.Fatalf("a card after 1,499.99: %+v", q)
		}
		o := e.send(e.keyA, invoice("INV-2", line("SINK", 15, 10000))).only(e)
		if len(o.Notes) != 1 || !strings.Contains(o.Notes[0], "issued") {
			t.Fatalf("1,500.00 did not issue the card: %+v", o)
		}
		q = e.quote("R-1", cart...)
		if q.Discount != 1000 || q.Total != 39000 || len(q.Lines) != 2 || q.Lines[0].Discount != 1000 || q.Lines[1].Discount != 0 {
			t.Fatalf("quote with the card: %+v, want 5%% of the 200.00 not on sale", q)
		}
		if q.refusal("card") != "" {
			t.Fatalf("the card is still refused: %+v", q.NotApplied)
		}
	})
}

// DOMAIN §8.6: last month's spend up to 1,000 → 3%, from 1,000 → 10%,
// from 1,500 → 15%, credited on the 1st and expiring at the month's end.
func TestPeriodBonus(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"period_bonus": obj{"steps": []obj{{"from": 0, "percent_bp": 300}, {"from": 100000, "percent_bp": 1000}, {"from": 150000, "percent_bp": 1500}}}})
		e.dealer(e.keyA, "R-2")
		e.dealer(e.keyA, "R-3")
		e.send(e.keyA, invoice("INV-1", line("ROOF", 1, 200000)))
		e.send(e.keyA, invoice("INV-2", line("ROOF", 3, 100000))) // 5,000.00 in March
		e.send(e.keyA, event("invoice", "INV-3", "R-2", line("ROOF", 1, 120000)))
		e.send(e.keyA, event("invoice", "INV-4", "R-3", line("ROOF", 1, 99999)))
		if e.balanceOf(e.keyA, "R-1") != 0 {
			t.Fatal("points before the month's end")
		}
		// R-2 buys again in April before the review job has run: its March
		// bonus is still due.
		april := time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
		e.clock.Set(april.Add(30 * time.Minute))
		early := event("invoice", "INV-5", "R-2", line("ROOF", 1, 100000))
		early["occurred_at"] = april.Add(10 * time.Minute).Format(time.RFC3339)
		e.send(e.keyA, early)
		e.clock.Set(april.Add(time.Hour))
		if _, err := e.app.Events.ReviewDue(context.Background(), e.tidA, april.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		for org, want := range map[string]int64{"R-1": 750, "R-2": 120, "R-3": 29} { // 15% of 5,000; 10% of 1,200; 3% of 999.99
			if got := e.balanceOf(e.keyA, org); got != want {
				t.Errorf("%s: bonus %d, want %d", org, got, want)
			}
		}
		w := e.wallet("/v1/organizations/ext:R-1/wallet?expiring_within_days=31")
		if b := w.Balances[0]; len(b.NextExpiries) != 1 || b.NextExpiries[0].Amount != 750 || !b.NextExpiries[0].At.Equal(april.AddDate(0, 1, 0)) {
			t.Fatalf("the bonus expires %+v, want 750 at 2026-05-01", b.NextExpiries)
		}
		// Running the review again, the same day or later in April, credits nothing more.
		for _, at := range []time.Time{april.Add(time.Hour), april.Add(36 * time.Hour)} {
			e.clock.Set(at)
			if _, err := e.app.Events.ReviewDue(context.Background(), e.tidA, at); err != nil {
				t.Fatal(err)
			}
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 750 {
			t.Fatalf("after a second review: %d, want 750", got)
		}
		e.ledgerOK(e.tidA)
	})
}

// TestTierRequalification: levels qualified by last month's spend are
// reviewed at each month's start, with one grace period before a level
// drops; running the review twice changes nothing more.
func TestTierRequalification(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"tiers": obj{"metric": "spend", "window": "previous_month", "review": "month", "grace_periods": 1, "levels": []obj{
			{"code": "base", "name": "Base", "threshold": 0},
			{"code": "silver", "name": "Silver", "threshold": 500000, "discount_bp": 300},
			{"code": "gold", "name": "Gold", "threshold": 2000000, "discount_bp": 500},
		}}})
		if o := e.send(e.keyA, invoice("INV-1", line("A", 1, 600000))).only(e); o.Tier != nil {
			t.Fatalf("March's spend moved the tier in March: %+v", o.Tier)
		}
		for _, c := range []struct {
			month    time.Month
			tier     string
			discount int64 // on a 100.00 cart
		}{
			{4, "silver", 300}, // March: 6,000.00
			{5, "silver", 300}, // April: nothing, grace period 1 of 1
			{6, "base", 0},     // May: nothing, down one level
			{7, "base", 0},
		} {
			at := time.Date(2026, c.month, 1, 2, 0, 0, 0, time.UTC)
			e.clock.Set(at)
			for range 2 {
				if _, err := e.app.Events.ReviewDue(context.Background(), e.tidA, at); err != nil {
					t.Fatal(err)
				}
			}
			if q := e.quote("R-1", line("A", 1, 10000)); q.Tier != c.tier || q.Discount != c.discount {
				t.Fatalf("%s: tier %q with %d off, want %q with %d", c.month, q.Tier, q.Discount, c.tier, c.discount)
			}
		}
	})
}
