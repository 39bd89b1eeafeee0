package importer

import (
	"cmp"
	"slices"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
)

// returns matches each credit-note line to the most recent invoice of the
// same organization and currency, dated at or before the credit note, that
// has the SKU with enough units not yet returned; the lines of one credit
// note that match one invoice form one return event, with external id
// "<credit note>/<invoice>". Lines without such an invoice in the file
// are left in unmatched, for the invoices stored before.
func (g *grouper) returns() []Planned {
	slices.SortStableFunc(g.credits, func(a, b line) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.row, b.row)
	})
	var rb returnBuilder
	for _, l := range g.credits {
		inv, li := g.match(l)
		if inv == nil {
			g.unmatched = append(g.unmatched, l)
			continue
		}
		inv.left[li] -= l.qty
		rb.add(g.source, l, inv.no)
	}
	return rb.planned()
}

// returnBuilder collects credit lines into return events by credit note
// and original invoice.
type returnBuilder struct {
	byKey map[string]*Planned
	keys  []string
}

func (rb *returnBuilder) add(source string, l line, original string) {
	if rb.byKey == nil {
		rb.byKey = map[string]*Planned{}
	}
	key := l.invoice + "/" + original
	p := rb.byKey[key]
	if p == nil {
		p = &Planned{Org: l.org, Country: l.country, Input: events.Input{Type: engine.Return, Source: source, ExternalID: key,
			OccurredAt: l.at, Organization: party.ExternalRef + l.org, Currency: l.currency, Original: original}}
		rb.byKey[key] = p
		rb.keys = append(rb.keys, key)
	}
	p.Rows, p.Raw = append(p.Rows, l.row), append(p.Raw, l.raw)
	if i := slices.IndexFunc(p.Input.Lines, func(x events.LineInput) bool { return x.SKU == l.sku }); i >= 0 {
		p.Input.Lines[i].Qty += l.qty
		return
	}
	p.Input.Lines = append(p.Input.Lines, events.LineInput{SKU: l.sku, Category: l.category, Qty: l.qty, UnitPrice: l.price})
}

func (rb *returnBuilder) planned() []Planned {
	out := make([]Planned, len(rb.keys))
	for i, k := range rb.keys {
		out[i] = *rb.byKey[k]
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
