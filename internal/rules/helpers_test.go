package rules

import (
	"testing"
	"time"
)

// now is a fixed Wednesday, so that expressions over now are reproducible.
var now = time.Date(2026, 3, 18, 14, 30, 0, 0, time.UTC)

// sampleVars is a typical purchase by a dealer in the north, with three
// lines. Each call returns fresh values that a test may change.
func sampleVars() *Vars {
	return &Vars{
		Event: &Event{
			Type: "purchase", Source: "erp", Currency: "EUR",
			Amount: 150000, Quantity: 7,
			Lines: []Line{
				{SKU: "T-100", Category: "tyres", Brand: "acme", Qty: 4, UnitPrice: 25000, Amount: 100000, Cost: 70000},
				{SKU: "O-5", Category: "oil", Brand: "lubro", Qty: 2, UnitPrice: 15000, Amount: 30000, Cost: 20000, OnSale: true},
				{SKU: "F-1", Category: "filters", Brand: "acme", Qty: 1, UnitPrice: 20000, Amount: 20000, Cost: 12000},
			},
			Attributes: map[string]string{"channel": "web", "campaign": "spring"},
			OccurredAt: now.Add(-2 * time.Hour),
		},
		Org: &Org{
			ID: "org-1", Type: "dealer", Region: "north", Industry: "automotive", Size: "medium", Tier: "gold",
			Tags:           []string{"north", "vip"},
			Counters:       map[string]int64{"orders_q": 3, "returns": 0},
			SpendThisMonth: 400000, SpendLastMonth: 350000, SpendThisYear: 1200000,
			SpendLifetime: 9000000, OrdersLifetime: 120, EnrolledDays: 400,
		},
		Member: &Member{ID: "m-1", Role: "buyer", TenureDays: 90, Present: true},
		Now:    now,
	}
}

// mustCompile compiles or stops the test.
func mustCompile(tb testing.TB, src string, kind Kind, lineScope bool) *Expr {
	tb.Helper()
	e, err := Compile(src, kind, lineScope)
	if err != nil {
		tb.Fatalf("Compile(%q): %v", src, err)
	}
	return e
}
