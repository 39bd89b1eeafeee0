package engine

import (
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// earn computes an earn effect's points and credits them to its owners,
// within the rule's caps.
func (e *evaluation) earn(r *rule, ef *effect) (string, error) {
	base, qty, idx, err := e.eligible(r, ef)
	if err != nil {
		return "", err
	}
	pts, why, err := e.points(r, ef, base, qty, idx)
	if err != nil {
		return "", err
	}
	if pts < 0 {
		return "", errs.E(errs.Invalid, "rule_eval_failed", "rule %q computed %d points for this event; points must not be negative", r.ID, pts)
	}
	if pts == 0 {
		return "no points: " + why, nil
	}
	for _, o := range e.owners(ef.To) {
		n, note := e.capped(r, o, pts)
		if note != "" {
			e.out.Notes = append(e.out.Notes, note)
		}
		if n == 0 {
			continue
		}
		x := Earn{Owner: o.typ, OwnerID: o.id, Points: n, RuleID: r.ID, Reason: why}
		if ef.lines != nil {
			x.Lines = idx
		}
		x.AvailableAt, x.ExpiresAt = e.dates(ef)
		if e.pending == nil {
			e.pending = make([]Earn, 0, 8)
		}
		e.pending = append(e.pending, x)
	}
	return why, nil
}

// eligible returns the amount and quantity of the lines an effect counts,
// and, when the effect filters lines, their indexes (nil: all lines).
func (e *evaluation) eligible(r *rule, ef *effect) (int64, int64, []int, error) {
	if ef.lines == nil {
		base, qty := e.vars.event.Amount, e.vars.event.Quantity // the event's totals
		return base, qty, nil, nil
	}
	var base, qty int64
	idx := make([]int, 0, len(e.ev.Lines))
	memo := e.memoOf(ef.lines)
	for i, l := range e.ev.Lines {
		ok, err := e.lineCond(ef.lines, memo, i)
		if err != nil {
			return 0, 0, nil, ruleErr(r, "lines", err)
		}
		if !ok {
			continue
		}
		base += l.Amount
		qty += l.Qty
		idx = append(idx, i)
	}
	return base, qty, idx, nil
}

// points sums the effect's parts over the eligible lines. The reason is
// written into one reused buffer, "; " between the parts.
func (e *evaluation) points(r *rule, ef *effect, base, qty int64, idx []int) (int64, string, error) {
	var total int64
	var err error
	overflow := func() (int64, string, error) {
		return 0, "", errs.E(errs.Invalid, "rule_eval_failed", "rule %q: points overflow", r.ID)
	}
	b := e.why[:0]
	if b == nil {
		b = e.whyBuf[:0]
	}
	if ef.PercentBP > 0 {
		n, err := e.moneyToPoints(base, ef.PercentBP)
		if err != nil {
			return 0, "", ruleErr(r, "percent_bp", err)
		}
		if total, err = money.Add(total, n); err != nil {
			return overflow()
		}
		b = money.AppendPercent(separate(b), ef.PercentBP)
		b = money.AppendAmount(append(b, " of "...), base, 2)
		b = appendPoints(append(b, " → "...), n)
	}
	if pa := ef.PerAmount; pa != nil {
		n, err := money.Mul(base/pa.Per, pa.Points)
		if err != nil {
			return overflow()
		}
		if total, err = money.Add(total, n); err != nil {
			return overflow()
		}
		b = appendPoints(separate(b), pa.Points)
		b = money.AppendAmount(append(b, " per "...), pa.Per, 2)
		b = money.AppendAmount(append(b, " on "...), base, 2)
		b = appendPoints(append(b, " → "...), n)
	}
	if ef.PerUnit > 0 {
		n, err := money.Mul(qty, ef.PerUnit)
		if err != nil {
			return overflow()
		}
		if total, err = money.Add(total, n); err != nil {
			return overflow()
		}
		b = appendPoints(separate(b), ef.PerUnit)
		b = strconv.AppendInt(append(b, " × "...), qty, 10)
		b = appendPoints(append(b, " units → "...), n)
	}
	if ef.Fixed > 0 {
		if total, err = money.Add(total, ef.Fixed); err != nil {
			return overflow()
		}
		b = append(appendPoints(separate(b), ef.Fixed), " for the event"...)
	}
	if len(ef.Brackets) > 0 {
		var n int64
		if n, b, err = e.bracketPoints(r, ef, base, b); err != nil {
			return 0, "", err
		}
		if total, err = money.Add(total, n); err != nil {
			return overflow()
		}
	}
	if ef.points != nil {
		n, err := e.exprPoints(r, ef, idx)
		if err != nil {
			return 0, "", err
		}
		if total, err = money.Add(total, n); err != nil {
			return overflow()
		}
		b = append(separate(b), ef.Points...)
		b = appendPoints(append(b, " → "...), n)
	}
	e.why = b
	return total, string(b), nil
}

// separate starts a new part of a reason.
func separate(b []byte) []byte {
	if len(b) > 0 {
		b = append(b, "; "...)
	}
	return b
}

// exprPoints evaluates a points expression once, or per eligible line
// when the effect filters lines.
func (e *evaluation) exprPoints(r *rule, ef *effect, idx []int) (int64, error) {
	if ef.lines == nil {
		n, err := ef.points.IntIn(&e.vars.session, &e.vars.vars)
		if err != nil {
			return 0, ruleErr(r, "points", err)
		}
		return n, nil
	}
	var sum int64
	for _, i := range idx {
		n, err := ef.points.IntIn(&e.vars.session, e.vars.withLine(i))
		if err != nil {
			return 0, ruleErr(r, "points", err)
		}
		if sum, err = money.Add(sum, n); err != nil {
			return 0, errs.E(errs.Invalid, "rule_eval_failed", "rule %q: points overflow", r.ID)
		}
	}
	return sum, nil
}

// moneyToPoints turns bp of an amount of money into points at the point
// type's value, rounded as the point type says (floor by default).
func (e *evaluation) moneyToPoints(amount, bp int64) (int64, error) {
	return moneyToPoints(e.p.Value, amount, bp)
}

func moneyToPoints(v PointValue, amount, bp int64) (int64, error) {
	num, err1 := money.Mul(bp, v.Den)
	den, err2 := money.Mul(10000, v.Num)
	if err1 != nil || err2 != nil {
		return 0, money.ErrOverflow
	}
	return money.MulDiv(amount, num, den, v.Rounding)
}

// dates are the pending end and expiry of an effect's points (nil: the
// point type's defaults).
func (e *evaluation) dates(ef *effect) (*time.Time, *time.Time) {
	var avail, exp *time.Time
	if ef.PendingDays != nil {
		t := e.ev.OccurredAt.AddDate(0, 0, *ef.PendingDays)
		avail = &t
	}
	if ef.ExpiresDays != nil {
		t := e.ev.OccurredAt.AddDate(0, 0, *ef.ExpiresDays)
		exp = &t
	}
	return avail, exp
}
