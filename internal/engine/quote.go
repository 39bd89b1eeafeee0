package engine

import (
	"fmt"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Cart is what a quote prices.
type Cart struct {
	Currency string
	Lines    []Line
	// Codes are promo-code discounts already resolved by their campaigns.
	Codes []pricing.Discount
	// Coupons are the participant's coupons the customer uses, checked as
	// valid by their holder (ingestion).
	Coupons []CouponUse
	// PointsToSpend asks to pay part of the order with points; Balance is
	// what the paying wallet has available.
	PointsToSpend int64
	Balance       int64
}

// QuoteResult is a priced cart with its reasons.
type QuoteResult struct {
	ProgramID     string               `json:"program_id"`
	Version       int                  `json:"version"`
	Currency      string               `json:"currency"`
	Subtotal      int64                `json:"subtotal"`
	Discount      int64                `json:"discount"`
	PointsUsed    int64                `json:"points_used"`
	PointsPayment int64                `json:"points_payment"` // money the points pay
	Total         int64                `json:"total"`          // to pay in money
	Lines         []pricing.LineResult `json:"lines"`
	Applied       []pricing.Applied    `json:"discounts"`
	Refused       []pricing.Refused    `json:"not_applied"`
	PointsToEarn  int64                `json:"points_to_earn"`
	PointsOnOrder int64                `json:"points_on_order"`
	PointsNote    string               `json:"points_note,omitempty"`
	Earns         []Earn               `json:"earns"`
	Tier          string               `json:"tier,omitempty"`
	Reasons       []string             `json:"reasons"`
}

// Quote prices a cart for a participant at a time: the discounts the
// program gives under its stacking policy, the points payment and the
// points the order would earn. It changes nothing.
func Quote(p *Program, ps ProgramState, part Participant, cart Cart, now time.Time) (QuoteResult, error) {
	if cart.Currency != p.Def.Currency {
		return QuoteResult{}, errs.InvalidField("currency", "currency_mismatch", "the cart is in %q but the program runs in %s", cart.Currency, p.Def.Currency)
	}
	settleOverride(p.Def.Tiers, &part.OrgState, now) // on the quote's copy
	q := QuoteResult{ProgramID: p.ID, Version: p.Version, Currency: p.Def.Currency, Tier: part.OrgState.Tier}
	lines := make([]pricing.Line, len(cart.Lines))
	for i, l := range cart.Lines {
		lines[i] = pricing.Line{Ref: strconv.Itoa(i), SKU: l.SKU, Category: l.Category, Brand: l.Brand, Qty: l.Qty, UnitPrice: l.UnitPrice, OnSale: l.OnSale}
	}
	ds, refused, ctx, err := resolveDiscounts(p, &part, cart, now)
	if err != nil {
		return QuoteResult{}, err
	}
	ds = append(ds, planDiscounts(part.Plans)...)
	ds = append(ds, cart.Codes...)
	for _, u := range cart.Coupons {
		d, why := CouponDiscount(u, cart.Lines)
		if why != "" {
			refused = append(refused, pricing.Refused{DiscountID: d.ID, Name: d.Name, Reason: why})
			continue
		}
		ds = append(ds, d)
	}
	res, err := pricing.Price(lines, ds, p.Def.Stacking, ctx, 2)
	if err != nil {
		return QuoteResult{}, err // its fields already name lines[i] and discounts[i]
	}
	q.Subtotal, q.Discount, q.Total = res.Subtotal, res.Discount, res.Total
	q.Lines, q.Applied, q.Refused = res.Lines, res.Applied, append(refused, res.Refused...)
	if err := q.payWithPoints(p, cart); err != nil {
		return QuoteResult{}, err
	}
	if err := q.earn(p, ps, part, cart, now); err != nil {
		return QuoteResult{}, err
	}
	if err := q.onOrder(p, ps, part, cart, now); err != nil {
		return QuoteResult{}, err
	}
	q.Applied, q.Refused, q.Earns, q.Reasons = nonNil(q.Applied), nonNil(q.Refused), nonNil(q.Earns), nonNil(q.Reasons)
	return q, nil
}

// nonNil makes an empty list encode as [] rather than null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// resolveDiscounts turns the program's discounts into pricing discounts
// for this participant now: those whose condition fails are refused with
// it, cards and cumulative rates come from state, the tier's discount is
// added, and the rest are as configured.
func resolveDiscounts(p *Program, part *Participant, cart Cart, now time.Time) ([]pricing.Discount, []pricing.Refused, pricing.Context, error) {
	var out []pricing.Discount
	var refused []pricing.Refused
	st := &part.OrgState
	ctx := pricing.Context{PriorQty: map[string]int64{}}
	var vars *varsCache
	for i, d := range p.Def.Discounts {
		pd := d.Discount
		if p.conds != nil && p.conds[i] != nil {
			if vars == nil {
				vars = &varsCache{}
				vars.build(&Event{Type: Order, Currency: cart.Currency, OccurredAt: now, Lines: cart.Lines}, part, st)
			}
			ok, err := p.conds[i].Bool(&vars.vars)
			if err != nil {
				return nil, nil, ctx, errs.E(errs.Invalid, "rule_eval_failed", "discount %q (condition) failed on this cart: %s", d.ID, message(err)).Wrap(err)
			}
			if !ok {
				refused = append(refused, pricing.Refused{DiscountID: d.ID, Name: d.Name, Reason: "condition not met: " + d.Condition})
				continue
			}
		}
		switch d.Kind {
		case KindCard:
			if !st.Cards[d.ID] {
				refused = append(refused, pricing.Refused{DiscountID: d.ID, Name: d.Name,
					Reason: fmt.Sprintf("no card yet: a purchase of at least %s issues it", formatMoney(d.EntryThreshold))})
				continue
			}
			pd.Kind = pricing.KindPercent
		case KindCumulative:
			lv, why := cumulativeLevel(&d, st, now)
			if lv == 0 {
				refused = append(refused, pricing.Refused{DiscountID: d.ID, Name: d.Name, Reason: why})
				continue
			}
			pd.Kind, pd.PercentBP, pd.Reason = pricing.KindPercent, d.Steps[lv-1].PercentBP, why
		case pricing.KindQuantityBrackets:
			ctx.PriorQty[d.ID] = st.bracketQty(d.ID, now)
		case pricing.KindAmountBrackets:
			if ctx.PriorAmount == nil {
				ctx.PriorAmount = map[string]int64{}
			}
			ctx.PriorAmount[d.ID] = st.bracketQty(d.ID, now)
		}
		out = append(out, pd)
	}
	if t := p.Def.Tiers; t != nil {
		if lv := t.Levels[levelIndex(t, st.Tier)]; lv.DiscountBP > 0 {
			out = append(out, pricing.Discount{ID: "tier:" + lv.Code, Name: lv.Name + " tier", Kind: pricing.KindPercent, PercentBP: lv.DiscountBP})
		}
	}
	return out, refused, ctx, nil
}

// payWithPoints applies the points payment within the program's cap and
// the wallet's balance.
func (q *QuoteResult) payWithPoints(p *Program, cart Cart) error {
	if cart.PointsToSpend < 0 {
		return errs.InvalidField("points_to_spend", "negative", "points_to_spend must not be negative")
	}
	if cart.PointsToSpend == 0 {
		return nil
	}
	pp := p.Def.PointsPayment
	if pp == nil {
		q.Reasons = append(q.Reasons, "this program does not let points pay for orders")
		return nil
	}
	max, err := maxPointsPayment(p, q.Total)
	if err != nil {
		return err
	}
	use := min(cart.PointsToSpend, cart.Balance, max)
	value, err := pointsValue(p.Value, use)
	if err != nil {
		return err
	}
	q.PointsUsed, q.PointsPayment = use, value
	q.Total -= value
	q.Reasons = append(q.Reasons, fmt.Sprintf("%d points pay %s (asked %d, available %d, at most %d: %s of the order)",
		use, formatMoney(value), cart.PointsToSpend, cart.Balance, max, percent(pp.MaxShareBP)))
	return nil
}

// earn evaluates the order as an invoice at its net prices to tell the
// points it would earn.
func (q *QuoteResult) earn(p *Program, ps ProgramState, part Participant, cart Cart, now time.Time) error {
	ev := Event{Type: Invoice, Currency: cart.Currency, OccurredAt: now, Lines: make([]Line, len(cart.Lines))}
	for i, l := range cart.Lines {
		ev.Lines[i] = l
		ev.Lines[i].Amount = q.Lines[i].Net
	}
	out, err := Evaluate(p, ps, part, &ev)
	if err != nil {
		return err
	}
	q.Earns = out.Earns
	q.PointsToEarn = out.Points()
	if out.Status != Applied {
		q.Reasons = append(q.Reasons, "no points: "+out.Reason)
	}
	q.Reasons = append(q.Reasons, out.Notes...)
	return nil
}

// planDiscounts are the discounts of the paid memberships active now.
func planDiscounts(plans []Plan) []pricing.Discount {
	var out []pricing.Discount
	for _, pl := range plans {
		if pl.DiscountBP > 0 {
			out = append(out, pricing.Discount{ID: "plan:" + pl.Code, Name: pl.Name + " membership", Kind: pricing.KindPercent, PercentBP: pl.DiscountBP})
		}
	}
	return out
}
