package pricing_test

import (
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// everyThirdTin is "every 3rd tin of paint at 40%", counted over the
// category, the cheapest tins discounted.
var everyThirdTin = pricing.Discount{ID: "tins", Name: "Paint", Kind: pricing.KindNthItem, N: 3, PercentBP: 4000, Over: pricing.OverScope,
	Scope: pricing.Scope{Categories: []string{"paint"}}}

// TestNthOverScope: 4 white tins at 30.00, 2 primer at 45.00 and 1
// varnish at 60.00 are 7 tins of paint: 2 are discounted, the cheapest —
// two white: 40% of 60.00 = 24.00 (285.00 → 261.00). Brushes are out of
// scope. Counted per identical item instead, only the 3rd white tin would
// be: 12.00.
func TestNthOverScope(t *testing.T) {
	lines := []pricing.Line{
		{Ref: "1", SKU: "PRIMER", Category: "paint", Qty: 2, UnitPrice: c(45)},
		{Ref: "2", SKU: "WHITE", Category: "paint", Qty: 4, UnitPrice: c(30)},
		{Ref: "3", SKU: "BRUSH", Category: "tools", Qty: 3, UnitPrice: c(5)},
		{Ref: "4", SKU: "VARNISH", Category: "paint", Qty: 1, UnitPrice: c(60)},
	}
	r := price(t, lines, []pricing.Discount{everyThirdTin}, pricing.BestOf, pricing.Context{})
	if r.Subtotal != c(285) || r.Discount != c(24) || r.Total != c(261) {
		t.Fatalf("got %d - %d = %d", r.Subtotal, r.Discount, r.Total)
	}
	if got := lineDiscounts(r); !slices.Equal(got, []int64{0, c(24), 0, 0}) {
		t.Errorf("line discounts %v", got)
	}
	want := "Paint — third item 40% off in scope, the cheapest first: 2 units (SKU WHITE ×2)"
	if r.Applied[0].Reason != want || r.Lines[1].Reasons[0] != "Paint — third item 40% off (SKU WHITE ×2): 24.00" {
		t.Errorf("reasons %q / %q", r.Applied[0].Reason, r.Lines[1].Reasons)
	}
	perItem := everyThirdTin
	perItem.Over = ""
	if r := price(t, lines, []pricing.Discount{perItem}, pricing.BestOf, pricing.Context{}); r.Discount != c(12) {
		t.Errorf("per identical item: %d, want 12.00 (the 3rd white tin)", r.Discount)
	}
	// Two tins are not enough.
	r = price(t, lines[:1], []pricing.Discount{everyThirdTin}, pricing.BestOf, pricing.Context{})
	if r.Discount != 0 || r.Refused[0].Reason != "needs 3 items in scope; the cart has 2" {
		t.Errorf("two tins: %+v", r.Refused)
	}
	bad := everyThirdTin
	bad.Over = "brand"
	if _, err := pricing.Price(lines, []pricing.Discount{bad}, pricing.BestOf, pricing.Context{}, 2); err == nil {
		t.Error("over brand accepted")
	}
}
