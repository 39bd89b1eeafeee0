package importer

import (
	"cmp"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
)

// candidate is an invoice of the file that has a SKU some credit line
// returns, with the units of its first line of the SKU (the engine counts
// a return against that line) not yet returned.
type candidate struct {
	no       string
	currency string
	at       time.Time
	left     int64
}

// candidates adds the invoice to the lists of the SKUs credit lines of its
// organization return, once per SKU.
func (inv *invoice) candidates(wanted map[[2]string]bool, bySKU map[[2]string][]*candidate) {
	for li, l := range inv.lines {
		k := [2]string{inv.org, l.SKU}
		if wanted[k] && slices.IndexFunc(inv.lines, func(x events.LineInput) bool { return x.SKU == l.SKU }) == li {
			bySKU[k] = append(bySKU[k], &candidate{no: inv.no, currency: inv.currency, at: inv.at, left: l.Qty})
		}
	}
}

// matchReturns matches each credit-note line to the most recent invoice
// of the same organization and currency, dated at or before the credit
// note, that has the SKU with enough units not yet returned; the lines of
// one credit note that match one invoice form one return event, with
// external id "<credit note>/<invoice>". Lines without such an invoice in
// the file are left in unmatched, for the invoices stored before.
func (p *planner) matchReturns(bySKU map[[2]string][]*candidate) {
	slices.SortStableFunc(p.credits, func(a, b line) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return cmp.Compare(a.row, b.row)
	})
	var rb returnBuilder
	for _, l := range p.credits {
		c := match(bySKU[[2]string{l.org, l.sku}], l)
		if c == nil {
			p.unmatched = append(p.unmatched, l)
			continue
		}
		c.left -= l.qty
		rb.add(p.source, l, c.no)
	}
	p.returns = rb.planned()
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
	p.Rows, p.offs = append(p.Rows, l.row), append(p.offs, l.off)
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

// match finds the invoice a credit line returns against, the latest
// first.
func match(cands []*candidate, l line) *candidate {
	for _, c := range slices.Backward(cands) {
		if !c.at.After(l.at) && c.currency == l.currency && c.left >= l.qty {
			return c
		}
	}
	return nil
}
