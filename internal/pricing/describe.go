package pricing

import "github.com/loyal-b2b/loyal/internal/platform/money"

// The words of the reasons of the offers that apply. They are built from
// the numbers the mechanics kept (see offer), once the stacking is known.

// reason returns the Applied reason of o: "Gold tier — 5% off all items".
func (p *pricer) reason(o *offer) string {
	var sb [2 * scratch]byte
	b := appendLabel(sb[:0], o.d)
	switch o.d.Kind {
	case KindPercent:
		b = p.percentReason(b, o)
	case KindOrderThreshold:
		b = p.thresholdReason(b, o)
	case KindQuantityBrackets:
		b = p.bracketsReason(b, o)
	case KindAmountBrackets:
		b = p.amountReason(b, o)
	case KindNthItem:
		b = p.nthReason(b, o)
	case KindFixed:
		b = p.fixedNote(b, o)
	}
	if o.d.MinOrder > 0 {
		b = append(money.AppendAmount(append(b, "; the "...), o.d.MinOrder, p.dec), " minimum is met"...)
	}
	return string(b)
}

// lineReason is o's reason on line i, with what it took off the line:
// "Gold tier — 5% off: 50.00".
func (p *pricer) lineReason(o *offer, i int) string {
	var sb [scratch]byte
	b := appendLabel(sb[:0], o.d)
	switch o.d.Kind {
	case KindPercent:
		b = appendOff(b, o.d.PercentBP)
	case KindOrderThreshold:
		b = p.thresholdNote(b, o)
	case KindQuantityBrackets:
		b = p.bracketsNote(b, o, i)
	case KindAmountBrackets:
		b = p.amountNote(b, o, i)
	case KindNthItem:
		b = append(append(appendNth(b, o.d.N, o.d.PercentBP), " (SKU "...), p.lines[i].SKU...)
		if o.d.Over == OverScope {
			b = appendCount(append(b, " ×"...), o.aux[i])
		}
		b = append(b, ')')
	case KindFixed:
		b = p.fixedNote(b, o)
	}
	return string(money.AppendAmount(append(b, ": "...), o.per[i], p.dec))
}

// subject appends "order of X" when every line is eligible, else
// "eligible amount of X": a customer must see which amount was compared.
func (p *pricer) subject(b []byte, base int64) []byte {
	if base == p.subtotal {
		b = append(b, "order of "...)
	} else {
		b = append(b, "eligible amount of "...)
	}
	return money.AppendAmount(b, base, p.dec)
}

// percentReason appends "5% off all items", or "5% off 2 of 3 lines"
// with why the others are out when it is the sale.
func (p *pricer) percentReason(b []byte, o *offer) []byte {
	b = appendOff(b, o.d.PercentBP)
	if o.count == len(p.lines) {
		return append(b, " all items"...)
	}
	b = appendCount(append(b, " "...), int64(o.count))
	b = append(appendCount(append(b, " of "...), int64(len(p.lines))), " lines"...)
	if o.sale {
		b = append(b, " (items on sale excluded)"...)
	}
	return b
}

// fixedNote appends "500.00 off the order" (or "… eligible items"), the
// amount actually taken: at most the eligible amount.
func (p *pricer) fixedNote(b []byte, o *offer) []byte {
	b = append(money.AppendAmount(b, o.total, p.dec), " off"...)
	if o.base == p.subtotal {
		return append(b, " the order"...)
	}
	return append(b, " eligible items"...)
}

// thresholdNote appends "10% off the order" (or "… eligible items").
func (p *pricer) thresholdNote(b []byte, o *offer) []byte {
	b = appendOff(b, o.d.Steps[o.step].PercentBP)
	if o.base == p.subtotal {
		return append(b, " the order"...)
	}
	return append(b, " eligible items"...)
}

// thresholdReason appends "10% off the order: order of 22,000.00 reached
// the 20,000.00 step", and how far the next step is.
func (p *pricer) thresholdReason(b []byte, o *offer) []byte {
	b = append(p.thresholdNote(b, o), ": "...)
	b = money.AppendAmount(append(p.subject(b, o.base), " reached the "...), o.d.Steps[o.step].From, p.dec)
	b = append(b, " step"...)
	if o.step+1 < len(o.d.Steps) {
		next := o.d.Steps[o.step+1]
		b = money.AppendAmount(append(b, " ("...), next.From-o.base, p.dec)
		b = append(money.AppendPercent(append(b, " more for "...), next.PercentBP), ')')
	}
	return b
}

// bracketsNote appends the discounted runs of line i: "units 101–200 at
// 5% off, units 201–250 at 10% off".
func (p *pricer) bracketsNote(b []byte, o *offer, i int) []byte {
	var buf [4]part
	first := true
	for _, pt := range bracketParts(o.d.Steps, o.aux[i], o.aux[i]+p.lines[i].Qty-1, buf[:0]) {
		if pt.bp == 0 {
			continue
		}
		if !first {
			b = append(b, ", "...)
		}
		first = false
		b = appendOff(append(appendUnits(b, pt.lo, pt.hi), " at "...), pt.bp)
	}
	return b
}

// bracketsReason appends which units of the period the cart holds and how
// many fell in each bracket: "units 151–250 of the period: 50 at 5% off,
// 50 at 10% off". The eligible lines' units tile start+1..pos, so a
// bracket's count is its overlap with that range.
func (p *pricer) bracketsReason(b []byte, o *offer) []byte {
	b = append(appendUnits(b, o.start+1, o.pos), " of the period: "...)
	var buf [8]part
	for i, pt := range bracketParts(o.d.Steps, o.start+1, o.pos, buf[:0]) {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(appendCount(b, pt.hi-pt.lo+1), " at "...)
		if pt.bp == 0 {
			b = append(b, "full price"...)
		} else {
			b = appendOff(b, pt.bp)
		}
	}
	return b
}

// appendUnits appends "units 101–200", or "unit 7" for a single one.
func appendUnits(b []byte, lo, hi int64) []byte {
	if lo == hi {
		return appendCount(append(b, "unit "...), lo)
	}
	b = appendCount(append(b, "units "...), lo)
	return appendCount(append(b, "–"...), hi)
}

// nthReason appends "second item 50% off: 3 units (SKU A ×1, SKU B ×2)",
// one entry per group of identical units (o.aux holds the discounted units
// of each line).
func (p *pricer) nthReason(b []byte, o *offer) []byte {
	var units int64
	for _, k := range o.aux {
		units += k
	}
	b = appendNth(b, o.d.N, o.d.PercentBP)
	if o.d.Over == OverScope {
		b = append(b, " in scope, the cheapest first"...)
	}
	b = appendCount(append(b, ": "...), units)
	if units == 1 {
		b = append(b, " unit ("...)
	} else {
		b = append(b, " units ("...)
	}
	sep := false
	for i, l := range p.lines {
		if o.aux[i] == 0 || p.seenBefore(o, i) {
			continue
		}
		var k int64
		for j := i; j < len(p.lines); j++ {
			if p.lines[j].SKU == l.SKU && p.lines[j].UnitPrice == l.UnitPrice {
				k += o.aux[j]
			}
		}
		if sep {
			b = append(b, ", "...)
		}
		sep = true
		b = appendCount(append(append(append(b, "SKU "...), l.SKU...), " ×"...), k)
	}
	return append(b, ')')
}

// seenBefore reports whether a line before i with discounted units holds
// the same item as line i, so that its group is listed already.
func (p *pricer) seenBefore(o *offer, i int) bool {
	for j := range i {
		if o.aux[j] > 0 && p.lines[j].SKU == p.lines[i].SKU && p.lines[j].UnitPrice == p.lines[i].UnitPrice {
			return true
		}
	}
	return false
}
