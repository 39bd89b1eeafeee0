// Package economics answers the questions a program manager asks before
// choosing a mechanic (DOMAIN §8.3, §8.4, §8.11): what a discount costs
// against a bonus of the same rate, how much more must be sold to pay for
// a discount, and after how much spend a paid membership pays off. It is
// pure arithmetic on integer minor units and basis points, with explicit
// rounding (half up for shares, up for break-even amounts).
package economics

import (
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// maxAmount bounds inputs so that every product below fits in an int64.
const maxAmount = 1e13

// DiscountCost is one purchase with a discount.
type DiscountCost struct {
	Cost            int64 `json:"cost"`               // the discount given
	Margin          int64 `json:"margin"`             // the margin before it
	MarginLeft      int64 `json:"margin_left"`        // the margin after it
	ShareOfMarginBP int64 `json:"share_of_margin_bp"` // cost / margin
}

// BonusCost is a bonus earned on a first purchase and spent on an
// identical second one.
type BonusCost struct {
	Cost            int64 `json:"cost"`   // the bonus spent on the second purchase
	Margin          int64 `json:"margin"` // the margin of both purchases
	MarginLeft      int64 `json:"margin_left"`
	ShareOfMarginBP int64 `json:"share_of_margin_bp"`
	Liability       int64 `json:"liability"` // the bonus the second purchase earns, still owed
}

// Comparison is a discount against a bonus of the same rate.
type Comparison struct {
	Discount DiscountCost `json:"discount"`
	Bonus    BonusCost    `json:"bonus"`
	Summary  []string     `json:"summary"`
}

// CompareDiscountBonus compares a discount of rateBP on a purchase of
// price (with margin) against a bonus of the same rate (DOMAIN §8.3: item
// 9,000, margin 2,700, 5% → the discount costs 16.7% of the margin, the
// bonus 8.3%, and leaves 450 of liability).
func CompareDiscountBonus(price, margin, rateBP int64) (Comparison, error) {
	if err := checkSale(price, margin, rateBP); err != nil {
		return Comparison{}, err
	}
	cost, err := money.MulDiv(price, rateBP, 10000, money.HalfUp)
	if err != nil {
		return Comparison{}, err
	}
	var c Comparison
	c.Discount = DiscountCost{Cost: cost, Margin: margin, MarginLeft: margin - cost, ShareOfMarginBP: share(cost, margin)}
	c.Bonus = BonusCost{Cost: cost, Margin: 2 * margin, MarginLeft: 2*margin - cost, ShareOfMarginBP: share(cost, 2*margin), Liability: cost}
	c.Summary = []string{
		"A " + pct(rateBP) + " discount costs " + amt(cost) + ", " + tenths(cost, margin) + " of the margin of " + amt(margin) + " (margin left " + amt(margin-cost) + ").",
		"A " + pct(rateBP) + " bonus on the first purchase, spent on an identical second one, costs " + amt(cost) + " over a margin of " + amt(2*margin) +
			", " + tenths(cost, 2*margin) + " (margin left " + amt(2*margin-cost) + "); the second purchase earns another " + amt(cost) + ", which is outstanding liability.",
	}
	return c, nil
}

// VolumeNeeded is how much sales must grow to keep the same profit after a
// discount.
type VolumeNeeded struct {
	Discount    int64    `json:"discount"`     // per unit
	MarginAfter int64    `json:"margin_after"` // per unit
	GrowthBP    int64    `json:"growth_bp"`    // margin / margin after − 1
	Summary     []string `json:"summary"`
}

// DiscountVolume is DOMAIN §8.4: price 100, margin 45, 10% off leaves 35;
// sales must grow by 45/35 − 1 = 28.6% to keep the same profit.
func DiscountVolume(price, margin, rateBP int64) (VolumeNeeded, error) {
	if err := checkSale(price, margin, rateBP); err != nil {
		return VolumeNeeded{}, err
	}
	d, err := money.MulDiv(price, rateBP, 10000, money.HalfUp)
	if err != nil {
		return VolumeNeeded{}, err
	}
	after := margin - d
	if after <= 0 {
		return VolumeNeeded{}, errs.InvalidField("rate_bp", "discount_exceeds_margin",
			"a %s discount (%s) takes the whole margin of %s: no sales growth pays for it", pct(rateBP), amt(d), amt(margin))
	}
	v := VolumeNeeded{Discount: d, MarginAfter: after, GrowthBP: share(margin, after) - 10000}
	v.Summary = []string{"A " + pct(rateBP) + " discount leaves a margin of " + amt(after) + " of " + amt(margin) +
		" per unit: sales must grow by " + amt(margin) + "/" + amt(after) + " − 1 = " + pctTenths(v.GrowthBP) + " to keep the same profit."}
	return v, nil
}

// MembershipBreakEven is DOMAIN §8.11: the full-price spend at which a
// discount of discountBP has saved a fee (220 for 50% off → 440), rounded
// up to the minor unit.
func MembershipBreakEven(fee, discountBP int64) (int64, error) {
	var f errs.Fields
	if fee <= 0 || fee > maxAmount {
		f.Add("fee", "out_of_range", "fee is a positive amount in minor units")
	}
	if discountBP <= 0 || discountBP > 10000 {
		f.Add("discount_bp", "out_of_range", "discount_bp is 1–10000 (5000 is 50%%)")
	}
	if err := f.Err(); err != nil {
		return 0, err
	}
	return money.MulDiv(fee, 10000, discountBP, money.Ceil)
}

func checkSale(price, margin, rateBP int64) error {
	var f errs.Fields
	if price <= 0 || price > maxAmount {
		f.Add("price", "out_of_range", "price is a positive amount in minor units (900000 is 9,000.00)")
	}
	if margin <= 0 || margin > price {
		f.Add("margin", "out_of_range", "margin is a positive amount in minor units, at most the price")
	}
	if rateBP <= 0 || rateBP > 10000 {
		f.Add("rate_bp", "out_of_range", "rate_bp is 1–10000 (500 is 5%%)")
	}
	return f.Err()
}

// share is a/b in basis points, half up.
func share(a, b int64) int64 {
	n, _ := money.MulDiv(a, 10000, b, money.HalfUp) // a, b ≤ 2e13: a×10000 fits
	return n
}

func amt(v int64) string  { return string(money.AppendAmount(nil, v, 2)) }
func pct(bp int64) string { return string(money.AppendPercent(nil, bp)) }
func pctTenths(bp int64) string {
	t, _ := money.MulDiv(bp, 1, 10, money.HalfUp)
	return string(money.AppendPercent(nil, t*10))
}

// tenths is a/b as a percentage with one decimal: 450/2700 is "16.7%".
func tenths(a, b int64) string { return pctTenths(share(a, b)) }

// BreakEvenSummary says in words what MembershipBreakEven computed.
func BreakEvenSummary(fee, discountBP, breakEven int64) string {
	return "A fee of " + amt(fee) + " for " + pct(discountBP) + " off pays off after " + amt(breakEven) + " of full-price spend."
}
