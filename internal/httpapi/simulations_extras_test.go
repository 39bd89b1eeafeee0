package httpapi_test

import (
	"testing"
	"time"
)

// TestSimulationEqualsLiveWithMembershipsCodesAndGoals: the simulator
// replays what the ingestion hooks did — a paid membership's discount and
// multiplier while its period runs, promo codes' discounts and bonus
// points, a goal's reward — as live did.
//
// 5% cashback (1 point = 1.00). S-1 buys the "pro" plan on 5 March (10%
// off, ×1.5 points, a year). S-1: invoice of 2,000.00 on 3 March (100
// points); order of 1,000.00 with code TEN (10% off) on 10 March (50 ×
// 1.5 = 75); invoice of 2,500.00 on 2 April (187), which takes its goal of
// 5,000.00 bought from 1 March to 1 June past its target: 300 points; a
// return of 500.00 of it on 20 April (claws 37) leaves the goal achieved.
// S-2: order of 800.00 with BONUS500 on 12 March: 40 points and 500 bonus.
func TestSimulationEqualsLiveWithMembershipsCodesAndGoals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "cb", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 500}}}}}, nil)
		pid, ptID := str(f.program["id"]), str(f.pt["id"])
		s1, s2 := e.dealer(e.keyA, "S-1"), e.dealer(e.keyA, "S-2")
		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "pro", "name": "Pro", "fee": 22000, "currency": "EUR", "period_months": 12,
			"discount_bp": 1000, "earn_multiplier_bp": 15000}).must(201, nil)
		e.newCampaign(obj{"name": "Ten", "program_id": pid, "kind": "shared", "code": "TEN", "effect": obj{"type": "percent", "percent_bp": 1000}})
		e.newCampaign(obj{"name": "Bonus", "program_id": pid, "kind": "shared", "code": "BONUS500", "per_org_limit": 1, "effect": obj{"type": "bonus_points", "points": 500}})
		e.do("POST", "/v1/goals", e.keyA, obj{"name": "Spring", "organization": s1["id"], "metric": "amount", "target": 500000, "reward_points": 300,
			"point_type_id": ptID, "starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-06-01T00:00:00Z"}).must(201, nil)
		day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		var quoted int64
		buy := func(typ, ext, org string, at time.Time, codes []string, lines ...obj) {
			e.clock.Set(at)
			var q quoteResult
			e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:" + org, "currency": "EUR", "lines": lines, "codes": codes}).must(200, &q)
			quoted += q.Discount
			ev := order(ext, org, codes, lines...)
			ev["type"], ev["occurred_at"] = typ, at.Format(time.RFC3339)
			e.send(e.keyA, ev)
		}
		buy("invoice", "I-1", "S-1", day(3, 3), nil, line("G", 20, 10000))
		e.clock.Set(day(3, 5))
		e.do("POST", "/v1/organizations/ext:S-1/memberships", e.keyA, obj{"plan": "pro"}).must(201, nil)
		buy("order", "O-1", "S-1", day(3, 10), []string{"TEN"}, line("G", 10, 10000))
		buy("order", "O-2", "S-2", day(3, 12), []string{"BONUS500"}, line("G", 8, 10000))
		buy("invoice", "I-2", "S-1", day(4, 2), nil, line("G", 25, 10000))
		e.clock.Set(day(4, 20))
		r := returnOf("R-1", "I-2", "S-1", line("G", 5, 0))
		r["occurred_at"] = day(4, 20).Format(time.RFC3339)
		e.send(e.keyA, r)
		end := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		e.clock.Set(end)
		e.ledgerOK(e.tidA)
		b1, b2 := e.balanceOf(e.keyA, "S-1"), e.balanceOf(e.keyA, "S-2")
		if b1 != 100+75+187-37+300 || b2 != 540 {
			t.Fatalf("live balances S-1 %d (want 625), S-2 %d (want 540)", b1, b2)
		}
		_, _, issuance := liveTotals(e, ptID)
		var rep struct {
			Variants []struct {
				Points struct {
					Issued     int64
					ClawedBack int64 `json:"clawed_back"`
				}
				Money struct {
					DiscountGiven int64 `json:"discount_given"`
				}
				PromoCodes struct {
					Used, Discount, Ignored int64
					Bonus                   int64 `json:"bonus_points"`
				} `json:"promo_codes"`
				Memberships struct{ Periods int64 }
				Goals       struct{ Achieved, Points int64 }
				Refused     map[string]int
				Balances    map[string]int64
			}
		}
		e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": pid}}, "from": "2026-03-01T00:00:00Z",
			"to": end.Format(time.RFC3339), "balances": true}).must(200, &rep)
		v := rep.Variants[0]
		if v.Balances[str(s1["id"])] != b1 || v.Balances[str(s2["id"])] != b2 || len(v.Refused) != 0 {
			t.Errorf("simulated balances %v refused %v; live S-1 %d S-2 %d", v.Balances, v.Refused, b1, b2)
		}
		if v.Points.ClawedBack-v.Points.Issued != issuance || v.Money.DiscountGiven != quoted {
			t.Errorf("simulated %+v %+v; live issuance %d, quotes %d", v.Points, v.Money, issuance, quoted)
		}
		if v.PromoCodes.Used != 2 || v.PromoCodes.Bonus != 500 || v.PromoCodes.Discount != 10000 || v.Memberships.Periods != 1 ||
			v.Goals.Achieved != 1 || v.Goals.Points != 300 {
			t.Errorf("codes %+v memberships %+v goals %+v", v.PromoCodes, v.Memberships, v.Goals)
		}
	})
}
