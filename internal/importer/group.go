package importer

import (
	"cmp"
	"fmt"
	"slices"
	"time"

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
	Raw     [][]string // per row, for the error file
}

// invoice collects an invoice's lines; lines of one SKU at one price are
// merged, so a return finds the units of its SKU on one line.
type invoice struct {
	no, org, currency, country string
	at                         time.Time
	lines                      []events.LineInput
	left                       []int64 // units not yet returned, per line
	rows                       []int32
	raw                        [][]string
	event                      int // index in the plan
}

// grouper builds events from lines.
type grouper struct {
	source   string
	invoices map[string]*invoice
	order    []*invoice
	credits  []line
	// unmatched are credit lines without an invoice in the file.
	unmatched []line
	bySKU     map[[2]string][]*invoice // organization, SKU → invoices, by date
	rejected  []Rejection
}

func newGrouper(source string) *grouper {
	return &grouper{source: source, invoices: map[string]*invoice{}, bySKU: map[[2]string][]*invoice{}}
}

func (g *grouper) reject(l *line, reason, msg string) {
	g.rejected = append(g.rejected, Rejection{Row: int(l.row), Reason: reason, Message: msg, Fields: l.raw})
}

// add takes one mapped line: an invoice line joins its invoice, a credit
// line waits until every invoice is known.
func (g *grouper) add(l line) {
	if l.credit {
		g.credits = append(g.credits, l)
		return
	}
	inv := g.invoices[l.invoice]
	if inv == nil {
		inv = &invoice{no: l.invoice, org: l.org, currency: l.currency, country: l.country, at: l.at}
		g.invoices[l.invoice] = inv
		g.order = append(g.order, inv)
	}
	if inv.org != l.org || inv.currency != l.currency {
		g.reject(&l, RejMismatch, fmt.Sprintf("invoice %s is of customer %s in %s on an earlier row, this row says %s in %s",
			l.invoice, inv.org, inv.currency, l.org, l.currency))
		return
	}
	for i := range inv.lines {
		if il := &inv.lines[i]; il.SKU == l.sku && il.UnitPrice == l.price && il.Cost == l.cost && il.Category == l.category {
			il.Qty += l.qty
			inv.left[i] += l.qty
			inv.rows, inv.raw = append(inv.rows, l.row), append(inv.raw, l.raw)
			return
		}
	}
	if len(inv.lines) >= events.MaxLines {
		g.reject(&l, RejTooMany, fmt.Sprintf("invoice %s has more than %d distinct lines", l.invoice, events.MaxLines))
		return
	}
	inv.lines = append(inv.lines, events.LineInput{SKU: l.sku, Category: l.category, Qty: l.qty, UnitPrice: l.price, Cost: l.cost})
	inv.left = append(inv.left, l.qty)
	inv.rows, inv.raw = append(inv.rows, l.row), append(inv.raw, l.raw)
}

// plan returns the events, invoices before the returns of the same
// moment, each in time order.
func (g *grouper) plan() []Planned {
	var out []Planned
	for _, inv := range g.order {
		inv.event = len(out)
		out = append(out, Planned{Org: inv.org, Country: inv.country, Rows: inv.rows, Raw: inv.raw, Input: events.Input{
			Type: engine.Invoice, Source: g.source, ExternalID: inv.no, OccurredAt: inv.at,
			Organization: party.ExternalRef + inv.org, Currency: inv.currency, Lines: inv.lines}})
		for _, l := range inv.lines {
			k := [2]string{inv.org, l.SKU}
			if s := g.bySKU[k]; len(s) == 0 || s[len(s)-1] != inv {
				g.bySKU[k] = append(s, inv)
			}
		}
	}
	for _, s := range g.bySKU {
		slices.SortStableFunc(s, func(a, b *invoice) int { return a.at.Compare(b.at) })
	}
	out = append(out, g.returns()...)
	slices.SortStableFunc(out, func(a, b Planned) int {
		if c := a.Input.OccurredAt.Compare(b.Input.OccurredAt); c != 0 {
			return c
		}
		return cmp.Compare(isReturn(a), isReturn(b))
	})
	return out
}

func isReturn(p Planned) int {
	if p.Input.Type == engine.Return {
		return 1
	}
	return 0
}
