package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// historyDef is a previous-month rebate (3% from 1,000.00, 5% from
// 4,000.00 of last month's spend) and tiers on the calendar year's spend
// (Silver from 10,000.00), counting history as given.
func historyDef(history string) obj {
	return obj{"history": history,
		"discounts": []obj{{"id": "rebate", "name": "Last month's rebate", "kind": "cumulative", "basis": "previous_month",
			"steps": []obj{{"from": 100000, "percent_bp": 300}, {"from": 400000, "percent_bp": 500}}}},
		"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
			{"code": "base", "name": "Base", "threshold": 0}, {"code": "silver", "name": "Silver", "threshold": 1000000}}}}
}

// TestHistoryBeforeTheProgram: invoices imported before a program starts
// count when it counts "all" history, not when it counts from its start.
//
// The dealer bought 8,000.00 in January and 3,000.00 + 2,000.00 in
// February, returning 500.00 of it: 4,500.00 last month, 12,500.00 this
// year. A program started on 2 March counting all history quotes 5% of
// 1,000.00 = 50.00 and shows Silver; counting from its start, 0.00 was
// spent last month (1,000.00 to go for 3%) and the dealer is Base. The
// simulation of March, counting all history, gives the same 50.00.
func TestHistoryBeforeTheProgram(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.dealer(e.keyA, "H-1")
		past := func(ext string, at time.Time, typ string, amount int64) {
			ev := event(typ, ext, "H-1", line("CEM", 1, amount))
			if typ == "return" {
				ev = returnOf(ext, "F-1", "H-1", line("CEM", 1, 0))
			}
			ev["occurred_at"] = at.Format(time.RFC3339)
			e.send(e.keyA, ev)
		}
		past("J-1", time.Date(2026, 1, 15, 10, 0, 0, 0, time.UTC), "invoice", 800000)
		past("F-1", time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC), "invoice", 50000)
		past("F-2", time.Date(2026, 2, 11, 10, 0, 0, 0, time.UTC), "invoice", 300000)
		past("F-3", time.Date(2026, 2, 20, 10, 0, 0, 0, time.UTC), "invoice", 200000)
		past("F-R", time.Date(2026, 2, 21, 10, 0, 0, 0, time.UTC), "return", 0) // F-1 back: 500.00
		all := newProgramIn(e, e.keyA, historyDef("all"), nil)
		fromStart := newProgramIn(e, e.keyA, historyDef("program"), nil)
		quote := func(f programFixture) quoteResult {
			var q quoteResult
			e.do("POST", "/v1/quote", e.keyA, obj{"program": f.program["id"], "organization": "ext:H-1", "currency": "EUR",
				"lines": []obj{line("CEM", 10, 10000)}}).must(200, &q)
			return q
		}
		if q := quote(all); q.Discount != 5000 || q.Tier != "silver" {
			t.Errorf("all history: discount %d, tier %q, %+v", q.Discount, q.Tier, q.Discounts)
		}
		if q := quote(fromStart); q.Discount != 0 || q.Tier != "" && q.Tier != "base" ||
			!strings.HasPrefix(q.refusal("rebate"), "spend 1,000.00 more over the previous month") {
			t.Errorf("from the program's start: discount %d, tier %q, refusal %q", q.Discount, q.Tier, q.refusal("rebate"))
		}
		var st struct {
			Tier      struct{ Level struct{ Code string } }
			Discounts []struct {
				PercentBP int64 `json:"percent_bp"`
			}
		}
		e.do("GET", "/v1/programs/"+str(all.program["id"])+"/participants/ext:H-1", e.keyA, nil).must(200, &st)
		if st.Tier.Level.Code != "silver" || len(st.Discounts) != 1 || st.Discounts[0].PercentBP != 500 {
			t.Errorf("standing with all history: %+v", st)
		}
		// An invoice in March, and the simulation of March.
		at := time.Date(2026, 3, 5, 10, 0, 0, 0, time.UTC)
		e.clock.Set(at)
		q := quote(all)
		ev := event("invoice", "M-1", "H-1", line("CEM", 10, 10000))
		ev["occurred_at"] = at.Format(time.RFC3339)
		e.send(e.keyA, ev)
		var rep struct {
			Variants []struct {
				Money struct {
					DiscountGiven int64 `json:"discount_given"`
				}
				Months []struct{ Tiers map[string]int }
			}
		}
		e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": all.program["id"]}}, "from": "2026-03-01T00:00:00Z",
			"to": "2026-04-01T00:00:00Z"}).must(200, &rep)
		if v := rep.Variants[0]; v.Money.DiscountGiven != q.Discount || v.Months[0].Tiers["silver"] != 1 {
			t.Errorf("simulated %+v; live quote %d", v, q.Discount)
		}
	})
}
