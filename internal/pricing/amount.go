package pricing

import (
	"math"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
)

// span is the part lo..hi of a period's spend (minor units, lo exclusive,
// hi inclusive) that falls in one bracket of amount_brackets: bracket j of
// the steps at rate bp, or j = -1 below the first step (full price).
type span struct {
	lo, hi, bp int64
	j          int
}

// amountSpans splits the spend from..to of the period into the parts each
// bracket holds, appending them to buf. Bracket j holds the spend above
// its From up to the next step's From; the last has no end. Money ranges
// are half-open (the amount 40,000.00 itself is below a From of 40,000.00,
// the next minor unit above it).
func amountSpans(steps []Step, from, to int64, buf []span) []span {
	for j := -1; j < len(steps); j++ {
		var bp int64
		lo, hi := int64(0), int64(math.MaxInt64)
		if j >= 0 {
			bp, lo = steps[j].PercentBP, steps[j].From
		}
		if j+1 < len(steps) {
			hi = steps[j+1].From
		}
		a, b := max(lo, from), min(hi, to)
		if a < b {
			buf = append(buf, span{a, b, bp, j})
		}
	}
	return buf
}

// amountBrackets places the eligible lines' amounts, in line order, after
// the amount of the period bought before (incremental brackets in money):
// each part of a line's amount gets the rate of the bracket it falls in,
// so a rate applies only to the spend above its threshold. A line is
// rounded once, over all its parts. o.aux keeps where each line's amount
// starts in the period, for the reasons.
func (p *pricer) amountBrackets(o *offer) (string, error) {
	d := o.d
	o.start = p.priorAmt[d.ID]
	o.pos = o.start
	var buf [4]span
	discounted := false
	for i, in := range p.elig {
		if !in {
			continue
		}
		if o.pos > math.MaxInt64-p.amounts[i] {
			return "", errTooMuch
		}
		end := o.pos + p.amounts[i]
		var a acc
		for _, s := range amountSpans(d.Steps, o.pos, end, buf[:0]) {
			if s.bp > 0 {
				a.add(s.hi-s.lo, s.bp)
				discounted = true
			}
		}
		o.per[i] = a.discount()
		o.total += o.per[i]
		o.aux[i] = o.pos
		o.pos = end
	}
	if !discounted {
		return amountAhead(d.Steps, o.start, o.pos, p.dec), nil
	}
	return "", nil
}

// errTooMuch reports a period's spend that cannot be added up.
var errTooMuch = errs.InvalidField("context.prior_amount", "out_of_range", "the period's spend and the cart are too large to add up")

// amountAhead explains an amount_brackets discount whose cart is all below
// the first discounted bracket: how much more spend reaches it.
func amountAhead(steps []Step, start, pos int64, dec int) string {
	for _, s := range steps {
		if s.PercentBP > 0 && s.From >= pos {
			var sb [scratch]byte
			b := money.AppendAmount(append(sb[:0], "spend of the period "...), start, dec)
			b = money.AppendAmount(append(b, "–"...), pos, dec)
			b = appendOff(append(b, ": all at full price; "...), s.PercentBP)
			b = money.AppendAmount(append(b, " above "...), s.From, dec)
			b = money.AppendAmount(append(b, " ("...), s.From-pos, dec)
			return string(append(b, " more)"...))
		}
	}
	return "gives nothing on this cart"
}

// amountNote appends line i's discounted parts: "40,000.00–120,000.00 at
// 3% off, 120,000.00–135,000.00 at 8% off".
func (p *pricer) amountNote(b []byte, o *offer, i int) []byte {
	var buf [4]span
	first := true
	for _, s := range amountSpans(o.d.Steps, o.aux[i], o.aux[i]+p.amounts[i], buf[:0]) {
		if s.bp == 0 {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = money.AppendAmount(b, s.lo, p.dec)
		b = money.AppendAmount(append(b, "–"...), s.hi, p.dec)
		b = appendOff(append(b, " at "...), s.bp)
	}
	return b
}

// amountReason appends the cart's place in the period and each bracket's
// part: "spend of the period 35,000.00–135,000.00: 5,000.00 at full price,
// 80,000.00 at 3% off, 15,000.00 at 8% off".
func (p *pricer) amountReason(b []byte, o *offer) []byte {
	b = money.AppendAmount(append(b, "spend of the period "...), o.start, p.dec)
	b = append(money.AppendAmount(append(b, "–"...), o.pos, p.dec), ": "...)
	var buf [8]span
	for k, s := range amountSpans(o.d.Steps, o.start, o.pos, buf[:0]) {
		if k > 0 {
			b = append(b, ", "...)
		}
		b = append(money.AppendAmount(b, s.hi-s.lo, p.dec), " at "...)
		if s.bp == 0 {
			b = append(b, "full price"...)
		} else {
			b = appendOff(b, s.bp)
		}
	}
	return b
}

// Span is the part of a period's spend in one bracket of amount brackets:
// the spend From..To (minor units) at PercentBP.
type Span struct {
	From, To, PercentBP int64
}

// AmountSpans splits the spend from..to of a period into its parts per
// bracket of steps, as amount_brackets does: the engine's points version
// of the brackets uses it, so both count the same.
func AmountSpans(steps []Step, from, to int64) []Span {
	var buf [8]span
	ss := amountSpans(steps, from, to, buf[:0])
	out := make([]Span, len(ss))
	for i, s := range ss {
		out[i] = Span{From: s.lo, To: s.hi, PercentBP: s.bp}
	}
	return out
}
