package pricing_test

import (
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// The worked examples of DOMAIN §8 that are discounts, in minor units of a
// currency with 2 decimals: c(22000) is 22,000.00.

func c(units int64) int64 { return units * 100 }

// price prices with 2 decimals and fails the test on an error.
func price(t *testing.T, lines []pricing.Line, ds []pricing.Discount, p pricing.Policy, ctx pricing.Context) pricing.Result {
	t.Helper()
	r, err := pricing.Price(lines, ds, p, ctx, 2)
	if err != nil {
		t.Fatalf("Price: %v", err)
	}
	checkInvariants(t, lines, ds, p, r)
	return r
}

// one is a cart of a single line of the given amount.
func one(amount int64) []pricing.Line {
	return []pricing.Line{{Ref: "1", SKU: "A", Qty: 1, UnitPrice: amount}}
}

// lineDiscounts lists the discount of each line.
func lineDiscounts(r pricing.Result) []int64 {
	var out []int64
	for _, l := range r.Lines {
		out = append(out, l.Discount)
	}
	return out
}

// §8.1: 5% from 10,000, 10% from 20,000 → an order of 22,000 costs 19,800.
func TestProgressiveOrderDiscount(t *testing.T) {
	d := pricing.Discount{ID: "vol", Name: "Volume discount", Kind: pricing.KindOrderThreshold,
		Steps: []pricing.Step{{From: c(10000), PercentBP: 500}, {From: c(20000), PercentBP: 1000}}}
	lines := []pricing.Line{
		{Ref: "1", SKU: "A", Qty: 2, UnitPrice: c(7000)},
		{Ref: "2", SKU: "B", Qty: 1, UnitPrice: c(8000)},
	}
	r := price(t, lines, []pricing.Discount{d}, pricing.BestOf, pricing.Context{})
	if r.Subtotal != c(22000) || r.Discount != c(2200) || r.Total != c(19800) {
		t.Fatalf("got %d - %d = %d, want 2,200,000 - 220,000 = 1,980,000", r.Subtotal, r.Discount, r.Total)
	}
	if got := lineDiscounts(r); !slices.Equal(got, []int64{c(1400), c(800)}) {
		t.Errorf("line discounts %v, want the order discount spread 1,400 + 800", got)
	}
	want := "Volume discount — 10% off the order: order of 22,000.00 reached the 20,000.00 step"
	if len(r.Applied) != 1 || r.Applied[0].Reason != want {
		t.Errorf("applied %+v, want reason %q", r.Applied, want)
	}
	if got := r.Lines[1].Reasons; !slices.Equal(got, []string{"Volume discount — 10% off the order: 800.00"}) {
		t.Errorf("line reasons %q", got)
	}
}

// §8.2: 5% from 10,000, 7% from 20,000, 10% from 50,000.
func TestSteppedOrderDiscount(t *testing.T) {
	d := pricing.Discount{ID: "vol", Kind: pricing.KindOrderThreshold, Steps: []pricing.Step{
		{From: c(10000), PercentBP: 500}, {From: c(20000), PercentBP: 700}, {From: c(50000), PercentBP: 1000}}}
	cases := []struct {
		order, discount int64
		reason          string
	}{
		{c(9999), 0, ""},
		{c(10000), c(500), "5% off the order: order of 10,000.00 reached the 10,000.00 step (10,000.00 more for 7%)"},
		{c(20000), c(1400), "7% off the order: order of 20,000.00 reached the 20,000.00 step (30,000.00 more for 10%)"},
		{c(50000), c(5000), "10% off the order: order of 50,000.00 reached the 50,000.00 step"},
		{c(60000), c(6000), "10% off the order: order of 60,000.00 reached the 50,000.00 step"},
	}
	for _, tc := range cases {
		r := price(t, one(tc.order), []pricing.Discount{d}, pricing.Additive, pricing.Context{})
		if r.Discount != tc.discount || r.Total != tc.order-tc.discount {
			t.Errorf("order %d: discount %d total %d, want %d", tc.order, r.Discount, r.Total, tc.discount)
		}
		if tc.discount == 0 {
			want := "order of 9,999.00 is below 10,000.00 (1.00 to go for 5%)"
			if len(r.Refused) != 1 || r.Refused[0].Reason != want {
				t.Errorf("order %d: refused %+v, want %q", tc.order, r.Refused, want)
			}
			continue
		}
		if len(r.Applied) != 1 || r.Applied[0].Reason != tc.reason {
			t.Errorf("order %d: applied %+v, want %q", tc.order, r.Applied, tc.reason)
		}
	}
}

// brackets is §8.5: packs 1–100 full price, 101–200 5% off, 201–300 10%
// off, above 300 20% off, counted over the year.
var brackets = pricing.Discount{ID: "packs", Name: "Annual volume", Kind: pricing.KindQuantityBrackets,
	Steps: []pricing.Step{{From: 1, PercentBP: 0}, {From: 101, PercentBP: 500}, {From: 201, PercentBP: 1000}, {From: 301, PercentBP: 2000}}}

// §8.5: 350 packs at 10 cost 100×10 + 100×9.5 + 100×9 + 50×8 = 3,250.
func TestQuantityBrackets(t *testing.T) {
	cases := []struct {
		name     string
		qty      []int64 // packs per line, at 10.00 each
		prior    int64
		discount []int64 // per line
		reason   string
	}{
		{"350 packs, none before", []int64{350}, 0, []int64{c(250)},
			"Annual volume — units 1–350 of the period: 100 at full price, 100 at 5% off, 100 at 10% off, 50 at 20% off"},
		{"350 packs over two lines", []int64{60, 290}, 0, []int64{0, c(250)}, ""},
		{"100 more after 150", []int64{100}, 150, []int64{c(75)},
			"Annual volume — units 151–250 of the period: 50 at 5% off, 50 at 10% off"},
		{"20 more after 90", []int64{20}, 90, []int64{c(5)}, ""},
		{"10 more after 300", []int64{10}, 300, []int64{c(20)}, ""},
		{"1 more after 100", []int64{1}, 100, []int64{50}, "Annual volume — unit 101 of the period: 1 at 5% off"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var lines []pricing.Line
			var total int64
			for i, q := range tc.qty {
				lines = append(lines, pricing.Line{Ref: string(rune('a' + i)), SKU: "PACK", Qty: q, UnitPrice: c(10)})
				total += q * c(10)
			}
			ctx := pricing.Context{PriorQty: map[string]int64{"packs": tc.prior}}
			r := price(t, lines, []pricing.Discount{brackets}, pricing.BestOf, ctx)
			if got := lineDiscounts(r); !slices.Equal(got, tc.discount) {
				t.Errorf("line discounts %v, want %v", got, tc.discount)
			}
			if tc.prior == 0 && r.Total != c(3250) {
				t.Errorf("total %d, want 325,000 (3,250.00)", r.Total)
			}
			if tc.reason != "" && (len(r.Applied) != 1 || r.Applied[0].Reason != tc.reason) {
				t.Errorf("applied %+v, want %q", r.Applied, tc.reason)
			}
			if tc.prior == 150 {
				want := "Annual volume — units 151–200 at 5% off, units 201–250 at 10% off: 75.00"
				if got := r.Lines[0].Reasons; !slices.Equal(got, []string{want}) {
					t.Errorf("line reasons %q, want %q", got, want)
				}
			}
		})
	}
}

// Below the first discounted bracket the refusal says how far it is.
func TestQuantityBracketsNotYet(t *testing.T) {
	lines := []pricing.Line{{Ref: "a", SKU: "PACK", Qty: 50, UnitPrice: c(10)}}
	r := price(t, lines, []pricing.Discount{brackets}, pricing.Additive, pricing.Context{})
	want := "units 1–50 of the period: all at full price; 5% off from unit 101 (51 more)"
	if r.Discount != 0 || len(r.Refused) != 1 || r.Refused[0].Reason != want {
		t.Fatalf("got %+v, want refused %q", r, want)
	}
}

// §8.7: SKIDKA30 gives 30% off the whole order from 10,000 and is not
// combinable; below 10,000 it is refused with a reason.
func TestThresholdCode(t *testing.T) {
	code := pricing.Discount{ID: "SKIDKA30", Name: "SKIDKA30", Kind: pricing.KindPercent, PercentBP: 3000,
		MinOrder: c(10000), Exclusive: true}
	r := price(t, one(c(9000)), []pricing.Discount{code}, pricing.Additive, pricing.Context{})
	want := "order of 9,000.00 is below the 10,000.00 minimum (1,000.00 to go)"
	if r.Discount != 0 || len(r.Refused) != 1 || r.Refused[0].Reason != want {
		t.Errorf("9,000: got %+v, want refused %q", r, want)
	}
	r = price(t, one(c(12000)), []pricing.Discount{code}, pricing.Additive, pricing.Context{})
	want = "SKIDKA30 — 30% off all items; the 10,000.00 minimum is met"
	if r.Discount != c(3600) || r.Total != c(8400) || r.Applied[0].Reason != want {
		t.Errorf("12,000: got %+v, want 3,600 off with %q", r, want)
	}
}

// §8.8: "second item 50% off": two identical items → 25% off their total;
// three → one discounted; four → two.
func TestSecondItemHalfPrice(t *testing.T) {
	d := pricing.Discount{ID: "2nd", Kind: pricing.KindNthItem, N: 2, PercentBP: 5000, Reason: "Promo"}
	for qty, want := range map[int64]int64{1: 0, 2: c(5), 3: c(5), 4: c(10)} {
		lines := []pricing.Line{{Ref: "a", SKU: "X", Qty: qty, UnitPrice: c(10)}}
		r := price(t, lines, []pricing.Discount{d}, pricing.BestOf, pricing.Context{})
		if r.Discount != want {
			t.Errorf("%d items: discount %d, want %d", qty, r.Discount, want)
		}
	}
	// Identical units are counted across lines; another price is another item.
	lines := []pricing.Line{
		{Ref: "a", SKU: "X", Qty: 1, UnitPrice: c(10)},
		{Ref: "b", SKU: "Y", Qty: 1, UnitPrice: c(30)},
		{Ref: "c", SKU: "X", Qty: 1, UnitPrice: c(10)},
		{Ref: "d", SKU: "Y", Qty: 1, UnitPrice: c(20)},
	}
	r := price(t, lines, []pricing.Discount{d}, pricing.BestOf, pricing.Context{})
	if got := lineDiscounts(r); !slices.Equal(got, []int64{0, 0, c(5), 0}) {
		t.Errorf("line discounts %v, want only the second X", got)
	}
	if got := r.Lines[2].Reasons; !slices.Equal(got, []string{"Promo — second item 50% off (SKU X): 5.00"}) {
		t.Errorf("line reasons %q", got)
	}
	if got := r.Applied[0].Reason; got != "Promo — second item 50% off: 1 unit (SKU X ×1)" {
		t.Errorf("applied reason %q", got)
	}
	// "third item free", over a 7-unit line: units 3 and 6.
	free := pricing.Discount{ID: "3rd", Kind: pricing.KindNthItem, N: 3, PercentBP: 10000}
	r = price(t, []pricing.Line{{Ref: "a", SKU: "X", Qty: 7, UnitPrice: 999}}, []pricing.Discount{free}, pricing.BestOf, pricing.Context{})
	if r.Discount != 2*999 || r.Applied[0].Reason != "third item free: 2 units (SKU X ×2)" {
		t.Errorf("third item free: discount %d applied %+v", r.Discount, r.Applied)
	}
	r = price(t, lines[:2], []pricing.Discount{d}, pricing.BestOf, pricing.Context{})
	if want := "needs 2 identical items (same SKU and price); the cart has at most 1"; r.Refused[0].Reason != want {
		t.Errorf("refused %+v, want %q", r.Refused, want)
	}
}

// §8.12: a permanent 5% card, not valid on items on sale.
func TestCardNotOnSale(t *testing.T) {
	card := pricing.Discount{ID: "card", Kind: pricing.KindPercent, PercentBP: 500, Reason: "Dealer card",
		Scope: pricing.Scope{ExcludeOnSale: true}}
	lines := []pricing.Line{
		{Ref: "sale", SKU: "S", Qty: 1, UnitPrice: c(1000), OnSale: true},
		{Ref: "normal", SKU: "N", Qty: 3, UnitPrice: 33333}, // 999.99: 5% is 49.9995
	}
	r := price(t, lines, []pricing.Discount{card}, pricing.Additive, pricing.Context{})
	if got := lineDiscounts(r); !slices.Equal(got, []int64{0, 4999}) {
		t.Errorf("line discounts %v, want 0 on the sale item and 49.99 (floored) on the other", got)
	}
	if want := "Dealer card — 5% off 1 of 2 lines (items on sale excluded)"; r.Applied[0].Reason != want {
		t.Errorf("applied reason %q, want %q", r.Applied[0].Reason, want)
	}
	r = price(t, lines[:1], []pricing.Discount{card}, pricing.Additive, pricing.Context{})
	if want := "not valid on items on sale, and the cart has no other eligible items"; r.Refused[0].Reason != want {
		t.Errorf("refused %+v, want %q", r.Refused, want)
	}
}
