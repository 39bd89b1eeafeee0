package httpapi_test

import (
	"context"
	"testing"
	"time"
)

// couponSimProgram is a 5% cashback; an invoice or order of 1,000.00 or
// more gives "10% off the next order" (valid 30 days, given back when the
// order that used it is returned in full); northern dealers get 3% and
// everyone 2% on Mondays, additive.
var couponSimProgram = obj{
	"rules": []obj{{"id": "cb", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 500}}},
		{"id": "big", "events": []string{"invoice", "order"}, "condition": "event.amount >= 100000", "effects": []obj{{"type": "coupon", "reward_id": "next10"}}}},
	"coupons": []obj{{"id": "next10", "name": "10% off the next order", "kind": "percent", "percent_bp": 1000, "valid_days": 30, "on_return": "restore"}},
	"discounts": []obj{
		{"id": "north", "kind": "percent", "percent_bp": 300, "condition": `org.region == "north"`},
		{"id": "monday", "kind": "percent", "percent_bp": 200, "condition": `now.getDayOfWeek() == 1`},
	},
	"stacking": "additive",
}

// TestSimulationEqualsLiveWithCouponsAndConditions: the simulator issues,
// uses, restores and expires coupons, and applies conditional discounts,
// exactly as live did.
//
// Worked example (goods at 100.00): S-1 (north) and S-2 (south).
//
//	Mon 2 Mar   S-1 invoice 1,200.00   north 3% + Monday 2% = 60.00; coupon C1
//	Tue 3 Mar   S-2 invoice 1,500.00   nothing; coupon C2
//	Mon 9 Mar   S-1 order 500.00 + C1  3% + 2% + 10% = 75.00 (C1 alone 50.00)
//	Tue 10 Mar  S-2 order 2,000.00 + C2  10% = 200.00; coupon C3
//	Thu 12 Mar  S-1 returns the order of 9 Mar in full: C1 given back
//	Mon 16 Mar  S-1 order 300.00 + C1  3% + 2% + 10% = 45.00 (C1 alone 30.00)
//	Mon 6 Apr   S-1 invoice 1,000.00   50.00; coupon C4
//
// Quotes give 430.00 in all. By 1 May: 4 coupons issued, 2 used (C1 30.00,
// C2 200.00: 230.00), 1 given back, C3 expired on 9 April, C4 available.
func TestSimulationEqualsLiveWithCouponsAndConditions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, couponSimProgram, nil)
		e.do("POST", "/v1/organizations", e.keyA, obj{"type": "dealer", "name": "North", "external_id": "S-1", "region": "north"}).must(201, nil)
		e.do("POST", "/v1/organizations", e.keyA, obj{"type": "dealer", "name": "South", "external_id": "S-2", "region": "south"}).must(201, nil)
		day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		var quoted int64
		coupon := map[string]string{}
		// buy quotes the purchase at its time, sends it and remembers the
		// coupon it grants under name.
		buy := func(typ, ext, org string, at time.Time, qty int64, use, name string) {
			e.clock.Set(at)
			body := obj{"organization": "ext:" + org, "currency": "EUR", "lines": []obj{line("G", qty, 10000)}}
			ev := event(typ, ext, org, line("G", qty, 10000))
			ev["occurred_at"] = at.Format(time.RFC3339)
			if use != "" {
				body["coupons"], ev["coupons"] = []string{coupon[use]}, []string{coupon[use]}
			}
			var q quoteResult
			e.do("POST", "/v1/quote", e.keyA, body).must(200, &q)
			quoted += q.Discount
			o := e.send(e.keyA, ev).only(e)
			if name != "" {
				if len(o.Rewards) != 1 || o.Rewards[0].CouponID == "" {
					t.Fatalf("%s: rewards %+v", ext, o.Rewards)
				}
				coupon[name] = o.Rewards[0].CouponID
			}
		}
		ctx := context.Background()
		jobs := func(at time.Time) {
			e.clock.Set(at)
			if _, err := e.app.Coupons.ExpireDue(ctx, e.tidA, at); err != nil {
				t.Fatal(err)
			}
		}
		buy("invoice", "I-1", "S-1", day(3, 2), 12, "", "C1")
		buy("invoice", "I-2", "S-2", day(3, 3), 15, "", "C2")
		buy("order", "O-1", "S-1", day(3, 9), 5, "C1", "")
		buy("order", "O-2", "S-2", day(3, 10), 20, "C2", "C3")
		e.clock.Set(day(3, 12))
		r := returnOf("R-1", "O-1", "S-1", line("G", 5, 0))
		r["occurred_at"] = day(3, 12).Format(time.RFC3339)
		e.send(e.keyA, r)
		buy("order", "O-3", "S-1", day(3, 16), 3, "C1", "")
		jobs(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
		buy("invoice", "I-3", "S-1", day(4, 6), 10, "", "C4")
		end := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		jobs(end)
		if quoted != 43000 {
			t.Errorf("live quotes gave %d, want 43000", quoted)
		}
		var live struct{ issued, used, expired, available, restored, discount int64 }
		for _, org := range []string{"S-1", "S-2"} {
			for _, c := range e.coupons(org, "") {
				live.issued++
				live.restored += c.Restored
				switch c.Status {
				case "used":
					live.used++
					live.discount += c.Discount
				case "expired":
					live.expired++
				case "available":
					live.available++
				}
			}
		}
		if live != (struct{ issued, used, expired, available, restored, discount int64 }{4, 2, 1, 1, 1, 23000}) {
			t.Errorf("live coupons %+v", live)
		}
		var rep struct {
			Events   int
			Variants []struct {
				Points struct{ Issued int64 }
				Money  struct {
					DiscountGiven int64 `json:"discount_given"`
				}
				Coupons  struct{ Issued, Used, Restored, Expired, Available, Discount int64 }
				Refused  map[string]int
				Balances map[string]int64
			}
		}
		e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": f.program["id"]}}, "from": "2026-03-01T00:00:00Z",
			"to": end.Format(time.RFC3339), "balances": true}).must(200, &rep)
		v := rep.Variants[0]
		if rep.Events != 7 || len(v.Refused) != 0 {
			t.Fatalf("report: %+v", rep)
		}
		if v.Money.DiscountGiven != quoted {
			t.Errorf("simulated discounts %d, live quotes %d", v.Money.DiscountGiven, quoted)
		}
		c := v.Coupons
		if c.Issued != live.issued || c.Used != live.used || c.Restored != live.restored || c.Expired != live.expired ||
			c.Available != live.available || c.Discount != live.discount {
			t.Errorf("simulated coupons %+v, live %+v", c, live)
		}
		for _, org := range []string{"S-1", "S-2"} {
			var o obj
			e.do("GET", "/v1/organizations/ext:"+org, e.keyA, nil).must(200, &o)
			if got, want := v.Balances[str(o["id"])], e.balanceOf(e.keyA, org); got != want || want == 0 {
				t.Errorf("%s: simulated balance %d, live %d", org, got, want)
			}
		}
	})
}
