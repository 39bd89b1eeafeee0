package engine

import (
	"fmt"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// ReturnResult is a return's outcome with what ingestion must remember
// on the original invoice.
type ReturnResult struct {
	Outcome
	Returned []int64 // units returned so far, per line of the original
	Clawed   []int64 // points clawed back so far, per earn of the original
	Reclaim  int64   // stamps taken back so far
}

// EvaluateReturn takes back, in proportion to the value returned, what
// the original invoice earned. Points are computed on the cumulative
// returned share, so several partial returns that add up to the whole
// invoice take back exactly everything.
func EvaluateReturn(p *Program, part Participant, ev *Event, orig *Original) (ReturnResult, error) {
	res := ReturnResult{Outcome: Outcome{ProgramID: p.ID, Version: p.Version, Status: Applied,
		OrgState: part.OrgState.Clone(), MemberState: part.MemberState.Clone()}}
	returned, err := MatchReturn(ev, orig)
	if err != nil {
		return ReturnResult{}, err
	}
	origAmount, origQty := orig.Event.Totals()
	before := returnedBefore(orig)
	var amount, qty, thisAmount, thisQty int64
	for i, l := range orig.Event.Lines {
		amount += returned[i] * l.UnitPrice
		qty += returned[i]
		thisAmount += (returned[i] - before[i]) * l.UnitPrice
		thisQty += returned[i] - before[i]
	}
	res.Returned = returned
	if err := res.clawPoints(p, orig); err != nil {
		return ReturnResult{}, err
	}
	if p.Def.ReturnUndo.Stamps && orig.Stamps > 0 && origQty > 0 {
		res.undoStamps(orig, qty, origQty)
	} else {
		res.Reclaim = orig.Reclaim
	}
	if p.Def.ReturnUndo.Tier {
		res.OrgState.add(orig.Event.OccurredAt, Month{Spend: -thisAmount, Quantity: -thisQty})
	}
	res.Reason = fmt.Sprintf("return of %s of invoice %s (%s)", formatMoney(thisAmount), orig.Event.ExternalID, share(amount, origAmount))
	return res, nil
}

// MatchReturn checks the return's lines against the original's and returns
// the units returned per original line after it.
func MatchReturn(ev *Event, orig *Original) ([]int64, error) {
	if len(ev.Lines) == 0 {
		return nil, errs.InvalidField("lines", "required", "a return lists the lines returned")
	}
	if ev.Currency != "" && ev.Currency != orig.Event.Currency {
		return nil, errs.InvalidField("currency", "currency_mismatch", "the return is in %q but invoice %s was in %q", ev.Currency, orig.Event.ExternalID, orig.Event.Currency)
	}
	returned := returnedBefore(orig)
	for i, l := range ev.Lines {
		j := findLine(orig.Event.Lines, l.SKU)
		if j < 0 {
			return nil, errs.InvalidField(fmt.Sprintf("lines[%d].sku", i), "not_on_invoice", "SKU %q is not on invoice %s", l.SKU, orig.Event.ExternalID)
		}
		returned[j] += l.Qty
		if returned[j] > orig.Event.Lines[j].Qty {
			var prev int64
			if j < len(orig.Returned) {
				prev = orig.Returned[j]
			}
			return nil, errs.InvalidField(fmt.Sprintf("lines[%d].qty", i), "exceeds_original",
				"returning %d of SKU %q would exceed the %d units on invoice %s (%d already returned)",
				l.Qty, l.SKU, orig.Event.Lines[j].Qty, orig.Event.ExternalID, prev)
		}
	}
	return returned, nil
}

// returnedBefore is a copy of the units returned before, one per line of
// the original (nil Returned: none yet).
func returnedBefore(orig *Original) []int64 {
	r := make([]int64, len(orig.Event.Lines))
	copy(r, orig.Returned)
	return r
}

func findLine(ls []Line, sku string) int {
	for i, l := range ls {
		if l.SKU == sku {
			return i
		}
	}
	return -1
}

// clawPoints takes back each earn's share: points × returned value of its
// lines / original value of its lines (floor), less what earlier returns
// took. An earn on roofing lines loses nothing when only bricks come back.
func (r *ReturnResult) clawPoints(p *Program, orig *Original) error {
	r.Clawed = append([]int64(nil), orig.Clawed...)
	for len(r.Clawed) < len(orig.Earned) {
		r.Clawed = append(r.Clawed, 0)
	}
	var pts int64
	for i, x := range orig.Earned {
		back, base := lineValues(orig.Event.Lines, r.Returned, x.Lines)
		if base <= 0 {
			continue
		}
		target, err := money.MulDiv(x.Points, back, base, money.Floor)
		if err != nil {
			return err
		}
		n := target - r.Clawed[i]
		if n <= 0 {
			continue
		}
		r.Clawed[i] = target
		pts += n
		r.Claws = append(r.Claws, Claw{Index: i, Owner: x.Owner, OwnerID: x.OwnerID, Points: n,
			Reason: fmt.Sprintf("%s of the value the %d points of invoice %s were earned on came back", share(back, base), x.Points, orig.Event.ExternalID)})
	}
	if pts > 0 && p.Def.ReturnUndo.Tier {
		r.OrgState.add(orig.Event.OccurredAt, Month{Points: -pts})
	}
	return nil
}

// lineValues sums, over the lines an earn counted (all when idx is nil),
// the value returned so far and the original value.
func lineValues(ls []Line, returned []int64, idx []int) (back, base int64) {
	add := func(i int) {
		if i >= 0 && i < len(ls) {
			back += returned[i] * ls[i].UnitPrice
			base += ls[i].Amount
		}
	}
	if idx == nil {
		for i := range ls {
			add(i)
		}
		return back, base
	}
	for _, i := range idx {
		add(i)
	}
	return back, base
}

// undoStamps takes back the returned share of the stamps the invoice added.
func (r *ReturnResult) undoStamps(orig *Original, qty, origQty int64) {
	target := orig.Stamps * qty / origQty
	n := target - orig.Reclaim
	r.Reclaim = target
	if n <= 0 {
		return
	}
	took := min(n, r.OrgState.Stamps)
	r.OrgState.Stamps -= took
	r.Stamps = &Stamps{Added: -took, Total: r.OrgState.Stamps}
	if took < n {
		r.Notes = append(r.Notes, fmt.Sprintf("%d stamps were already turned into a reward and stay with it", n-took))
	}
}

// share writes a/b as a percentage with one decimal.
func share(a, b int64) string {
	if b == 0 {
		return "0%"
	}
	permille, _ := money.MulDiv(a, 1000, b, money.HalfUp)
	return fmt.Sprintf("%d.%d%%", permille/10, permille%10)
}
