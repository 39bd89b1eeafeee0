package pricing_test

import (
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// checkInvariants checks what must hold of every priced cart: the totals
// add up exactly, every line discount is between 0 and the line amount,
// the applied amounts sum to the discount, every discount is either
// applied or refused (with a reason), and the policy's limits hold.
func checkInvariants(t testing.TB, lines []pricing.Line, ds []pricing.Discount, p pricing.Policy, r pricing.Result) {
	t.Helper()
	if len(r.Lines) != len(lines) {
		t.Fatalf("%d result lines for %d lines", len(r.Lines), len(lines))
	}
	var sub, disc, applied int64
	for i, l := range r.Lines {
		if l.Ref != lines[i].Ref || l.Amount != lines[i].Qty*lines[i].UnitPrice {
			t.Fatalf("line %d: %+v does not match %+v", i, l, lines[i])
		}
		if l.Discount < 0 || l.Discount > l.Amount || l.Net != l.Amount-l.Discount {
			t.Fatalf("line %d: discount %d net %d for amount %d", i, l.Discount, l.Net, l.Amount)
		}
		if (l.Discount > 0) != (len(l.Reasons) > 0) {
			t.Fatalf("line %d: discount %d with reasons %q", i, l.Discount, l.Reasons)
		}
		sub += l.Amount
		disc += l.Discount
	}
	for _, a := range r.Applied {
		if a.Amount <= 0 || a.Reason == "" {
			t.Fatalf("applied %+v: want a positive amount and a reason", a)
		}
		applied += a.Amount
	}
	if r.Subtotal != sub || r.Discount != disc || r.Discount != applied || r.Total != r.Subtotal-r.Discount {
		t.Fatalf("subtotal %d (lines %d), discount %d (lines %d, applied %d), total %d",
			r.Subtotal, sub, r.Discount, disc, applied, r.Total)
	}
	checkOutcomes(t, ds, p, r)
}

// checkOutcomes checks that each discount is applied or refused exactly
// once, and that best_of and exclusive discounts stand alone.
func checkOutcomes(t testing.TB, ds []pricing.Discount, p pricing.Policy, r pricing.Result) {
	t.Helper()
	seen := map[string]int{}
	for _, a := range r.Applied {
		seen[a.DiscountID]++
	}
	for _, x := range r.Refused {
		if x.Reason == "" {
			t.Fatalf("refused %+v without a reason", x)
		}
		seen[x.DiscountID]++
	}
	for _, d := range ds {
		if seen[d.ID] != 1 {
			t.Fatalf("discount %s is applied or refused %d times: %+v", d.ID, seen[d.ID], r)
		}
	}
	if p == pricing.BestOf && len(r.Applied) > 1 {
		t.Fatalf("best_of applied %d discounts", len(r.Applied))
	}
	for _, a := range r.Applied {
		for _, d := range ds {
			if d.ID == a.DiscountID && d.Exclusive && len(r.Applied) > 1 {
				t.Fatalf("exclusive %s combined with others: %+v", d.ID, r.Applied)
			}
		}
	}
}

// randomCart draws a cart of 1–6 lines over few SKUs (so that identical
// units and scopes meet), with odd prices and some zero-price and sale lines.
func randomCart(rng *rand.Rand) []pricing.Line {
	lines := make([]pricing.Line, 1+rng.IntN(6))
	for i := range lines {
		price := rng.Int64N(1_000_000)
		if rng.IntN(8) == 0 {
			price = 0
		}
		sku := string(rune('A' + rng.IntN(3)))
		lines[i] = pricing.Line{Ref: string(rune('a' + i)), SKU: sku, Category: "cat" + sku, Brand: string(rune('x' + rng.IntN(2))),
			Qty: 1 + rng.Int64N(400), UnitPrice: price, OnSale: rng.IntN(4) == 0}
	}
	return lines
}

// randomDiscounts draws 0–5 valid discounts of every kind.
func randomDiscounts(rng *rand.Rand) []pricing.Discount {
	ds := make([]pricing.Discount, rng.IntN(6))
	for i := range ds {
		d := pricing.Discount{ID: string(rune('0' + i)), Group: []string{"", "g1", "g2"}[rng.IntN(3)],
			Exclusive: rng.IntN(5) == 0, MinOrder: rng.Int64N(3) * rng.Int64N(5_000_000)}
		switch rng.IntN(4) {
		case 0:
			d.Kind, d.PercentBP = pricing.KindPercent, rng.Int64N(10001)
		case 1:
			d.Kind, d.Steps = pricing.KindOrderThreshold, randomSteps(rng, 50_000_000)
		case 2:
			d.Kind, d.Steps = pricing.KindQuantityBrackets, randomSteps(rng, 500)
		default:
			d.Kind, d.N, d.PercentBP = pricing.KindNthItem, 2+rng.Int64N(4), rng.Int64N(10001)
		}
		if rng.IntN(3) == 0 {
			d.Scope = pricing.Scope{SKUs: []string{"A", "B"}, ExcludeOnSale: rng.IntN(2) == 0}
		}
		ds[i] = d
	}
	return ds
}

// randomSteps draws 1–4 ascending steps below max.
func randomSteps(rng *rand.Rand, max int64) []pricing.Step {
	steps := make([]pricing.Step, 1+rng.IntN(4))
	from := int64(0)
	for i := range steps {
		from += 1 + rng.Int64N(max/int64(len(steps)))
		steps[i] = pricing.Step{From: from, PercentBP: rng.Int64N(10001)}
	}
	return steps
}

var policies = []pricing.Policy{pricing.BestOf, pricing.Additive, pricing.ExclusiveGroups}

// TestRandomCarts prices seeded random carts under every policy and checks
// the invariants, that pricing twice gives the same result, and that
// without exclusive discounts the policies order as additive >=
// exclusive_groups >= best_of (capping makes adding a discount never
// lower the total).
func TestRandomCarts(t *testing.T) {
	rng := rand.New(rand.NewPCG(2024, 8))
	for range 3000 {
		lines, ds := randomCart(rng), randomDiscounts(rng)
		ctx := pricing.Context{PriorQty: map[string]int64{"2": rng.Int64N(400)}}
		dec := rng.IntN(4)
		var got []int64
		for _, p := range policies {
			r, err := pricing.Price(lines, ds, p, ctx, dec)
			if err != nil {
				t.Fatalf("Price(%+v, %+v): %v", lines, ds, err)
			}
			checkInvariants(t, lines, ds, p, r)
			if again, _ := pricing.Price(lines, ds, p, ctx, dec); !reflect.DeepEqual(again, r) {
				t.Fatalf("not deterministic: %+v then %+v", r, again)
			}
			got = append(got, r.Discount)
		}
		if !slices.ContainsFunc(ds, func(d pricing.Discount) bool { return d.Exclusive }) && !(got[1] >= got[2] && got[2] >= got[0]) {
			t.Fatalf("best_of %d, additive %d, exclusive_groups %d: want additive >= groups >= best_of", got[0], got[1], got[2])
		}
	}
}
