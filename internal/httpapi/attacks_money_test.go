package httpapi_test

import (
	"context"
	"fmt"
	"math"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestAttackTotalsOverflow: ten invoices of 10^18 minor units made every
// sales and economics report answer 500 from then on, and a line cost of
// 2^63−1 showed as a negative cost. Now the attack is refused at the edge,
// the largest accepted events give exact figures, and sums of stored
// amounts beyond int64 (legacy rows) are a 422, never a 500.
func TestAttackTotalsOverflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		e := newEnv(t, db)
		newProgram(e, obj{"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		before := e.snapshot()

		// The attack: 10^18 in one invoice, as one line or as many.
		many := make([]obj, 1000)
		for i := range many {
			many[i] = line(fmt.Sprintf("S%d", i), 1_000_000, 1_000_000_000) // 10^15 a line
		}
		for i := range 10 {
			e.do("POST", "/v1/events", e.keyA, invoice(fmt.Sprintf("HUGE-%d", i), many...)).fails(422, "validation_failed", "lines")
			e.do("POST", "/v1/events", e.keyA, invoice(fmt.Sprintf("HUGE-1-%d", i), line("A", 1_000_000_000, 1_000_000_000))).
				fails(422, "validation_failed", "lines[0].qty")
		}
		costly := line("A", 1, 100)
		costly["cost"] = int64(math.MaxInt64)
		e.do("POST", "/v1/events", e.keyA, invoice("COSTLY", costly)).fails(422, "validation_failed", "lines[0].cost")
		if after := e.snapshot(); after != before {
			t.Fatalf("refused events wrote something: %v → %v", before, after)
		}

		// The largest accepted events: ten of money.MaxAmount with as much cost.
		for i := range 10 {
			l := line("A", 1_000_000, 1_000_000_000)
			l["cost"] = 1_000_000_000
			e.do("POST", "/v1/events", e.keyA, invoice(fmt.Sprintf("MAX-%d", i), l)).must(200, nil)
		}
		var sales struct {
			Revenue, Purchases, Orders int64
			AverageOrderValue          int64 `json:"average_order_value"`
		}
		e.do("GET", "/v1/analytics/sales?from=2026-01-01&to=2026-12-31", e.keyA, nil).must(200, &sales)
		if sales.Revenue != 10*money.MaxAmount || sales.Purchases != 10*money.MaxAmount || sales.Orders != 10 || sales.AverageOrderValue != money.MaxAmount {
			t.Errorf("sales of the largest events: %+v", sales)
		}
		var eco struct {
			Revenue, Cost, Margin int64
			PointTypes            []struct {
				Issued, Outstanding int64
				IssuedValue         int64 `json:"issued_value"`
			} `json:"point_types"`
		}
		e.do("GET", "/v1/analytics/economics?from=2026-01-01&to=2026-12-31", e.keyA, nil).must(200, &eco)
		if eco.Revenue != 10*money.MaxAmount || eco.Cost != 10*money.MaxAmount || eco.Margin != 0 || len(eco.PointTypes) != 1 ||
			eco.PointTypes[0].Issued != 10*money.MaxAmount/1000 || eco.PointTypes[0].Outstanding != 10*money.MaxAmount/1000 ||
			eco.PointTypes[0].IssuedValue != 10*money.MaxAmount/10 { // 10% back, at 100 minor units a point
			t.Errorf("economics of the largest events: %+v", eco)
		}

		// Rows stored before the bounds: sums beyond int64 are the caller's
		// 422, on every report that adds them.
		for i := range 10 {
			if err := db.Exec(context.Background(), `INSERT INTO sales_facts (tenant_id, event_id, organization_id, occurred_ms, type, amount, qty, cost)
				VALUES ($1, $2, $3, $4, 'purchase', $5, 1, 0)`, e.tidA, fmt.Sprintf("legacy-%d", i), "legacy-org", epoch.UnixMilli(), int64(1e18)); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := db.RebuildPacks(context.Background(), e.tidA); err != nil { // an upgrade packs them
			t.Fatal(err)
		}
		for _, report := range []string{"sales", "economics", "organizations", "cohorts"} {
			e.do("GET", "/v1/analytics/"+report+"?from=2026-01-01&to=2026-12-31", e.keyA, nil).fails(422, "figures_out_of_range", "")
		}
	})
}

// TestAttackCountersNearTheLimit: counters that grow with every event (a
// campaign's budget used, a goal's progress, a partner's points) never
// overflow into a 500, however close to the int64 limit they are.
func TestAttackCountersNearTheLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		f := newProgram(e, obj{"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		c := e.newCampaign(obj{"name": "Unlimited", "program_id": f.program["id"], "kind": "shared", "code": "NOLIMIT",
			"effect": obj{"type": "percent", "percent_bp": 1000}})
		g := e.createGoal(marchGoal(f.org["id"], "amount", money.MaxAmount, obj{"reward_text": "A trip"}))
		if err := db.Exec(ctx, `UPDATE promo_campaigns SET budget_used = $1 WHERE id = $2`, int64(math.MaxInt64-5), c.ID); err != nil {
			t.Fatal(err)
		}
		if err := db.Exec(ctx, `UPDATE goals SET progress = $1 WHERE id = $2`, int64(math.MaxInt64-5), g.ID); err != nil {
			t.Fatal(err)
		}
		big := line("A", 1000, 1_000_000)
		e.do("POST", "/v1/events", e.keyA, order("NEAR-1", "R-1", []string{"NOLIMIT"}, big)).fails(409, "promo_code_unavailable", "codes")
		e.do("POST", "/v1/events", e.keyA, invoice("NEAR-2", big)).must(200, nil)
		if got := e.goal(g.ID); got.Progress != 1_000_000_000_000_000_000 {
			t.Errorf("goal progress near the limit: %d", got.Progress)
		}

		var p obj
		e.do("POST", "/v1/partners", e.keyA, obj{"name": "Rental", "program_id": f.program["id"], "point_type_id": f.pt["id"],
			"issue_price": 1_000_000_000, "redeem_price": 1}).must(201, &p)
		for i, pts := range []int64{math.MaxInt64 / 2, math.MaxInt64 / 2, 10} {
			if err := db.Exec(ctx, `INSERT INTO partner_issues (tenant_id, partner_id, event_id, member_id, points, occurred_ms) VALUES ($1, $2, $3, 'm', $4, $5)`,
				e.tidA, str(p["id"]), fmt.Sprintf("ev-%d", i), pts, epoch.UnixMilli()); err != nil {
				t.Fatal(err)
			}
		}
		e.do("GET", "/v1/partners/"+str(p["id"])+"/settlement?from=2026-03-01&to=2026-03-31", e.keyA, nil).fails(422, "figures_out_of_range", "")
	})
}
