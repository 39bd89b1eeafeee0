package pricing

import (
	"math"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// part is a run of consecutive units lo..hi in one bracket: bracket j of
// the steps, or j = -1 for the units before the first step (full price).
type part struct {
	lo, hi, bp int64
	j          int
}

// bracketParts splits units first..last (1-based, over the period) into
// runs by bracket, appending them to buf. A bracket runs from its From to
// the next step's From - 1; the last one has no end.
func bracketParts(steps []Step, first, last int64, buf []part) []part {
	lo := first
	for j := -1; j < len(steps); j++ {
		var bp int64
		if j >= 0 {
			bp = steps[j].PercentBP
		}
		end := int64(math.MaxInt64)
		if j+1 < len(steps) {
			end = steps[j+1].From - 1
		}
		if end < lo {
			continue
		}
		hi := min(end, last)
		buf = append(buf, part{lo, hi, bp, j})
		if hi == last {
			break
		}
		lo = hi + 1
	}
	return buf
}

// errTooMany reports a quantity that cannot be counted; reachable only
// with zero-price lines, since Qty*UnitPrice must fit.
var errTooMany = errs.InvalidField("lines", "out_of_range", "the total quantity is too large to count")

// brackets numbers the eligible units after the period's prior units, in
// line order, and gives each unit the rate of its bracket (incremental
// quantity brackets). A line is rounded once, over all its runs. o.aux
// keeps the number of each eligible line's first unit, for the reasons.
func (p *pricer) brackets(o *offer) (string, error) {
	d := o.d
	o.start = p.prior[d.ID]
	o.pos = o.start
	var buf [4]part
	var discounted int64 // units in a bracket with a rate
	for i, in := range p.elig {
		if !in {
			continue
		}
		l := &p.lines[i]
		if o.pos > math.MaxInt64-l.Qty {
			return "", errTooMany
		}
		var a acc
		for _, pt := range bracketParts(d.Steps, o.pos+1, o.pos+l.Qty, buf[:0]) {
			if pt.bp > 0 {
				a.add((pt.hi-pt.lo+1)*l.UnitPrice, pt.bp) // at most Qty units, so it fits
				discounted += pt.hi - pt.lo + 1
			}
		}
		o.per[i] = a.discount()
		o.total += o.per[i]
		o.aux[i] = o.pos + 1
		o.pos += l.Qty
	}
	if o.total == 0 && discounted == 0 {
		return bracketsAhead(d.Steps, o.start, o.pos), nil
	}
	return "", nil
}

// bracketsAhead explains a brackets discount whose units in this cart are
// all at full price, pointing to the first discounted unit still ahead.
func bracketsAhead(steps []Step, start, pos int64) string {
	for _, s := range steps {
		if s.PercentBP > 0 && s.From > pos {
			var sb [scratch]byte
			b := append(appendUnits(sb[:0], start+1, pos), " of the period: all at full price; "...)
			b = append(appendOff(b, s.PercentBP), " from unit "...)
			b = appendCount(b, s.From)
			b = append(appendCount(append(b, " ("...), s.From-pos), " more)"...)
			return string(b)
		}
	}
	return "gives nothing on this cart"
}
