package pricing

// result applies the chosen offers (in ds order) and builds the Result.
// On a line, the offers take their share in ds order until the line
// amount is used up, exactly as value counted them when choosing.
func (p *pricer) result(won []*offer) Result {
	res := Result{Subtotal: p.subtotal, Lines: make([]LineResult, len(p.lines))}
	nreasons := p.cap(won)
	reasons := make([]string, 0, nreasons) // one allocation for every line's reasons
	for i, l := range p.lines {
		lr := LineResult{Ref: l.Ref, Line: i, Amount: p.amounts[i]}
		from := len(reasons)
		for _, o := range won {
			if t := o.per[i]; t > 0 {
				lr.Discount += t
				reasons = append(reasons, p.lineReason(o, i))
			}
		}
		// A line without a discount has an empty list (JSON []), not null.
		lr.Reasons = reasons[from:len(reasons):len(reasons)]
		lr.Net = lr.Amount - lr.Discount
		res.Discount += lr.Discount
		res.Lines[i] = lr
	}
	res.Total = res.Subtotal - res.Discount
	res.Applied = make([]Applied, 0, len(won))
	for _, o := range won {
		if o.total > 0 {
			res.Applied = append(res.Applied, Applied{DiscountID: o.d.ID, Name: o.d.Name, Amount: o.total, Reason: p.reason(o)})
		}
	}
	nref := 0
	for k := range p.all {
		if p.all[k].why != "" {
			nref++
		}
	}
	if nref > 0 {
		res.Refused = make([]Refused, 0, nref)
	}
	for k := range p.all {
		if o := &p.all[k]; o.why != "" {
			res.Refused = append(res.Refused, Refused{DiscountID: o.d.ID, Name: o.d.Name, Reason: o.why})
		}
	}
	return res
}

// cap reduces each chosen offer to what is left of each line after the
// offers before it, and returns how many line reasons there will be. An
// offer left with nothing is refused: the lines it covers are already
// fully discounted.
func (p *pricer) cap(won []*offer) int {
	n := 0
	for i, amt := range p.amounts {
		left := amt
		for _, o := range won {
			t := min(o.per[i], left)
			o.total -= o.per[i] - t
			o.per[i] = t
			left -= t
			if t > 0 {
				n++
			}
		}
	}
	for _, o := range won {
		if o.total == 0 {
			o.why = "the items it covers are already fully discounted by other discounts"
		}
	}
	return n
}
