package engine

import (
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// bracketPoints earns an effect's brackets on this event's eligible
// amount: the amount is placed after the year's eligible spend so far
// (the effect's own counter, kept in the organization's state), each part
// gets its bracket's rate, and the sum of the parts' money is turned into
// points once, rounded as the point type says. The counter grows by the
// amount whether or not it earns. It appends the reason to b.
func (e *evaluation) bracketPoints(r *rule, ef *effect, base int64, b []byte) (int64, []byte, error) {
	st := &e.out.OrgState
	key := "earn:" + ef.key + ":" + periodKey("year", e.ev.OccurredAt)
	prior := st.Brackets[key]
	end, err := money.Add(prior, base)
	if err != nil {
		return 0, b, errs.E(errs.Invalid, "rule_eval_failed", "rule %q: the year's spend is too large to add up", r.ID)
	}
	if st.Brackets == nil {
		st.Brackets = map[string]int64{}
	}
	st.Brackets[key] = end
	var sum int64
	b = separate(b)
	first := true
	for _, s := range pricing.AmountSpans(ef.Brackets, prior, end) {
		if s.PercentBP == 0 {
			continue
		}
		part, err := money.Mul(s.To-s.From, s.PercentBP)
		if err == nil {
			sum, err = money.Add(sum, part)
		}
		if err != nil {
			return 0, b, errs.E(errs.Invalid, "rule_eval_failed", "rule %q: points overflow", r.ID)
		}
		if !first {
			b = append(b, " + "...)
		}
		first = false
		b = money.AppendAmount(append(money.AppendPercent(b, s.PercentBP), " of "...), s.To-s.From, 2)
	}
	if first {
		b = append(b, "no bracket reached"...)
	}
	b = money.AppendAmount(append(b, " (spend of the year "...), prior, 2)
	b = append(money.AppendAmount(append(b, "–"...), end, 2), ')')
	den, err := money.Mul(10000, e.p.Value.Num)
	if err != nil {
		return 0, b, err
	}
	pts, err := money.MulDiv(sum, e.p.Value.Den, den, e.p.Value.Rounding)
	if err != nil {
		return 0, b, errs.E(errs.Invalid, "rule_eval_failed", "rule %q: points overflow", r.ID)
	}
	return pts, appendPoints(append(b, " → "...), pts), nil
}
