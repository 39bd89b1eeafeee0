package importer

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
)

// returns matches each credit-note line to the most recent invoice of the
// same organization and currency, dated at or before the credit note, that
// has the SKU with enough units not yet returned; the lines of one credit
// note that match one invoice form one return event, with external id
// "<credit note>/<invoice>". A line without such an invoice in the file is
// skipped (credit_note_without_invoice).
func (g *grouper) returns() []Planned {
	slices.SortStableFunc(g.credits, func(a, b line) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.row, b.row)
	})
	byKey := map[string]*Planned{}
	var keys []string
	for _, l := range g.credits {
		inv, li := g.match(l)
		if inv == nil {
			g.reject(&l, SkipCreditNoInv, fmt.Sprintf("no earlier invoice of customer %s in this file has %d units of %s left to return", l.org, l.qty, l.sku))
			continue
		}
		inv.left[li] -= l.qty
		key := l.invoice + "/" + inv.no
		p := byKey[key]
		if p == nil {
			p = &Planned{Org: l.org, Country: l.country, Input: events.Input{Type: engine.Return, Source: g.source, ExternalID: key,
				OccurredAt: l.at, Organization: party.ExternalRef + l.org, Currency: l.currency, Original: inv.no}}
			byKey[key] = p
			keys = append(keys, key)
		}
		p.Rows, p.Raw = append(p.Rows, l.row), append(p.Raw, l.raw)
		if i := slices.IndexFunc(p.Input.Lines, func(x events.LineInput) bool { return x.SKU == l.sku }); i >= 0 {
			p.Input.Lines[i].Qty += l.qty
			continue
		}
		p.Input.Lines = append(p.Input.Lines, events.LineInput{SKU: l.sku, Category: l.category, Qty: l.qty, UnitPrice: l.price})
	}
	out := make([]Planned, len(keys))
	for i, k := range keys {
		out[i] = *byKey[k]
	}
	return out
}

// match finds the invoice and line a credit line returns against.
func (g *grouper) match(l line) (*invoice, int) {
	cands := g.bySKU[[2]string{l.org, l.sku}]
	for i := len(cands) - 1; i >= 0; i-- {
		inv := cands[i]
		if inv.at.After(l.at) || inv.currency != l.currency {
			continue
		}
		// The engine counts a return against the first line of its SKU.
		li := slices.IndexFunc(inv.lines, func(x events.LineInput) bool { return x.SKU == l.sku })
		if inv.left[li] >= l.qty {
			return inv, li
		}
	}
	return nil, -1
}
