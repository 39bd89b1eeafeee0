package pricing_test

import (
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/pricing"
)

// stackCart is a tools line of 10,000 and a paint line of 5,000.
var stackCart = []pricing.Line{
	{Ref: "drill", SKU: "D1", Category: "tools", Qty: 1, UnitPrice: c(10000)},
	{Ref: "paint", SKU: "P1", Category: "paint", Qty: 5, UnitPrice: c(1000)},
}

// stackDiscounts: a tier 5% on everything, a card 10% on tools and a promo
// 3% on everything; the card and the promo share a group.
var stackDiscounts = []pricing.Discount{
	{ID: "tier", Name: "Gold tier", Kind: pricing.KindPercent, PercentBP: 500, Group: "tier"},
	{ID: "card", Name: "Tools card", Kind: pricing.KindPercent, PercentBP: 1000, Group: "offers",
		Scope: pricing.Scope{Categories: []string{"tools"}}},
	{ID: "promo", Name: "Spring promo", Kind: pricing.KindPercent, PercentBP: 300, Group: "offers"},
}

// ids lists the discount IDs of the applied discounts.
func ids(r pricing.Result) []string {
	var out []string
	for _, a := range r.Applied {
		out = append(out, a.DiscountID)
	}
	return out
}

// refusal returns the reason discount id was refused, or "".
func refusal(r pricing.Result, id string) string {
	for _, x := range r.Refused {
		if x.DiscountID == id {
			return x.Reason
		}
	}
	return ""
}

func TestPolicies(t *testing.T) {
	cases := []struct {
		policy   pricing.Policy
		discount int64
		applied  []string
		refused  map[string]string
	}{
		// 750 + 1,000 + 450
		{pricing.Additive, c(2200), []string{"tier", "card", "promo"}, nil},
		// the card alone gives the most
		{pricing.BestOf, c(1000), []string{"card"}, map[string]string{
			"tier":  "another discount gives more: Tools card (1,000.00 vs 750.00)",
			"promo": "another discount gives more: Tools card (1,000.00 vs 450.00)",
		}},
		// tier 750 + the better of card 1,000 / promo 450
		{pricing.ExclusiveGroups, c(1750), []string{"tier", "card"}, map[string]string{
			"promo": "another discount of group offers gives more: Tools card (1,000.00 vs 450.00)",
		}},
	}
	for _, tc := range cases {
		t.Run(string(tc.policy), func(t *testing.T) {
			r := price(t, stackCart, stackDiscounts, tc.policy, pricing.Context{})
			if r.Discount != tc.discount || !slices.Equal(ids(r), tc.applied) {
				t.Fatalf("discount %d applied %v, want %d %v", r.Discount, ids(r), tc.discount, tc.applied)
			}
			for id, want := range tc.refused {
				if got := refusal(r, id); got != want {
					t.Errorf("%s refused %q, want %q", id, got, want)
				}
			}
		})
	}
}

// Under additive the line discounts are capped at the line amount; the
// discount listed first keeps its share.
func TestAdditiveCap(t *testing.T) {
	ds := []pricing.Discount{
		{ID: "a", Kind: pricing.KindPercent, PercentBP: 6000},
		{ID: "b", Kind: pricing.KindPercent, PercentBP: 5000},
		{ID: "c", Kind: pricing.KindPercent, PercentBP: 1000},
	}
	r := price(t, one(c(100)), ds, pricing.Additive, pricing.Context{})
	if r.Discount != c(100) || r.Total != 0 {
		t.Fatalf("discount %d total %d, want the whole line and 0", r.Discount, r.Total)
	}
	if r.Applied[0].Amount != c(60) || r.Applied[1].Amount != c(40) {
		t.Errorf("applied %+v, want 60 then the 40 left", r.Applied)
	}
	if got := refusal(r, "c"); got != "the items it covers are already fully discounted by other discounts" {
		t.Errorf("c refused %q", got)
	}
}

// An exclusive discount and the combination of the others: the customer
// gets whichever is larger, in both directions, and a tie goes to the
// option holding the discount listed first.
func TestExclusiveVersusCombination(t *testing.T) {
	code := func(bp int64) pricing.Discount {
		return pricing.Discount{ID: "CODE", Name: "CODE", Kind: pricing.KindPercent, PercentBP: bp, Exclusive: true}
	}
	half := func(id string) pricing.Discount { // two of them give what code(1000) gives
		return pricing.Discount{ID: id, Kind: pricing.KindPercent, PercentBP: 500}
	}
	cases := []struct {
		name     string
		ds       []pricing.Discount
		discount int64
		applied  []string
		refused  map[string]string
	}{
		{"the code gives more", append(slices.Clone(stackDiscounts), code(2000)), c(3000), []string{"CODE"}, map[string]string{
			"tier":  "not combinable with CODE, which gives more than the other discounts together (3,000.00 vs 2,200.00)",
			"promo": "not combinable with CODE, which gives more than the other discounts together (3,000.00 vs 2,200.00)",
		}},
		{"the combination gives more", append(slices.Clone(stackDiscounts), code(1000)), c(2200), []string{"tier", "card", "promo"}, map[string]string{
			"CODE": "not combinable with other offers; a better combination was chosen (2,200.00 vs 1,500.00)",
		}},
		{"a tie goes to the first listed", []pricing.Discount{code(1000), half("h1"), half("h2")}, c(1500), []string{"CODE"}, map[string]string{
			"h1": "not combinable with CODE, which gives as much as the other discounts together and is listed first (1,500.00 vs 1,500.00)",
		}},
		{"a tie the other way", []pricing.Discount{half("h1"), half("h2"), code(1000)}, c(1500), []string{"h1", "h2"}, map[string]string{
			"CODE": "not combinable with other offers; a combination giving as much and listed first was chosen (1,500.00 vs 1,500.00)",
		}},
		{"two codes", []pricing.Discount{code(1000), {ID: "C2", Kind: pricing.KindPercent, PercentBP: 1200, Exclusive: true}}, c(1800), []string{"C2"}, map[string]string{
			"CODE": "not combinable with other offers; C2 gives more (1,800.00 vs 1,500.00)",
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := price(t, stackCart, tc.ds, pricing.Additive, pricing.Context{})
			if r.Discount != tc.discount || !slices.Equal(ids(r), tc.applied) {
				t.Fatalf("discount %d applied %v, want %d %v; refused %+v", r.Discount, ids(r), tc.discount, tc.applied, r.Refused)
			}
			for id, want := range tc.refused {
				if got := refusal(r, id); got != want {
					t.Errorf("%s refused %q, want %q", id, got, want)
				}
			}
		})
	}
}

// Odd amounts: a percent floors on each line; an order discount is floored
// on the order and spread by largest remainder so the lines sum to it.
func TestRounding(t *testing.T) {
	lines := []pricing.Line{
		{Ref: "a", SKU: "A", Qty: 1, UnitPrice: 101},
		{Ref: "b", SKU: "B", Qty: 1, UnitPrice: 102},
		{Ref: "c", SKU: "C", Qty: 1, UnitPrice: 103},
	}
	pct := pricing.Discount{ID: "p", Kind: pricing.KindPercent, PercentBP: 999}
	r := price(t, lines, []pricing.Discount{pct}, pricing.BestOf, pricing.Context{})
	// 10.0899, 10.1898, 10.2897
	if got := lineDiscounts(r); !slices.Equal(got, []int64{10, 10, 10}) {
		t.Errorf("percent: line discounts %v, want each floored to 10", got)
	}
	thr := pricing.Discount{ID: "t", Kind: pricing.KindOrderThreshold, Steps: []pricing.Step{{From: 1, PercentBP: 1000}}}
	r = price(t, lines, []pricing.Discount{thr}, pricing.BestOf, pricing.Context{})
	// 30.6 floors to 30; shares 9.90, 10.0, 10.098: the left-over unit goes to a.
	if r.Discount != 30 || !slices.Equal(lineDiscounts(r), []int64{10, 10, 10}) {
		t.Errorf("threshold: discount %d lines %v, want 30 as 10+10+10", r.Discount, lineDiscounts(r))
	}
	lines = append(lines, pricing.Line{Ref: "d", SKU: "D", Qty: 7, UnitPrice: 13})
	r = price(t, lines, []pricing.Discount{thr}, pricing.BestOf, pricing.Context{})
	// 397 → 39; shares 9.92, 10.02, 10.12, 9.17 floor to 9+10+10+9 = 38: a (0.92) gets the unit.
	if r.Discount != 39 || !slices.Equal(lineDiscounts(r), []int64{10, 10, 10, 9}) {
		t.Errorf("threshold: discount %d lines %v, want 39 as 10+10+10+9", r.Discount, lineDiscounts(r))
	}
}

// A scope restricts by every non-empty list; exclusions win.
func TestScope(t *testing.T) {
	lines := []pricing.Line{
		{Ref: "1", SKU: "A", Category: "tools", Brand: "acme", Qty: 1, UnitPrice: c(100)},
		{Ref: "2", SKU: "B", Category: "tools", Brand: "other", Qty: 1, UnitPrice: c(100)},
		{Ref: "3", SKU: "C", Category: "paint", Brand: "acme", Qty: 1, UnitPrice: c(100)},
		{Ref: "4", SKU: "E", Category: "tools", Brand: "acme", Qty: 1, UnitPrice: c(100)},
	}
	d := pricing.Discount{ID: "s", Kind: pricing.KindPercent, PercentBP: 1000, Scope: pricing.Scope{
		Categories: []string{"tools"}, Brands: []string{"acme"}, ExcludeSKUs: []string{"E"}}}
	r := price(t, lines, []pricing.Discount{d}, pricing.Additive, pricing.Context{})
	if got := lineDiscounts(r); !slices.Equal(got, []int64{c(10), 0, 0, 0}) {
		t.Errorf("line discounts %v, want only the Acme tool not excluded", got)
	}
	d.Scope = pricing.Scope{SKUs: []string{"Z"}}
	r = price(t, lines, []pricing.Discount{d}, pricing.Additive, pricing.Context{})
	if got := refusal(r, "s"); got != "no eligible items" {
		t.Errorf("refused %q, want no eligible items", got)
	}
	// An order threshold on a scope compares the eligible amount only.
	thr := pricing.Discount{ID: "t", Kind: pricing.KindOrderThreshold, Steps: []pricing.Step{{From: c(250), PercentBP: 500}},
		Scope: pricing.Scope{Categories: []string{"tools"}}}
	r = price(t, lines[:3], []pricing.Discount{thr}, pricing.Additive, pricing.Context{})
	if want := "eligible amount of 200.00 is below 250.00 (50.00 to go for 5%)"; refusal(r, "t") != want {
		t.Errorf("refused %q, want %q", refusal(r, "t"), want)
	}
}

// Under best_of an exclusive discount competes with the single best of
// the others.
func TestExclusiveUnderBestOf(t *testing.T) {
	code := pricing.Discount{ID: "CODE", Name: "CODE", Kind: pricing.KindPercent, PercentBP: 2000, Exclusive: true}
	r := price(t, stackCart, append(slices.Clone(stackDiscounts), code), pricing.BestOf, pricing.Context{})
	if r.Discount != c(3000) || !slices.Equal(ids(r), []string{"CODE"}) {
		t.Fatalf("discount %d applied %v, want CODE alone", r.Discount, ids(r))
	}
	for id, want := range map[string]string{
		"card": "not combinable with CODE, which gives more (3,000.00 vs 1,000.00)",
		"tier": "another discount gives more: Tools card (1,000.00 vs 750.00)",
	} {
		if got := refusal(r, id); got != want {
			t.Errorf("%s refused %q, want %q", id, got, want)
		}
	}
}
