// Package pricing computes the discounts of a cart under a program's
// discount mechanics and stacking policy, line by line and for the order,
// each with a human-readable reason. It is pure: no I/O, no time, no
// randomness; the same input always gives the same result.
//
// Money is int64 minor currency units; rates are basis points (10000 =
// 100%). Every discount amount is rounded down (floor) per line, so a
// discount never exceeds its stated rate and rounding always favours the
// seller by less than one minor unit per line. The one order-level
// mechanics (order_threshold, fixed_amount) are computed once on the eligible order amount
// and then spread over the eligible lines proportionally by largest
// remainder, so its line shares sum exactly to it.
package pricing

// Discount kinds.
const (
	KindPercent          = "percent"           // PercentBP off each eligible line
	KindOrderThreshold   = "order_threshold"   // the step reached by the eligible order amount, on that amount
	KindQuantityBrackets = "quantity_brackets" // incremental: each unit at the rate of its bracket over the period
	KindAmountBrackets   = "amount_brackets"   // incremental in money: each part of the spend at the rate of its bracket over the period
	KindNthItem          = "nth_item"          // every N-th identical unit (or unit in scope) at PercentBP off
	KindFixed            = "fixed_amount"      // Amount off the eligible amount, spread over the eligible lines
)

// Policy says how the discounts that apply to a cart stack.
type Policy string

// Stacking policies.
const (
	BestOf          Policy = "best_of"          // only the single discount giving the most
	Additive        Policy = "additive"         // all, each on the gross line amount, capped per line
	ExclusiveGroups Policy = "exclusive_groups" // the best of each Group, additive across groups
)

// Line is one line of a cart. Its amount is Qty*UnitPrice.
type Line struct {
	Ref       string // the caller's reference, echoed in the result
	SKU       string
	Category  string
	Brand     string
	Qty       int64 // positive
	UnitPrice int64 // minor units, not negative; zero is allowed (the caller decides)
	OnSale    bool
}

// Scope selects the lines a discount applies to. Each non-empty include
// list must match (a line in Categories {"tools"} and Brands {"acme"} is an
// Acme tool); an empty list matches everything. Exclusions win over
// inclusions.
type Scope struct {
	SKUs              []string `json:"skus,omitempty"`
	Categories        []string `json:"categories,omitempty"`
	Brands            []string `json:"brands,omitempty"`
	ExcludeSKUs       []string `json:"exclude_skus,omitempty"`
	ExcludeCategories []string `json:"exclude_categories,omitempty"`
	ExcludeOnSale     bool     `json:"exclude_on_sale,omitempty"`
}

// Step is one step of an order_threshold (From = eligible order amount in
// minor units), one bracket of quantity_brackets (From = first unit
// number of the bracket, 1-based, counted over the period) or one bracket
// of amount_brackets (From = the spend over the period above which the
// rate applies, minor units).
type Step struct {
	From      int64 `json:"from"`
	PercentBP int64 `json:"percent_bp"`
}

// Discount is one discount configured in a program, a tier, a card or a
// promo code.
type Discount struct {
	ID        string `json:"id"`
	Name      string `json:"name,omitempty"`
	Kind      string `json:"kind"`                 // one of the Kind constants
	Group     string `json:"group,omitempty"`      // exclusive group under ExclusiveGroups; "" = a group of its own
	Exclusive bool   `json:"exclusive,omitempty"`  // never combined with any other discount ("not combinable with other offers")
	PercentBP int64  `json:"percent_bp,omitempty"` // percent, nth_item
	Steps     []Step `json:"steps,omitempty"`      // order_threshold, quantity_brackets; From strictly ascending
	N         int64  `json:"n,omitempty"`          // nth_item: every N-th identical unit (same SKU and unit price) is discounted
	// Over is what nth_item counts: "item" (default: identical units) or
	// "scope" (every unit in scope together, the cheapest discounted).
	Over     string `json:"over,omitempty"`
	Amount   int64  `json:"amount,omitempty"`    // fixed_amount: minor units off, at most the eligible amount
	MinOrder int64  `json:"min_order,omitempty"` // applies only when the eligible amount is at least this (entry threshold, codes)
	Scope    Scope  `json:"scope,omitempty"`
	Reason   string `json:"reason,omitempty"` // optional prefix of the reasons, e.g. "Gold tier"; Name is used when empty
}

// Context is what the cart alone does not say.
type Context struct {
	// PriorQty is, by discount ID, the units already bought in the period
	// of a quantity_brackets discount; this cart's units are numbered after
	// them.
	PriorQty map[string]int64
	// PriorAmount is, by discount ID, the amount in scope already bought in
	// the period of an amount_brackets discount; this cart's amounts count
	// after it.
	PriorAmount map[string]int64
}

// LineResult is one cart line after discounts: Net = Amount - Discount.
type LineResult struct {
	Ref      string   `json:"-"`
	Line     int      `json:"line" doc:"The line's position in the cart, from 0, as an event's earns name lines"`
	Amount   int64    `json:"amount"`
	Discount int64    `json:"discount"`
	Net      int64    `json:"net"`
	Reasons  []string `json:"reasons"` // one per discount that took something off this line
}

// Applied is a discount that took Amount off the cart.
type Applied struct {
	DiscountID string `json:"discount_id"`
	Name       string `json:"name"`
	Amount     int64  `json:"amount"`
	Reason     string `json:"reason"`
}

// Refused is a discount that did not apply, and why.
type Refused struct {
	DiscountID string `json:"discount_id"`
	Name       string `json:"name"`
	Reason     string `json:"reason"`
}

// Result is a priced cart: Total = Subtotal - Discount, Discount is the sum
// of the line discounts and of the Applied amounts. Applied and Refused
// follow the order of the discounts given.
type Result struct {
	Subtotal, Discount, Total int64
	Lines                     []LineResult
	Applied                   []Applied
	Refused                   []Refused
}

// Price computes the discounts of lines under ds and policy. Wrong input
// (a bad line, a badly configured discount, an unknown policy) is an
// errs.Invalid error naming every wrong field; nothing is priced then.
func Price(lines []Line, ds []Discount, policy Policy, c Context, currencyDecimals int) (Result, error) {
	var p pricer
	if err := p.init(lines, ds, policy, c, currencyDecimals); err != nil {
		return Result{}, err
	}
	rest, excl, err := p.offers(ds)
	if err != nil {
		return Result{}, err
	}
	won := p.stack(rest, excl, policy)
	return p.result(won), nil
}
