package httpapi_test

import (
	"context"
	"testing"
	"time"
)

// TestExpiryAfterInactivity: points of a point type with expiry
// inactivity_months:2 expire two months after the wallet's last earn or
// spend; messaging reads the wallets whose points expire soon; the
// simulator predicts the same balances and breakage.
//
// Worked example (10% cashback, 1 point = 1.00, goods at 100.00):
//
//	A buys 10 units on the 5th of March, April, May, June and July (100
//	points each) and on 10 June spends 150 points on an order of 5 units
//	(earning 50): its points never rest two months and never expire.
//	B buys 20 units on 5 March (200 points, expiring 5 May), then 5 units
//	on 20 April (50 points): both lots now expire on 20 June. A back-dated
//	invoice of 1 April, sent on 1 May, earns 10 more and moves nothing
//	back. On 1 June B's 260 points are listed as expiring on 20 June;
//	the job of 1 July expires them.
func TestExpiryAfterInactivity(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "cb", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}},
			"points_payment": obj{"max_share_bp": 5000}}, obj{"expiry": "inactivity_months:2"})
		e.dealer(e.keyA, "A")
		e.dealer(e.keyA, "B")
		ctx := context.Background()
		day := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
		jobs := func(at time.Time) {
			e.clock.Set(at)
			if _, err := e.app.Ledger.ExpireDue(ctx, e.tidA, at, 0); err != nil {
				t.Fatal(err)
			}
		}
		buy := func(ext, org string, at, sent time.Time, qty, spend int64) {
			e.clock.Set(sent)
			ev := event("invoice", ext, org, line("G", qty, 10000))
			if spend > 0 {
				ev["type"], ev["points_spent"] = "order", spend
			}
			ev["occurred_at"] = at.Format(time.RFC3339)
			e.send(e.keyA, ev)
		}
		for m := time.March; m <= time.July; m++ {
			jobs(time.Date(2026, m, 1, 0, 0, 0, 0, time.UTC))
			buy("A-"+m.String(), "A", day(m, 5), day(m, 5), 10, 0)
			switch m {
			case time.March:
				buy("B-1", "B", day(m, 5), day(m, 5), 20, 0)
			case time.April:
				buy("B-2", "B", day(m, 20), day(m, 20), 5, 0)
			case time.May:
				buy("B-late", "B", day(time.April, 1), day(m, 1), 1, 0)
			case time.June:
				buy("A-pay", "A", day(m, 10), day(m, 10), 5, 150)
			}
			if m == time.June {
				var l struct {
					Items []struct {
						Owner      struct{ ID string }
						NextExpiry time.Time `json:"next_expiry"`
						NextPoints int64     `json:"next_points"`
						PointsSoon int64     `json:"points_within"`
					}
				}
				e.do("GET", "/v1/ledger/expiring?within_days=30", e.keyA, nil).must(200, &l)
				if len(l.Items) != 1 || !l.Items[0].NextExpiry.Equal(day(time.June, 20)) || l.Items[0].NextPoints != 260 || l.Items[0].PointsSoon != 260 {
					t.Fatalf("expiring on 1 June: %+v", l.Items)
				}
				e.do("GET", "/v1/ledger/expiring?within_days=0", e.keyA, nil).fails(422, "validation_failed", "within_days")
			}
		}
		end := time.Date(2026, 8, 1, 0, 0, 0, 0, time.UTC)
		jobs(end)
		e.ledgerOK(e.tidA)
		if a, b := e.balanceOf(e.keyA, "A"), e.balanceOf(e.keyA, "B"); a != 500-150+50 || b != 0 {
			t.Fatalf("balances: A %d (want 400), B %d (want 0)", a, b)
		}
		_, expired, _ := liveTotals(e, str(f.pt["id"]))
		if expired != 260 {
			t.Errorf("expired %d, want B's 260", expired)
		}
		var rep simReport
		e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": f.program["id"]}}, "from": "2026-03-01T00:00:00Z",
			"to": end.Format(time.RFC3339), "balances": true}).must(200, &rep)
		v := rep.Variants[0]
		if v.Points.Expired != expired || v.Points.Outstanding != 400 || len(v.Refused) != 0 {
			t.Errorf("simulated %+v refused %v; live expired %d, outstanding 400", v.Points, v.Refused, expired)
		}
	})
}
