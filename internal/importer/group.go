package importer

import (
	"fmt"
	"slices"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
)

// Planned is one event to ingest and the rows it carries.
type Planned struct {
	Input   events.Input
	Org     string // the organization's external id
	Country string
	Rows    []int32
	offs    []int64 // per row, where its fields lie in the spill
}

// invoice collects an invoice's lines; lines of one SKU at one price are
// merged, so a return finds the units of its SKU on one line.
type invoice struct {
	invoiceRef
	lines []events.LineInput
	rows  []int32
	offs  []int64
}

// invoice reads invoice i's lines back from the spill and groups them in
// row order. Its wrong rows are rejected when record is set (the first
// time it is read).
func (p *planner) invoice(i int32, record bool) (*invoice, error) {
	ref := p.invs[i]
	var ls []line
	for off := ref.last; off >= 0; {
		l, prev, err := p.sp.line(off)
		if err != nil {
			return nil, err
		}
		l.off, off = off, prev
		ls = append(ls, l)
	}
	inv := &invoice{invoiceRef: ref}
	for _, l := range slices.Backward(ls) {
		if reason, msg := inv.add(&l); reason != "" && record {
			if err := p.errs.add(int(l.row), reason, msg, p.fields(l.off)); err != nil {
				return nil, err
			}
		}
	}
	return inv, nil
}

// add takes one line of the invoice, or says why not.
func (inv *invoice) add(l *line) (string, string) {
	if inv.org != l.org || inv.currency != l.currency {
		return RejMismatch, fmt.Sprintf("invoice %s is of customer %s in %s on an earlier row, this row says %s in %s",
			inv.no, inv.org, inv.currency, l.org, l.currency)
	}
	for i := range inv.lines {
		if il := &inv.lines[i]; il.SKU == l.sku && il.UnitPrice == l.price && il.Cost == l.cost && il.Category == l.category {
			il.Qty += l.qty
			inv.rows, inv.offs = append(inv.rows, l.row), append(inv.offs, l.off)
			return "", ""
		}
	}
	if len(inv.lines) >= events.MaxLines {
		return RejTooMany, fmt.Sprintf("invoice %s has more than %d distinct lines", inv.no, events.MaxLines)
	}
	inv.lines = append(inv.lines, events.LineInput{SKU: l.sku, Category: l.category, Qty: l.qty, UnitPrice: l.price, Cost: l.cost})
	inv.rows, inv.offs = append(inv.rows, l.row), append(inv.offs, l.off)
	return "", ""
}

func (inv *invoice) planned(source string) Planned {
	return Planned{Org: inv.org, Country: inv.country, Rows: inv.rows, offs: inv.offs, Input: events.Input{
		Type: engine.Invoice, Source: source, ExternalID: inv.no, OccurredAt: inv.at,
		Organization: party.ExternalRef + inv.org, Currency: inv.currency, Lines: inv.lines}}
}

// group reads every invoice back once: it rejects their wrong rows,
// counts the rows each carries, matches the credit lines and orders the
// events.
func (p *planner) group() error {
	if err := p.sp.flush(); err != nil {
		return err
	}
	wanted := map[[2]string]bool{} // organization, SKU of a credit line
	for _, c := range p.credits {
		wanted[[2]string{c.org, c.sku}] = true
	}
	bySKU := map[[2]string][]*candidate{} // → invoices, by date
	for i := range p.invs {
		inv, err := p.invoice(int32(i), true)
		if err != nil {
			return err
		}
		p.invs[i].rows = int32(len(inv.rows))
		p.hold(len(inv.rows))
		inv.candidates(wanted, bySKU)
		p.held -= len(inv.rows)
	}
	for _, s := range bySKU {
		slices.SortStableFunc(s, func(a, b *candidate) int { return a.at.Compare(b.at) })
	}
	p.matchReturns(bySKU)
	p.order = p.sorted()
	return nil
}
