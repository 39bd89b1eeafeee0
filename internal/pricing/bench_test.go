package pricing_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// BenchmarkPrice prices a typical checkout: 3 lines, 4 discounts of
// different kinds under exclusive_groups, one of them an exclusive code.
func BenchmarkPrice(b *testing.B) {
	lines := []pricing.Line{
		{Ref: "1", SKU: "DRILL", Category: "tools", Brand: "acme", Qty: 2, UnitPrice: 1_299_000},
		{Ref: "2", SKU: "PAINT", Category: "paint", Brand: "acme", Qty: 120, UnitPrice: 4_550},
		{Ref: "3", SKU: "GLOVES", Category: "safety", Brand: "other", Qty: 10, UnitPrice: 990, OnSale: true},
	}
	ds := []pricing.Discount{
		{ID: "gold", Name: "Gold tier", Kind: pricing.KindPercent, PercentBP: 500, Group: "tier", Scope: pricing.Scope{ExcludeOnSale: true}},
		{ID: "vol", Name: "Volume", Kind: pricing.KindOrderThreshold, Group: "volume",
			Steps: []pricing.Step{{From: 1_000_000, PercentBP: 500}, {From: 2_000_000, PercentBP: 700}, {From: 5_000_000, PercentBP: 1000}}},
		{ID: "packs", Name: "Annual paint", Kind: pricing.KindQuantityBrackets, Group: "volume", Scope: pricing.Scope{Categories: []string{"paint"}},
			Steps: []pricing.Step{{From: 101, PercentBP: 500}, {From: 201, PercentBP: 1000}, {From: 301, PercentBP: 2000}}},
		{ID: "CODE", Name: "CODE", Kind: pricing.KindPercent, PercentBP: 1500, MinOrder: 1_000_000, Exclusive: true},
	}
	ctx := pricing.Context{PriorQty: map[string]int64{"packs": 150}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := pricing.Price(lines, ds, pricing.ExclusiveGroups, ctx, 2); err != nil {
			b.Fatal(err)
		}
	}
}
