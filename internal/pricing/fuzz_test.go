package pricing_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// bytesReader hands out bytes of a fuzz input, zeros once it is used up,
// so that every input decodes to some cart.
type bytesReader struct{ b []byte }

func (r *bytesReader) next() int64 {
	if len(r.b) == 0 {
		return 0
	}
	v := r.b[0]
	r.b = r.b[1:]
	return int64(v)
}

// decodeCart turns bytes into a small cart and discounts, keeping only the
// discounts that Validate accepts (the fuzzer also produces bad ones, which
// must be rejected by Price rather than crash it).
func decodeCart(data []byte) ([]pricing.Line, []pricing.Discount, pricing.Policy, pricing.Context) {
	r := &bytesReader{data}
	lines := make([]pricing.Line, 1+r.next()%4)
	for i := range lines {
		sku := string(rune('A' + r.next()%3))
		lines[i] = pricing.Line{Ref: string(rune('a' + i)), SKU: sku, Category: sku, Qty: 1 + r.next()%50,
			UnitPrice: r.next()*r.next()*7 + r.next(), OnSale: r.next()%4 == 0}
	}
	kinds := []string{pricing.KindPercent, pricing.KindOrderThreshold, pricing.KindQuantityBrackets, pricing.KindNthItem}
	var ds []pricing.Discount
	for i := range r.next() % 5 {
		d := pricing.Discount{ID: string(rune('0' + i)), Kind: kinds[r.next()%4], Group: string(rune('a' + r.next()%3)),
			Exclusive: r.next()%5 == 0, MinOrder: r.next() * 100}
		if d.Kind == pricing.KindOrderThreshold || d.Kind == pricing.KindQuantityBrackets {
			for range 1 + r.next()%3 {
				d.Steps = append(d.Steps, pricing.Step{From: r.next() * r.next(), PercentBP: r.next() * 40})
			}
		} else {
			d.PercentBP, d.N = r.next()*40, r.next()%5
		}
		if r.next()%3 == 0 {
			d.Scope.Categories = []string{"A"}
		}
		if pricing.Validate(d) == nil {
			ds = append(ds, d)
		}
	}
	return lines, ds, policies[r.next()%3], pricing.Context{PriorQty: map[string]int64{"0": r.next() * 3}}
}

// FuzzPrice checks that no cart makes Price panic and that every priced
// cart keeps the invariants.
func FuzzPrice(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{2, 0, 9, 9, 9, 0, 1, 3, 1, 0, 0, 0, 1, 200, 100, 2, 50, 1, 0})
	f.Add([]byte{3, 1, 40, 200, 200, 5, 1, 2, 10, 3, 3, 3, 0, 4, 3, 1, 0, 2, 125, 2, 2, 2, 0, 1, 1, 7, 9, 1, 3, 30, 10, 1})
	f.Add([]byte("a cart of several lines with discounts of every kind"))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, ds, p, ctx := decodeCart(data)
		r, err := pricing.Price(lines, ds, p, ctx, 2)
		if err != nil {
			t.Fatalf("Price of a valid cart: %v", err)
		}
		checkInvariants(t, lines, ds, p, r)
	})
}
