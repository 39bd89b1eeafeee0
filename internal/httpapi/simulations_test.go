package httpapi_test

import (
	"context"
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/store"
)

// simReport is the part of a simulation report the tests read.
type simReport struct {
	Events   int
	Variants []simVariant
}

type simVariant struct {
	Name   string
	Points struct {
		Issued      int64
		Redeemed    int64
		Expired     int64
		ClawedBack  int64 `json:"clawed_back"`
		Outstanding int64
		Revenue     int64
	}
	Money struct {
		DiscountGiven int64 `json:"discount_given"`
		Cost          int64
	}
	Months []struct {
		Month string
		Tiers map[string]int
	}
	Refused  map[string]int
	Balances map[string]int64
}

// simProgram is a 5% cashback on invoices and orders, a Gold tier earning
// ×1.5 requalified monthly on last month's spend, points that pay up to
// half an order and expire at the end of each quarter.
var simProgram = obj{
	"rules": []obj{{"id": "cb", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 500}}},
		{"id": "seller", "effects": []obj{{"type": "earn", "to": "member", "fixed": 5}}}},
	"tiers": obj{"metric": "spend", "window": "previous_month", "review": "month", "levels": []obj{
		{"code": "base", "name": "Base", "threshold": 0}, {"code": "gold", "name": "Gold", "threshold": 300000, "earn_multiplier_bp": 15000}}},
	"points_payment": obj{"max_share_bp": 5000},
}

// liveStep is an event of the history at its time.
type liveStep struct {
	at time.Time
	ev obj
}

// simHistory is four months of three dealers: two invoices each a month,
// orders paid partly with points, returns of invoices whose points were
// already spent (the return policy decides what is taken back), a late
// invoice.
func simHistory(member string) []liveStep {
	var out []liveStep
	at := func(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }
	ev := func(typ, ext, org string, t time.Time, lines ...obj) obj {
		x := event(typ, ext, org, lines...)
		x["occurred_at"] = t.Format(time.RFC3339)
		return x
	}
	for m := time.March; m <= time.June; m++ {
		for i, d := range []string{"S-1", "S-2", "S-3"} {
			price := int64(40000*(i+1)) + 10000*int64(m)
			out = append(out, liveStep{at(m, 3, 9+i), ev("invoice", fmt.Sprintf("A-%d-%d", m, i), d, at(m, 3, 9+i), line("A", 2, price), line("B", 1, 15000))})
			out = append(out, liveStep{at(m, 10, 9+i), ev("invoice", fmt.Sprintf("B-%d-%d", m, i), d, at(m, 10, 9+i), line("C", 3, price/2))})
		}
		o2 := ev("order", fmt.Sprintf("P-%d", m), "S-2", at(m, 11, 9), line("E", 1, 60000))
		o2["points_spent"] = 180
		out = append(out, liveStep{at(m, 11, 9), o2})
		r := ev("return", fmt.Sprintf("R-%d", m), "S-2", at(m, 12, 9), line("A", 2, 0))
		r["original"] = fmt.Sprintf("A-%d-1", m)
		out = append(out, liveStep{at(m, 12, 9), r})
		o := ev("order", fmt.Sprintf("O-%d", m), "S-1", at(m, 17, 9), line("A", 1, 50000))
		o["points_spent"] = 100
		out = append(out, liveStep{at(m, 17, 9), o})
		full := ev("return", fmt.Sprintf("F-%d", m), "S-1", at(m, 20, 9), line("C", 3, 0))
		full["original"] = fmt.Sprintf("B-%d-0", m)
		out = append(out, liveStep{at(m, 20, 9), full})
		late := ev("invoice", fmt.Sprintf("L-%d", m), "S-3", at(m, 24, 9), line("D", 5, 12000))
		late["member"] = member // the seller earns personal points
		out = append(out, liveStep{at(m, 24, 9), late})
	}
	return out
}

// liveTotals reads the tenant's ledger: what was redeemed, expired and
// what issuance holds (issued less clawed back, negated).
func liveTotals(e *env, ptID string) (redeemed, expired, issuance int64) {
	e.t.Helper()
	err := store.Bind[ledger.Tx](e.app.DB).Read(context.Background(), func(tx ledger.Tx) error {
		var err error
		ctx := context.Background()
		if redeemed, err = tx.SystemBalance(ctx, e.tidA, ledger.SystemAccountID(ptID, ledger.SysRedemption)); err != nil {
			return err
		}
		if expired, err = tx.SystemBalance(ctx, e.tidA, ledger.SystemAccountID(ptID, ledger.SysBreakage)); err != nil {
			return err
		}
		issuance, err = tx.SystemBalance(ctx, e.tidA, ledger.SystemAccountID(ptID, ledger.SysIssuance))
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return
}

// TestSimulationEqualsLive is the simulator's promise: replaying the same
// program over the same events predicts exactly what live did — every
// organization's balance, the points issued, redeemed, expired and
// clawed back — with the jobs run at every month's start.
func TestSimulationEqualsLive(t *testing.T) {
	allowNegative := maps.Clone(simProgram)
	allowNegative["return_policy"] = "allow_negative"
	cases := []struct {
		name    string
		def, pt obj
	}{
		{"other lots, quarterly expiry", simProgram, obj{"expiry": "end_of_quarter"}},
		{"allow negative, monthly expiry", allowNegative, obj{"expiry": "end_of_month", "negative_limit": 1000}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { simulationEqualsLive(t, c.def, c.pt) })
	}
}

func simulationEqualsLive(t *testing.T, def, ptExtra obj) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, def, ptExtra)
		ptID := str(f.pt["id"])
		orgs := map[string]string{}
		for _, d := range []string{"S-1", "S-2", "S-3"} {
			orgs[d] = str(e.dealer(e.keyA, d)["id"])
		}
		ctx := context.Background()
		jobs := func(at time.Time) {
			e.clock.Set(at)
			if _, err := e.app.Ledger.ExpireDue(ctx, e.tidA, at, 0); err != nil {
				t.Fatal(err)
			}
			if _, err := e.app.Events.ReviewDue(ctx, e.tidA, at); err != nil {
				t.Fatal(err)
			}
		}
		var issued int64
		month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
		// S-3's management accepted the employee terms: its seller earns.
		seller := e.createMember(obj{"organization_id": orgs["S-3"], "name": "Sam Seller", "roles": []string{"sales"}})
		owner := e.createMember(obj{"organization_id": orgs["S-3"], "name": "Olga Owner", "roles": []string{"owner"}})
		pid := str(f.program["id"])
		e.do("POST", "/v1/programs/"+pid+"/terms", e.keyA, obj{"title": "Seller bonus", "body": "5 points per invoice"}).must(201, nil)
		e.do("POST", "/v1/organizations/"+orgs["S-3"]+"/consents", e.keyA, obj{"program_id": pid, "decision": "accepted", "method": "portal",
			"member_id": owner["id"]}).must(201, nil)
		history := simHistory(str(seller["id"]))
		for _, s := range history {
			for next := month.AddDate(0, 1, 0); !s.at.Before(next); next = month.AddDate(0, 1, 0) {
				month = next
				jobs(month)
			}
			e.clock.Set(s.at)
			for _, o := range e.send(e.keyA, s.ev).Results {
				issued += o.points()
			}
		}
		// Mid-quarter (after the last event), then after the quarter's
		// expiry: both must match.
		mid := time.Date(2026, 6, 25, 0, 0, 0, 0, time.UTC)
		balances := map[string]int64{}
		for ext := range orgs {
			balances[ext] = e.balanceOf(e.keyA, ext)
		}
		r1, x1, i1 := liveTotals(e, ptID)
		sellerPoints := memberBalance(e, str(seller["id"]))
		if sellerPoints == 0 {
			t.Error("the seller earned nothing")
		}
		end := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
		jobs(end)
		e.ledgerOK(e.tidA)
		redeemed, expired, issuance := liveTotals(e, ptID)
		before := e.snapshot()

		simulate := func(to time.Time) (v simVariant) {
			var rep simReport
			e.do("POST", "/v1/simulations", e.keyA, obj{"variants": []obj{{"program_id": f.program["id"]}}, "from": "2026-03-01T00:00:00Z",
				"to": to.Format(time.RFC3339), "balances": true}).must(200, &rep)
			if rep.Events != len(history) || len(rep.Variants) != 1 || len(rep.Variants[0].Refused) != 0 {
				t.Fatalf("report: %+v", rep)
			}
			return rep.Variants[0]
		}
		v := simulate(mid)
		if v.Points.Issued != issued || v.Points.Redeemed != r1 || v.Points.Expired != x1 || v.Points.ClawedBack != issued+i1 {
			t.Errorf("on %s simulated %+v; live issued %d redeemed %d expired %d clawed back %d", mid, v.Points, issued, r1, x1, issued+i1)
		}
		for ext, id := range orgs {
			if v.Balances[id] != balances[ext] || balances[ext] == 0 {
				t.Errorf("%s: simulated balance %d, live %d", ext, v.Balances[id], balances[ext])
			}
		}
		if got := v.Balances[str(seller["id"])]; got != sellerPoints {
			t.Errorf("seller: simulated %d, live %d", got, sellerPoints)
		}
		v = simulate(end)
		if v.Points.Issued != issued || v.Points.Redeemed != redeemed || v.Points.Expired != expired || v.Points.ClawedBack != issued+issuance {
			t.Errorf("simulated %+v; live issued %d redeemed %d expired %d clawed back %d", v.Points, issued, redeemed, expired, issued+issuance)
		}
		if expired == x1 || issued+issuance == 0 || redeemed == 0 {
			t.Errorf("the history should expire, claw back and redeem points: expired %d clawed %d redeemed %d", expired, issued+issuance, redeemed)
		}
		for ext, id := range orgs {
			if live := e.balanceOf(e.keyA, ext); v.Balances[id] != live {
				t.Errorf("%s: simulated balance %d, live %d", ext, v.Balances[id], live)
			}
		}
		if len(v.Months) != 4 || v.Months[3].Month != "2026-06" || v.Months[3].Tiers["gold"] == 0 {
			t.Errorf("months: %+v", v.Months)
		}
		// The simulation wrote nothing.
		if after := e.snapshot(); after != before {
			t.Errorf("rows before %v, after %v", before, after)
		}
		if r2, x2, i2 := liveTotals(e, ptID); r2 != redeemed || x2 != expired || i2 != issuance {
			t.Error("the simulation changed the ledger")
		}
	})
}

// TestSimulationVariants compares a 5% cumulative discount (from 1,000.00
// of lifetime spend) with a 5% cashback on three invoices of 1,000.00,
// 2,000.00 and 1,000.00, every point redeemed at once: the discount
// costs 150.00 (nothing on the first invoice), the cashback 200.00.
func TestSimulationVariants(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.dealer(e.keyA, "V-1")
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		for i, amount := range []int64{100000, 200000, 100000} {
			ev := event("invoice", fmt.Sprintf("V-%d", i), "V-1", line("A", 1, amount))
			e.clock.Advance(time.Hour)
			ev["occurred_at"] = e.clock.Now().Format(time.RFC3339)
			e.send(e.keyA, ev)
		}
		pt := obj{"value_num": 100, "value_den": 1}
		var rep simReport
		e.do("POST", "/v1/simulations", e.keyA, obj{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z",
			"assumptions": obj{"redemption_rate_bp": 10000},
			"variants": []obj{
				{"name": "discount", "point_type": pt, "definition": obj{"currency": "EUR", "discounts": []obj{{"id": "cum", "kind": "cumulative", "basis": "lifetime",
					"steps": []obj{{"from": 100000, "percent_bp": 500}}}}}},
				{"name": "cashback", "point_type": pt, "definition": obj{"currency": "EUR", "rules": []obj{{"id": "cb", "effects": []obj{{"type": "earn", "percent_bp": 500}}}}}},
			}}).must(200, &rep)
		if len(rep.Variants) != 2 {
			t.Fatalf("report: %+v", rep)
		}
		d, c := rep.Variants[0], rep.Variants[1]
		if d.Name != "discount" || d.Money.DiscountGiven != 15000 || d.Money.Cost != 15000 || d.Points.Issued != 0 {
			t.Errorf("discount: %+v %+v", d.Money, d.Points)
		}
		if c.Name != "cashback" || c.Points.Issued != 200 || c.Points.Redeemed != 200 || c.Money.Cost != 20000 || c.Points.Revenue != 400000 {
			t.Errorf("cashback: %+v %+v", c.Money, c.Points)
		}
	})
}

// TestSimulationBadInput: an empty range, an invalid variant, an unknown
// program, a range without events — each a 422 naming what to fix, and
// nothing written.
func TestSimulationBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.dealer(e.keyA, "B-1")
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		ev := event("invoice", "B-1-1", "B-1", line("A", 1, 1000))
		ev["occurred_at"] = e.clock.Now().Format(time.RFC3339)
		e.send(e.keyA, ev)
		before := e.snapshot()
		good := obj{"program_id": f.program["id"]}
		body := func(from, to string, vs ...obj) obj { return obj{"from": from, "to": to, "variants": vs} }
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-03-01T00:00:00Z", good)).fails(422, "validation_failed", "to")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-04-01T00:00:00Z", "2026-03-01T00:00:00Z", good)).fails(422, "validation_failed", "to")
		e.do("POST", "/v1/simulations", e.keyA, body("2020-01-01T00:00:00Z", "2026-03-01T00:00:00Z", good)).fails(422, "validation_failed", "to")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z", good)).fails(422, "validation_failed", "from")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z")).fails(422, "validation_failed", "variants")
		bad := obj{"definition": obj{"currency": "EUR", "rules": []obj{{"id": "r", "condition": "event.nope >", "effects": []obj{{"type": "earn", "fixed": 1}}}}}}
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", good, bad)).fails(422, "validation_failed", "variants[1].definition.rules[0].condition")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", obj{"definition": obj{"currency": "EUR", "typo": 1}})).fails(422, "validation_failed", "variants[0].definition")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z", obj{"program_id": "nope"})).fails(422, "validation_failed", "variants[0].program_id")
		e.do("POST", "/v1/simulations", e.keyA, body("2026-03-01T00:00:00Z", "2026-04-01T00:00:00Z",
			obj{"definition": obj{"currency": "EUR"}, "point_type": obj{"value_num": 1, "expiry": "weekly"}})).fails(422, "validation_failed", "variants[0].point_type.expiry")
		e.do("POST", "/v1/simulations", e.keyA, obj{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z", "variants": []obj{good},
			"assumptions": obj{"redemption_rate_bp": 12000}}).fails(422, "validation_failed", "assumptions.redemption_rate_bp")
		if after := e.snapshot(); after != before {
			t.Errorf("rows before %v, after %v", before, after)
		}
	})
}

// memberBalance is a member's available points in tenant A.
func memberBalance(e *env, id string) int64 {
	e.t.Helper()
	var w wallet
	e.do("GET", "/v1/members/"+id+"/wallet", e.keyA, nil).must(200, &w)
	if len(w.Balances) == 0 {
		return 0
	}
	return w.Balances[0].Available
}
