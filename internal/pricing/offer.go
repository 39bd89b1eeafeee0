package pricing

import "github.com/loyal-b2b/loyal/internal/platform/money"

import "slices"

// pricer holds a validated cart while its discounts are computed.
type pricer struct {
	lines    []Line
	amounts  []int64 // Qty*UnitPrice of each line
	subtotal int64
	dec      int
	prior    map[string]int64
	priorAmt map[string]int64
	ints     []int64 // backing of amounts, the offers' per and aux, and rem
	elig     []bool  // scratch: the lines in scope of the discount being computed
	rem      []int64 // scratch: remainders of a spread (order_threshold)
	all      []offer // one per discount, in ds order
}

// offer is one discount's effect on the cart on its own, before stacking.
// It keeps numbers only: the words of its reasons are built from them
// (describe.go) for the offers that apply, since most offers of a busy
// cart lose and their reasons would be thrown away.
type offer struct {
	idx        int // position in ds: on a tie the first wins
	d          *Discount
	per        []int64 // discount on each line, computed on the gross line amount
	aux        []int64 // per line, for the reasons: see brackets and nth
	total      int64   // sum of per
	base       int64   // the eligible amount
	count      int     // the number of eligible lines
	sale       bool    // a line was left out only for being on sale
	step       int     // order_threshold: the step reached
	start, pos int64   // quantity_brackets: units of the period before this cart, and with it; amount_brackets: amounts
	why        string  // why the discount does not apply; "" = it may
}

// offers computes every discount on its own. Those that give nothing get
// their refusal in why; the others are returned in ds order, split into
// those that may combine and the exclusive ones.
func (p *pricer) offers(ds []Discount) (rest, excl []*offer, err error) {
	// One allocation per type for all offers and scratch space: a checkout
	// is priced often and allocations are most of its cost.
	n, nd := len(p.lines), len(ds)
	p.elig = make([]bool, n)
	p.all = make([]offer, nd)
	list := make([]*offer, nd) // rest from the front, excl from the back
	nr, ne := 0, nd
	for k := range ds {
		o := &p.all[k]
		at := n * (1 + 2*k) // after amounts
		*o = offer{idx: k, d: &ds[k], per: p.ints[at : at+n : at+n], aux: p.ints[at+n : at+2*n : at+2*n]}
		why, err := p.compute(o)
		switch {
		case err != nil:
			return nil, nil, err
		case why == "" && o.total == 0:
			o.why = "gives nothing on this cart"
		case why != "":
			o.why = why
		case o.d.Exclusive:
			ne--
			list[ne] = o
		default:
			list[nr] = o
			nr++
		}
	}
	excl = list[ne:]
	slices.Reverse(excl)
	return list[:nr], excl, nil
}

// compute fills o for its kind, or returns why the discount does not apply.
func (p *pricer) compute(o *offer) (string, error) {
	o.base, o.count, o.sale = p.scope(&o.d.Scope)
	switch {
	case o.count == 0 && o.sale:
		return "not valid on items on sale, and the cart has no other eligible items", nil
	case o.count == 0:
		return "no eligible items", nil
	case o.base < o.d.MinOrder:
		var sb [scratch]byte
		b := p.subject(sb[:0], o.base)
		b = money.AppendAmount(append(b, " is below the "...), o.d.MinOrder, p.dec)
		b = money.AppendAmount(append(b, " minimum ("...), o.d.MinOrder-o.base, p.dec)
		return string(append(b, " to go)"...)), nil
	}
	switch o.d.Kind {
	case KindPercent:
		p.percent(o)
	case KindOrderThreshold:
		return p.threshold(o), nil
	case KindQuantityBrackets:
		return p.brackets(o)
	case KindAmountBrackets:
		return p.amountBrackets(o)
	case KindNthItem:
		return p.nth(o)
	case KindFixed:
		// Never more than the eligible amount: the rest of a fixed amount
		// is not paid out.
		p.spread(o, min(o.d.Amount, o.base))
	}
	return "", nil
}

// scope marks the lines in scope of s in p.elig and returns their amount,
// their number, and whether a line was left out only for being on sale.
func (p *pricer) scope(s *Scope) (base int64, count int, sale bool) {
	for i := range p.lines {
		in, onSale := inScope(s, &p.lines[i])
		p.elig[i] = in
		if in {
			base += p.amounts[i] // at most the subtotal, which fits
			count++
		}
		sale = sale || onSale
	}
	return base, count, sale
}

// inScope reports whether l is in s, and whether it is out only because
// it is on sale (which the reasons then say).
func inScope(s *Scope, l *Line) (in, saleOnly bool) {
	switch {
	case len(s.SKUs) > 0 && !slices.Contains(s.SKUs, l.SKU),
		len(s.Categories) > 0 && !slices.Contains(s.Categories, l.Category),
		len(s.Brands) > 0 && !slices.Contains(s.Brands, l.Brand),
		slices.Contains(s.ExcludeSKUs, l.SKU),
		slices.Contains(s.ExcludeCategories, l.Category):
		return false, false
	case s.ExcludeOnSale && l.OnSale:
		return false, true
	}
	return true, false
}

// percent takes PercentBP off each eligible line.
func (p *pricer) percent(o *offer) {
	for i, in := range p.elig {
		if in {
			o.per[i] = rate(p.amounts[i], o.d.PercentBP)
			o.total += o.per[i]
		}
	}
}
