package pricing

import (
	"fmt"
	"math"
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// maxDecimals bounds currencyDecimals: no currency has more, and 10^8 keeps
// formatting far from overflow.
const maxDecimals = 8

// Validate checks a discount's configuration and returns an errs.Invalid
// error naming every wrong field (e.g. "steps[1].from"), or nil.
func Validate(d Discount) error {
	var f errs.Fields
	validate(&d, &f)
	return f.Err()
}

// validate records what is wrong with d in f. Fields a kind does not use
// are ignored, not refused: callers derive discounts from richer
// configurations (a cumulative discount resolved to its current percent
// keeps its steps), and the engine checks its own configuration.
func validate(d *Discount, f *errs.Fields) {
	if d.ID == "" {
		f.Add("id", "required", "a discount needs an id")
	}
	switch d.Kind {
	case KindPercent, KindNthItem:
		if badRate(d.PercentBP) {
			f.Add("percent_bp", "out_of_range", "%s", rateRange)
		}
		if d.Kind == KindNthItem && d.N < 2 {
			f.Add("n", "out_of_range", "n must be at least 2 (every n-th identical unit is discounted)")
		}
		if d.Kind == KindNthItem && d.Over != "" && d.Over != OverItem && d.Over != OverScope {
			f.Add("over", "invalid_choice", "over is item (identical units) or scope (every unit in scope, the cheapest discounted)")
		}
	case KindOrderThreshold, KindQuantityBrackets, KindAmountBrackets:
		checkSteps(f, d.Steps)
	case KindFixed:
		if d.Amount <= 0 {
			f.Add("amount", "out_of_range", "amount must be positive (minor units)")
		}
	case "":
		f.Add("kind", "required", "a discount needs a kind: percent, order_threshold, quantity_brackets, amount_brackets, nth_item or fixed_amount")
	default:
		f.Add("kind", "unknown", "unknown kind %q; use percent, order_threshold, quantity_brackets, amount_brackets, nth_item or fixed_amount", d.Kind)
	}
	if d.MinOrder < 0 {
		f.Add("min_order", "out_of_range", "min_order must not be negative")
	}
	checkScope(f, &d.Scope)
}

// rateRange is the message for a rate outside 0..100%.
const rateRange = "the rate must be between 0 and 10000 (basis points, 10000 = 100%)"

// badRate reports a rate outside 0..100%.
func badRate(bp int64) bool { return bp < 0 || bp > 10000 }

// checkSteps records empty, non-positive or non-ascending steps: with them
// "the highest step reached" and "the bracket of a unit" are undefined.
func checkSteps(f *errs.Fields, steps []Step) {
	if len(steps) == 0 {
		f.Add("steps", "required", "at least one step is needed")
	}
	for i, s := range steps {
		if s.From <= 0 {
			f.Add(fmt.Sprintf("steps[%d].from", i), "out_of_range", "from must be positive")
		} else if i > 0 && s.From <= steps[i-1].From {
			f.Add(fmt.Sprintf("steps[%d].from", i), "not_ascending", "from must be greater than the previous step's (%d)", steps[i-1].From)
		}
		if badRate(s.PercentBP) {
			f.Add(fmt.Sprintf("steps[%d].percent_bp", i), "out_of_range", "%s", rateRange)
		}
	}
}

// checkScope records empty names, which match nothing a caller means.
func checkScope(f *errs.Fields, s *Scope) {
	lists := [...]struct {
		name string
		vals []string
	}{
		{"skus", s.SKUs}, {"categories", s.Categories}, {"brands", s.Brands},
		{"exclude_skus", s.ExcludeSKUs}, {"exclude_categories", s.ExcludeCategories},
	}
	for _, l := range lists {
		for i, v := range l.vals {
			if v == "" {
				f.Add(fmt.Sprintf("scope.%s[%d]", l.name, i), "required", "an empty name matches nothing; remove it")
			}
		}
	}
}

// init checks everything Price is given and computes the line amounts.
// Every wrong field is reported at once, so that a caller fixes them in one
// go.
func (p *pricer) init(lines []Line, ds []Discount, policy Policy, c Context, dec int) error {
	var f errs.Fields
	switch policy {
	case BestOf, Additive, ExclusiveGroups:
	default:
		f.Add("policy", "unknown", "unknown policy %q; use best_of, additive or exclusive_groups", policy)
	}
	if dec < 0 || dec > maxDecimals {
		f.Add("currency_decimals", "out_of_range", "currency_decimals must be between 0 and %d", maxDecimals)
	}
	n := len(lines)
	*p = pricer{lines: lines, dec: dec, prior: c.PriorQty, priorAmt: c.PriorAmount}
	// One backing for every per-line number: the amounts, each offer's per
	// and aux, and the spread's remainders (see offers).
	p.ints = make([]int64, n*(2+2*len(ds)))
	p.amounts, p.rem = p.ints[:n:n], p.ints[len(p.ints)-n:]
	p.subtotal = lineAmounts(&f, lines, p.amounts)
	checkDiscounts(&f, ds)
	checkPrior(&f, "prior_qty", c.PriorQty)
	checkPrior(&f, "prior_amount", c.PriorAmount)
	return f.Err()
}

// checkPrior records negative prior quantities, in ID order so that the
// error is the same on every call.
func checkPrior(f *errs.Fields, name string, prior map[string]int64) {
	var bad []string
	for id, q := range prior {
		if q < 0 {
			bad = append(bad, id)
		}
	}
	slices.Sort(bad)
	for _, id := range bad {
		f.Add(fmt.Sprintf("context.%s[%s]", name, id), "out_of_range", "prior quantities and amounts must not be negative")
	}
}

// lineAmounts sets amounts to Qty*UnitPrice of each line and returns their
// sum, recording bad lines in f. A product or a sum that does not fit in
// int64 is an input error, never a wrapped-around amount.
func lineAmounts(f *errs.Fields, lines []Line, amounts []int64) int64 {
	var sum int64
	for i, l := range lines {
		switch {
		case l.Qty <= 0:
			f.Add(fmt.Sprintf("lines[%d].qty", i), "out_of_range", "qty must be positive")
		case l.UnitPrice < 0:
			f.Add(fmt.Sprintf("lines[%d].unit_price", i), "out_of_range", "unit_price must not be negative")
		case l.UnitPrice > 0 && l.Qty > math.MaxInt64/l.UnitPrice:
			f.Add(fmt.Sprintf("lines[%d].qty", i), "out_of_range", "qty × unit_price is too large for an amount")
		default:
			amounts[i] = l.Qty * l.UnitPrice
			if sum > math.MaxInt64-amounts[i] {
				f.Add(fmt.Sprintf("lines[%d].qty", i), "out_of_range", "the cart total is too large for an amount")
				return 0
			}
			sum += amounts[i]
		}
	}
	return sum
}

// checkDiscounts validates each discount under its index and rejects
// duplicate IDs, which would make PriorQty and the result ambiguous.
func checkDiscounts(f *errs.Fields, ds []Discount) {
	for i := range ds {
		var one errs.Fields // cheap check first: naming the fields costs allocations
		if validate(&ds[i], &one); one.Len() > 0 {
			sub := f.Under(fmt.Sprintf("discounts[%d].", i))
			validate(&ds[i], sub)
			f.Merge(sub)
		}
		for j := range i {
			if ds[i].ID != "" && ds[j].ID == ds[i].ID {
				f.Add(fmt.Sprintf("discounts[%d].id", i), "duplicate", "id %q is already used by discounts[%d]", ds[i].ID, j)
				break
			}
		}
	}
}
