package pricing

import "github.com/loyal-b2b/loyal/internal/platform/money"

// stack chooses the offers that apply under policy and records why the
// others do not. An Exclusive offer never combines: the customer gets
// whichever is larger, the best exclusive offer alone or the best
// combination of the others (rest) under the policy. Both are in ds
// order, and so is the result.
func (p *pricer) stack(rest, excl []*offer, policy Policy) []*offer {
	combo := p.combine(rest, policy)
	if len(excl) == 0 {
		return combo
	}
	b := pickBest(excl)
	best, cv := excl[b], p.value(combo)
	// On a tie the option holding the discount listed first wins;
	// combo is in ds order, so combo[0] is its first.
	if len(combo) > 0 && (cv > best.total || cv == best.total && combo[0].idx < best.idx) {
		for _, o := range excl {
			o.why = p.lostToCombination(combo, cv, o.total)
		}
		return combo
	}
	for _, o := range excl {
		if o != best {
			o.why = p.vs(best.total, o.total, "not combinable with other offers; ", title(best.d), " ", verb)
		}
	}
	for _, o := range combo {
		o.why = p.lostToExclusive(best, len(combo), cv)
	}
	return excl[b : b+1]
}

// lostToExclusive says why an offer of a combination of n offers worth cv
// gave way to the exclusive offer best.
func (p *pricer) lostToExclusive(best *offer, n int, cv int64) string {
	switch {
	case n == 1:
		return p.vs(best.total, cv, "not combinable with ", title(best.d), ", which ", verb)
	case best.total > cv:
		return p.vs(best.total, cv, "not combinable with ", title(best.d), ", which gives more than the other discounts together")
	}
	return p.vs(best.total, cv, "not combinable with ", title(best.d), ", which gives as much as the other discounts together and is listed first")
}

// lostToCombination says why an exclusive offer worth lose gave way to the
// combination combo worth win.
func (p *pricer) lostToCombination(combo []*offer, win, lose int64) string {
	switch {
	case len(combo) == 1:
		return p.vs(win, lose, "not combinable with other offers; ", title(combo[0].d), " ", verb)
	case win > lose:
		return p.vs(win, lose, "not combinable with other offers; a better combination was chosen")
	}
	return p.vs(win, lose, "not combinable with other offers; a combination giving as much and listed first was chosen")
}

// verb stands, in the parts of vs, for how the winner compares.
const verb = "\x00"

// vs joins parts and appends " (X vs Y)", comparing what the winner and
// the loser give, so that a customer sees the better deal was chosen. A
// part that is verb becomes "gives more", or on a tie "gives as much and
// is listed first".
func (p *pricer) vs(win, lose int64, parts ...string) string {
	var sb [scratch]byte
	b := sb[:0]
	for _, s := range parts {
		switch {
		case s != verb:
			b = append(b, s...)
		case win == lose:
			b = append(b, "gives as much and is listed first"...)
		default:
			b = append(b, "gives more"...)
		}
	}
	b = money.AppendAmount(append(b, " ("...), win, p.dec)
	return string(append(money.AppendAmount(append(b, " vs "...), lose, p.dec), ')'))
}

// combine applies policy to offers that may combine.
func (p *pricer) combine(offers []*offer, policy Policy) []*offer {
	switch {
	case len(offers) == 0 || policy == Additive:
		return offers // with capping, adding a discount never lowers the total
	case policy == BestOf:
		b := pickBest(offers)
		best := offers[b]
		for _, o := range offers {
			if o != best {
				o.why = p.vs(best.total, o.total, "another discount ", verb, ": ", title(best.d))
			}
		}
		return offers[b : b+1]
	}
	return p.groups(offers)
}

// groups keeps the best offer of each Group (ExclusiveGroups); an offer
// without a group is a group of its own. A cart meets few discounts, so a
// quadratic scan beats building a map. The losers are all found before
// the winners are compacted in place, since finding them reads every offer.
func (p *pricer) groups(offers []*offer) []*offer {
	for _, o := range offers {
		if o.d.Group == "" {
			continue
		}
		if best := bestOfGroup(offers, o.d.Group); best != o {
			o.why = p.vs(best.total, o.total, "another discount of group ", o.d.Group, " ", verb, ": ", title(best.d))
		}
	}
	won := offers[:0]
	for _, o := range offers {
		if o.why == "" {
			won = append(won, o)
		}
	}
	return won
}

// bestOfGroup returns the offer of group g with the largest total, the
// first on a tie.
func bestOfGroup(offers []*offer, g string) *offer {
	var best *offer
	for _, o := range offers {
		if o.d.Group == g && (best == nil || o.total > best.total) {
			best = o
		}
	}
	return best
}

// pickBest returns the index of the offer with the largest total, the
// first on a tie.
func pickBest(offers []*offer) int {
	best := 0
	for i, o := range offers {
		if o.total > offers[best].total {
			best = i
		}
	}
	return best
}

// value is what a set of offers gives together: on each line the offers
// take their share in ds order until the line amount is used up.
func (p *pricer) value(set []*offer) int64 {
	var sum int64
	for i, amt := range p.amounts {
		left := amt
		for _, o := range set {
			t := min(o.per[i], left)
			left -= t
			sum += t
		}
	}
	return sum
}
