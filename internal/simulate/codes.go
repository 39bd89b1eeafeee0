package simulate

import (
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/promo"
)

// Code is a promo code the history's orders carry, with its campaign (and,
// for a personal code, its owner and end).
type Code struct {
	Code     promo.Code
	Campaign promo.Campaign
}

// CodeTotals count the promo codes the replayed orders used.
type CodeTotals struct {
	Used     int64 `json:"used"`
	Discount int64 `json:"discount"`     // what the codes took off, each priced alone
	Bonus    int64 `json:"bonus_points"` // bonus_points codes credited
	Ignored  int64 `json:"ignored"`      // codes that give nothing to this variant (another program, out of window)
}

// offers are what the codes of an invoice or order give under the
// variant's program in force (live checks them as promo.Evaluate does,
// and enforced usage limits and budgets when it accepted the order).
func (r *runner) offers(v *engine.Program, ev *Event) []promo.Offer {
	if len(ev.Codes) == 0 || ev.Type != engine.Invoice && ev.Type != engine.Order {
		return nil
	}
	var progs []string
	if v != nil {
		progs = []string{v.ID}
	}
	out := make([]promo.Offer, 0, len(ev.Codes))
	for _, c := range ev.Codes {
		sc, ok := r.in.Codes[c]
		if !ok {
			out = append(out, promo.Offer{})
			continue
		}
		o, why := promo.Evaluate(sc.Campaign, sc.Code, ev.Org, progs, ev.Lines, ev.OccurredAt)
		if why != "" {
			o = promo.Offer{}
		}
		out = append(out, o)
	}
	return out
}

// codeDiscounts are the offers' discounts, for the quote.
func codeDiscounts(os []promo.Offer) []pricing.Discount {
	var out []pricing.Discount
	for _, o := range os {
		if o.Discount != nil {
			out = append(out, *o.Discount)
		}
	}
	return out
}

// useCodes counts the codes an order used and credits bonus points to its
// organization, as the promo hook does after the program's points.
func (r *runner) useCodes(ev *Event, os []promo.Offer) {
	for _, o := range os {
		switch {
		case o.Discount == nil && !o.Bonus:
			r.codes.Ignored++
		case o.Bonus:
			r.codes.Used++
			r.codes.Bonus += o.Value
			owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: ev.Org}
			r.redeemLater(r.bk.credit(owner, o.Value, ev.OccurredAt, nil, nil))
			r.sums.Add(&r.stat(r.org(ev), ev).points, o.Value)
		default:
			r.codes.Used++
			r.codes.Discount += o.Value
		}
	}
}
