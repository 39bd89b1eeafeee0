package pricing

import "github.com/loyal-b2b/loyal/internal/platform/money"

import "slices"

// threshold applies the highest step reached by the eligible amount to the
// whole of it, and spreads the result over the eligible lines. It returns
// why it does not apply when the amount is below the first step, with what
// is still missing.
func (p *pricer) threshold(o *offer) string {
	o.step = -1
	for k, s := range o.d.Steps {
		if s.From <= o.base {
			o.step = k
		}
	}
	if o.step < 0 {
		first := o.d.Steps[0]
		var sb [scratch]byte
		b := money.AppendAmount(append(p.subject(sb[:0], o.base), " is below "...), first.From, p.dec)
		b = money.AppendAmount(append(b, " ("...), first.From-o.base, p.dec)
		b = money.AppendPercent(append(b, " to go for "...), first.PercentBP)
		return string(append(b, ')'))
	}
	p.spread(o, rate(o.base, o.d.Steps[o.step].PercentBP))
	return ""
}

// spread shares total out over the eligible lines in proportion to their
// amounts (o.base is their sum, total <= o.base). Each line first gets its
// share rounded down; the minor units left over go one each to the lines
// with the largest remainders, earlier lines first on a tie, so the shares
// sum exactly to total and none exceeds its line's amount.
func (p *pricer) spread(o *offer, total int64) {
	rem := p.rem
	left := total
	for i, in := range p.elig {
		rem[i] = 0
		if in {
			o.per[i], rem[i] = mulDiv(p.amounts[i], total, o.base)
			left -= o.per[i]
		}
	}
	o.total = total
	if left == 0 {
		return
	}
	// The remainders are fractions of one unit summing to left, so left is
	// less than the number of lines with a remainder: only those get one.
	order := make([]int, 0, len(p.lines))
	for i, r := range rem {
		if r > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case rem[a] > rem[b]:
			return -1
		case rem[a] < rem[b]:
			return 1
		}
		return a - b
	})
	for _, i := range order[:left] {
		o.per[i]++
	}
}
