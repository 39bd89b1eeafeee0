package pricing_test

import (
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// yearly is "0% up to 40,000 a year, 3% to 120,000, 8% to 300,000, 15%
// above" as amount brackets.
var yearly = pricing.Discount{ID: "year", Name: "Yearly volume", Kind: pricing.KindAmountBrackets,
	Steps: []pricing.Step{{From: c(40000), PercentBP: 300}, {From: c(120000), PercentBP: 800}, {From: c(300000), PercentBP: 1500}}}

// TestAmountBrackets: incremental brackets in money, on a cart of mixed
// prices, only on the part above each threshold.
//
// A dealer bought 35,000.00 this year. A cart of 200 tiles at 150.00
// (30,000.00), 1,000 bags at 45.00 (45,000.00) and 25 tools at 1,000.00
// (25,000.00) takes the year from 35,000.00 to 135,000.00:
//
//	tiles 35,000–65,000:   5,000 at 0% + 25,000 at 3%          =   750.00
//	bags  65,000–110,000:  45,000 at 3%                        = 1,350.00
//	tools 110,000–135,000: 10,000 at 3% + 15,000 at 8%         = 1,500.00
//
// 3,600.00 in all (80,000 × 3% + 15,000 × 8%): 96,400.00 to pay. The next
// cart of 200,000.00 then gets 165,000 × 8% + 35,000 × 15% = 18,450.00.
func TestAmountBrackets(t *testing.T) {
	lines := []pricing.Line{
		{Ref: "1", SKU: "TILE", Qty: 200, UnitPrice: c(150)},
		{Ref: "2", SKU: "BAG", Qty: 1000, UnitPrice: c(45)},
		{Ref: "3", SKU: "TOOL", Qty: 25, UnitPrice: c(1000)},
	}
	ctx := pricing.Context{PriorAmount: map[string]int64{"year": c(35000)}}
	r := price(t, lines, []pricing.Discount{yearly}, pricing.BestOf, ctx)
	if r.Subtotal != c(100000) || r.Discount != c(3600) || r.Total != c(96400) {
		t.Fatalf("got %d - %d = %d", r.Subtotal, r.Discount, r.Total)
	}
	if got := lineDiscounts(r); !slices.Equal(got, []int64{c(750), c(1350), c(1500)}) {
		t.Errorf("line discounts %v", got)
	}
	want := "Yearly volume — spend of the period 35,000.00–135,000.00: 5,000.00 at full price, 80,000.00 at 3% off, 15,000.00 at 8% off"
	if r.Applied[0].Reason != want {
		t.Errorf("reason %q\nwant   %q", r.Applied[0].Reason, want)
	}
	if got := r.Lines[2].Reasons[0]; got != "Yearly volume — 110,000.00–120,000.00 at 3% off, 120,000.00–135,000.00 at 8% off: 1,500.00" {
		t.Errorf("line reason %q", got)
	}
	next := price(t, one(c(200000)), []pricing.Discount{yearly}, pricing.BestOf, pricing.Context{PriorAmount: map[string]int64{"year": c(135000)}})
	if next.Discount != c(18450) {
		t.Errorf("next cart: %d, want 18,450.00", next.Discount)
	}
	// Below the first bracket: refused with what is missing.
	low := price(t, one(c(3000)), []pricing.Discount{yearly}, pricing.BestOf, ctx)
	if low.Discount != 0 || len(low.Refused) != 1 ||
		low.Refused[0].Reason != "spend of the period 35,000.00–38,000.00: all at full price; 3% off above 40,000.00 (2,000.00 more)" {
		t.Errorf("below: %+v", low.Refused)
	}
}
