package simulate

import (
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// ret replays a return as ingestion's applyReturn: the original must be a
// purchase of the same organization received before; the program takes
// back the returned share of what it earned, from the lots the original
// created, under its return policy.
func (r *runner) ret(ev *Event, org Org) {
	inv := r.invoices[ev.Source+"\x00"+ev.Original]
	switch {
	case inv == nil:
		r.refused["unknown_original"]++ // never received, or before the simulated range
		return
	case !engine.Purchase(inv.ev.Type) || inv.org != ev.Org:
		r.refused["not_returnable"]++
		return
	}
	if _, err := engine.MatchReturn(&ev.Event, inv.original(false)); err != nil {
		r.refuse(err)
		return
	}
	if err := r.returnIn(ev, org, inv); err != nil {
		r.refuse(err)
		return
	}
	r.restoreCoupons(inv, ev, ev.OccurredAt)
	r.countGoals(ev, inv.ev)
	amount, margin := r.value(ev.Lines, inv.ev.Lines)
	r.sums.Sub(&r.tot.Revenue, amount)
	r.sums.Sub(&r.tot.Margin, margin)
	r.sums.Sub(&r.stat(org, ev).revenue, amount)
	r.history(ev.Org).Add(ev.OccurredAt, amount, quantity(ev.Lines), -1)
	r.tot.Events++
}

// original is what the engine needs of the invoice.
func (inv *invoice) original(withResult bool) *engine.Original {
	o := &engine.Original{Event: *inv.ev, Returned: make([]int64, len(inv.ev.Lines))}
	if !withResult {
		return o
	}
	if len(inv.returned) == len(o.Returned) {
		copy(o.Returned, inv.returned)
	}
	o.Earned, o.Clawed, o.Reclaim, o.Stamps = inv.earns, inv.clawed, inv.reclaim, inv.stamps
	return o
}

func (r *runner) returnIn(ev *Event, org Org, inv *invoice) error {
	if !inv.applied {
		return nil // the program gave nothing for the original
	}
	v := r.v.at(inv.ev.OccurredAt)
	if v == nil {
		return nil
	}
	rr, err := engine.EvaluateReturn(v, r.participant(org, ev), &ev.Event, inv.original(true))
	if err != nil {
		return err
	}
	type claw struct {
		l *lot
		n int64
	}
	var claws []claw // earns that share a lot are taken back together
	for _, c := range rr.Claws {
		if c.Index >= len(inv.lots) {
			return errs.E(errs.Internal, "return_lots", "the original's lots are missing")
		}
		l := inv.lots[c.Index]
		found := false
		for i := range claws {
			if claws[i].l == l {
				claws[i].n += c.Points
				found = true
			}
		}
		if !found {
			claws = append(claws, claw{l, c.Points})
		}
	}
	for _, c := range claws {
		r.sums.Sub(&r.stat(org, ev).points, r.bk.clawback(c.l, c.n, v.Def.ReturnPolicy))
	}
	inv.returned, inv.clawed, inv.reclaim = rr.Returned, rr.Clawed, rr.Reclaim
	r.keep(ev.Org, rr.OrgState, false, ev.OccurredAt)
	return nil
}

// value is the amount and margin of lines; a return's lines are valued at
// the original's prices and costs (orig nil: the lines are the purchase).
func (r *runner) value(lines, orig []engine.Line) (amount, margin int64) {
	for _, l := range lines {
		src := l
		if orig != nil {
			for _, o := range orig {
				if o.SKU == l.SKU {
					src = o
					break
				}
			}
		}
		var a int64
		r.sums.AddProduct(&a, l.Qty, src.UnitPrice)
		r.sums.Add(&amount, a)
		if src.Cost > 0 {
			r.sums.AddProduct(&margin, l.Qty, src.UnitPrice-src.Cost) // both at most money.MaxUnitPrice
		} else {
			m, _ := money.MulDiv(a, r.in.Assumptions.MarginBP, 10000, money.Floor) // at most a: the share is 0–10000 bp
			r.sums.Add(&margin, m)
		}
	}
	return amount, margin
}
