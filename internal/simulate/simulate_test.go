package simulate_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/simulate"
)

// eur is a point worth 1.00 EUR.
var eurPoints = ledger.PointType{ID: "pt", ValueNum: 100, ValueDen: 1, Rounding: money.Floor, Expiry: ledger.Expiry{Kind: ledger.ExpireNever}}

func variant(t testing.TB, name, def string, pt ledger.PointType) simulate.Variant {
	t.Helper()
	var d engine.Definition
	if err := json.Unmarshal([]byte(def), &d); err != nil {
		t.Fatal(err)
	}
	p, err := engine.Compile(name, 1, time.Time{}, d, engine.PointValue{Num: pt.ValueNum, Den: pt.ValueDen, Rounding: pt.Rounding})
	if err != nil {
		t.Fatalf("compile %s: %v", name, err)
	}
	return simulate.Variant{Name: name, Versions: []*engine.Program{p}, PointType: pt}
}

const (
	cashback   = `{"currency":"EUR","point_type_id":"pt","rules":[{"id":"cb","effects":[{"type":"earn","percent_bp":500}]}]}`
	cumulative = `{"currency":"EUR","point_type_id":"pt","discounts":[{"id":"cum","kind":"cumulative","basis":"lifetime","steps":[{"from":100000,"percent_bp":500}]}]}`
)

func day(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }

func inv(ext, org string, at time.Time, amount int64) simulate.Event {
	return simulate.Event{Org: org, Event: engine.Event{ID: ext, Type: engine.Invoice, Source: "erp", ExternalID: ext, OccurredAt: at, Currency: "EUR",
		Lines: []engine.Line{{SKU: "A", Qty: 1, UnitPrice: amount, Amount: amount, Cost: amount * 7 / 10}}}}
}

// Three invoices of one dealer: 1,000.00, 2,000.00 and 1,000.00 EUR.
// 5% cashback earns 50 + 100 + 50 points worth 200.00, all redeemed at
// once (rate 100%, delay 0). The cumulative discount of 5% from 1,000.00
// lifetime spend gives nothing on the first invoice (spend before it: 0),
// then 5% of 2,000.00 and of 1,000.00: 150.00.
func TestDiscountVersusCashback(t *testing.T) {
	all := int64(10000)
	evs := []simulate.Event{inv("1", "d1", day(3, 5), 100000), inv("2", "d1", day(4, 10), 200000), inv("3", "d1", day(5, 2), 100000)}
	rep, err := simulate.Run(context.Background(), simulate.Input{From: day(3, 1), To: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Events: evs,
		Variants:    []simulate.Variant{variant(t, "discount", cumulative, eurPoints), variant(t, "cashback", cashback, eurPoints)},
		Assumptions: simulate.Assumptions{RedemptionRateBP: &all}})
	if err != nil {
		t.Fatal(err)
	}
	d, c := rep.Variants[0], rep.Variants[1]
	if d.Money.DiscountGiven != 15000 || d.Money.Cost != 15000 || d.Points.Issued != 0 {
		t.Errorf("discount variant: %+v %+v", d.Money, d.Points)
	}
	if c.Points.Issued != 200 || c.Points.Redeemed != 200 || c.Money.Cost != 20000 || c.Points.Outstanding != 0 {
		t.Errorf("cashback variant: %+v %+v", c.Money, c.Points)
	}
	// Revenue 4,000.00, margin 30% of it: 1,200.00.
	if d.Points.Revenue != 400000 || d.Points.Margin != 120000 || d.Money.CostOfRevenueBP != 375 || c.Money.CostOfRevenueBP != 500 || c.Money.CostOfMarginBP != 1666 {
		t.Errorf("shares: discount %+v, cashback %+v", d.Money, c.Money)
	}
	if got := rep.SideBySide[len(rep.SideBySide)-4]; got.Metric != "cost" || got.Values[0] != 15000 || got.Values[1] != 20000 {
		t.Errorf("side by side: %+v", got)
	}
	if len(c.Months) != 3 || c.Months[1].Month != "2026-04" || c.Months[1].Issued != 100 {
		t.Errorf("months: %+v", c.Months)
	}
	if len(c.Top) != 1 || c.Top[0].Benefit != 20000 || d.Top[0].Benefit != 15000 {
		t.Errorf("top: %+v / %+v", c.Top, d.Top)
	}
}

// Points expire by the point type's policy, spends take the earliest
// expiring lot first, and a return claws back what its invoice earned.
func TestLedgerModel(t *testing.T) {
	pt := eurPoints
	pt.Expiry = ledger.Expiry{Kind: ledger.ExpireEndOfMonth}
	spend := inv("4", "d1", day(3, 20), 100000)
	spend.Type, spend.PointsSpent = engine.Order, 30
	ret := simulate.Event{Org: "d1", Event: engine.Event{Type: engine.Return, Source: "erp", ExternalID: "r1", Original: "2", OccurredAt: day(4, 12),
		Currency: "EUR", Lines: []engine.Line{{SKU: "A", Qty: 1}}}}
	evs := []simulate.Event{inv("1", "d1", day(3, 5), 100000), spend, inv("2", "d1", day(4, 10), 200000), ret}
	rep, err := simulate.Run(context.Background(), simulate.Input{From: day(3, 1), To: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC), Events: evs,
		Variants: []simulate.Variant{variant(t, "cashback", `{"currency":"EUR","point_type_id":"pt","rules":[{"id":"cb","events":["invoice","order"],"effects":[{"type":"earn","percent_bp":500}]}],"points_payment":{"max_share_bp":5000}}`, pt)}})
	if err != nil {
		t.Fatal(err)
	}
	v := rep.Variants[0]
	// March: 50 + 50 earned, 30 spent, 70 expire at the month's end.
	// April: 100 earned, all clawed back by the full return, nothing left.
	want := simulate.Totals{Events: 4, Issued: 200, Redeemed: 30, RedeemedByEvents: 30, Expired: 70, ClawedBack: 100, Outstanding: 0,
		Revenue: 200000, Margin: 60000}
	if v.Points != want {
		t.Logf("refused: %v", v.Refused)
		t.Errorf("totals:\n got %+v\nwant %+v", v.Points, want)
	}
	if v.Months[0].Expired != 70 || v.Months[0].LiabilityPoints != 0 || v.Months[1].ClawedBack != 100 {
		t.Errorf("months: %+v", v.Months)
	}
}

func TestEmptyRange(t *testing.T) {
	_, err := simulate.Run(context.Background(), simulate.Input{From: day(3, 1), To: day(3, 1), Variants: []simulate.Variant{variant(t, "c", cashback, eurPoints)}})
	if err == nil {
		t.Fatal("an empty range ran")
	}
}

// Events as a source sends them (or as the importer reads a file) are
// checked as ingestion checks them and replayed without being stored.
func TestFromInputs(t *testing.T) {
	now := day(6, 1)
	good := events.Input{Type: "invoice", Source: "file", ExternalID: "1", OccurredAt: day(3, 5), Organization: "ext:C-1", Currency: "EUR",
		Lines: []events.LineInput{{SKU: "A", Qty: 2, UnitPrice: 50000}}, Attributes: map[string]string{"country": "GB"}}
	bad := good
	bad.ExternalID, bad.Lines = "2", []events.LineInput{{SKU: "A", Qty: 0, UnitPrice: 100}}
	if _, err := simulate.FromInputs([]events.Input{good, bad}, now); err == nil || !strings.Contains(err.Error(), "events[1].lines[0].qty") {
		t.Fatalf("a bad line passed: %v", err)
	}
	evs, err := simulate.FromInputs([]events.Input{good}, now)
	if err != nil || len(evs) != 1 || evs[0].Org != "ext:C-1" || evs[0].Lines[0].Amount != 100000 {
		t.Fatalf("%+v %v", evs, err)
	}
	rep, err := simulate.Run(context.Background(), simulate.Input{From: day(3, 1), To: day(4, 1), Events: evs,
		Variants: []simulate.Variant{variant(t, "cashback", cashback, eurPoints)}})
	if err != nil {
		t.Fatal(err)
	}
	v := rep.Variants[0]
	if v.Points.Issued != 50 || v.Balances["ext:C-1"] != 50 || v.Segments["country"][0].Value != "GB" {
		t.Errorf("%+v %v %+v", v.Points, v.Balances, v.Segments)
	}
}
