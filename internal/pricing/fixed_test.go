package pricing_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// A fixed amount is spread over the eligible lines in proportion to their
// amounts, the leftover minor units going to the largest remainders, and
// never exceeds the eligible amount.
func TestFixedAmount(t *testing.T) {
	lines := []pricing.Line{
		{Ref: "a", SKU: "A", Category: "tools", Qty: 1, UnitPrice: 100},
		{Ref: "b", SKU: "B", Category: "tools", Qty: 1, UnitPrice: 200},
		{Ref: "c", SKU: "C", Category: "paint", Qty: 1, UnitPrice: 700},
	}
	cases := []struct {
		name   string
		d      pricing.Discount
		want   []int64
		reason string
	}{
		{"whole order", pricing.Discount{ID: "f", Kind: pricing.KindFixed, Amount: 100}, []int64{10, 20, 70}, "1.00 off the order"},
		// 10 over 100:200:700 → 1, 2, 7 exactly; 7 over the same → 0.7, 1.4, 4.9 → 0, 1, 4 + 2 left to c (0.9) and a (0.7).
		{"remainders", pricing.Discount{ID: "f", Kind: pricing.KindFixed, Amount: 7}, []int64{1, 1, 5}, "0.07 off the order"},
		{"scope", pricing.Discount{ID: "f", Kind: pricing.KindFixed, Amount: 150, Scope: pricing.Scope{Categories: []string{"tools"}}}, []int64{50, 100, 0}, "1.50 off eligible items"},
		{"capped at the eligible amount", pricing.Discount{ID: "f", Kind: pricing.KindFixed, Amount: 5000, Scope: pricing.Scope{SKUs: []string{"B"}}}, []int64{0, 200, 0}, "2.00 off eligible items"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := price(t, lines, []pricing.Discount{tc.d}, pricing.Additive, pricing.Context{})
			if got := lineDiscounts(r); !slices.Equal(got, tc.want) {
				t.Fatalf("line discounts %v, want %v", got, tc.want)
			}
			var sum int64
			for _, v := range tc.want {
				sum += v
			}
			if r.Discount != sum || len(r.Applied) != 1 || r.Applied[0].Amount != sum {
				t.Fatalf("discount %d applied %+v, want %d", r.Discount, r.Applied, sum)
			}
			if !strings.Contains(r.Applied[0].Reason, tc.reason) {
				t.Fatalf("reason %q lacks %q", r.Applied[0].Reason, tc.reason)
			}
		})
	}
}

// An exclusive fixed amount competes with the other offers as any other.
func TestFixedAmountExclusive(t *testing.T) {
	ds := []pricing.Discount{
		{ID: "p", Name: "Gold", Kind: pricing.KindPercent, PercentBP: 500},
		{ID: "f", Name: "CODE", Kind: pricing.KindFixed, Amount: 300, Exclusive: true},
	}
	r := price(t, one(c(10)), ds, pricing.Additive, pricing.Context{})
	if r.Discount != 300 || len(r.Refused) != 1 || !strings.Contains(r.Refused[0].Reason, "not combinable with CODE") {
		t.Fatalf("got %+v", r)
	}
}

func TestFixedAmountValidate(t *testing.T) {
	for _, amt := range []int64{0, -5} {
		err := pricing.Validate(pricing.Discount{ID: "f", Kind: pricing.KindFixed, Amount: amt})
		if !errs.Is(err, errs.Invalid) || !strings.Contains(err.Error(), "amount") {
			t.Fatalf("amount %d: %v", amt, err)
		}
	}
}
