package pricing

import (
	"math"
	"slices"
)

// What nth_item counts.
const (
	OverItem  = "item"  // identical units: same SKU and unit price
	OverScope = "scope" // every unit in scope together (a category, a list of SKUs)
)

// nth discounts every N-th unit of each group of identical units: the same
// SKU at the same unit price, across lines, counted in line order. A price
// difference makes units different, so a customer cannot get the dearer
// item discounted by pairing it with a cheaper one of the same SKU. o.aux
// keeps each line's discounted units, for the reasons.
func (p *pricer) nth(o *offer) (string, error) {
	if o.d.Over == OverScope {
		return p.nthScope(o)
	}
	var most int64 // units of the largest group
	for i, in := range p.elig {
		if !in {
			continue
		}
		c, err := p.nthGroup(o, i)
		if err != nil {
			return "", err
		}
		most = max(most, c)
	}
	if most < o.d.N {
		var sb [scratch]byte
		b := appendCount(append(sb[:0], "needs "...), o.d.N)
		b = appendCount(append(b, " identical items (same SKU and price); the cart has at most "...), most)
		return string(b), nil
	}
	return "", nil
}

// nthGroup discounts the group of units identical to line first and
// returns its size. It clears p.elig of the group's lines (p.elig is
// scratch for this discount), so that each group is counted once.
func (p *pricer) nthGroup(o *offer, first int) (int64, error) {
	ref := p.lines[first]
	var c int64
	for j := first; j < len(p.lines); j++ {
		l := &p.lines[j]
		if !p.elig[j] || l.SKU != ref.SKU || l.UnitPrice != ref.UnitPrice {
			continue
		}
		p.elig[j] = false
		if c > math.MaxInt64-l.Qty {
			return 0, errTooMany
		}
		k := (c+l.Qty)/o.d.N - c/o.d.N // the N-th units among c+1..c+Qty
		c += l.Qty
		o.aux[j] = k
		o.per[j] = rate(k*l.UnitPrice, o.d.PercentBP) // k <= Qty, so it fits
		o.total += o.per[j]
	}
	return c, nil
}

// nthScope counts every unit in scope together — "every 3rd tin of
// paint" across colours and prices — and discounts floor(units / N) of
// them, the cheapest first (ties: earlier lines first): the customer gets
// the promised count of discounted units and the seller gives the rate
// on the cheaper goods, as shops do. o.aux keeps each line's discounted
// units, for the reasons.
func (p *pricer) nthScope(o *offer) (string, error) {
	var units int64
	idx := make([]int, 0, len(p.lines))
	for i, in := range p.elig {
		if !in {
			continue
		}
		if units > math.MaxInt64-p.lines[i].Qty {
			return "", errTooMany
		}
		units += p.lines[i].Qty
		idx = append(idx, i)
	}
	k := units / o.d.N
	if k == 0 {
		var sb [scratch]byte
		b := appendCount(append(sb[:0], "needs "...), o.d.N)
		b = appendCount(append(b, " items in scope; the cart has "...), units)
		return string(b), nil
	}
	slices.SortStableFunc(idx, func(a, b int) int { return int(sign(p.lines[a].UnitPrice - p.lines[b].UnitPrice)) })
	for _, i := range idx {
		n := min(k, p.lines[i].Qty)
		k -= n
		o.aux[i] = n
		o.per[i] = rate(n*p.lines[i].UnitPrice, o.d.PercentBP) // n <= Qty, so it fits
		o.total += o.per[i]
		if k == 0 {
			break
		}
	}
	return "", nil
}

func sign(x int64) int64 {
	switch {
	case x < 0:
		return -1
	case x > 0:
		return 1
	}
	return 0
}
