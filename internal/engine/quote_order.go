package engine

import (
	"fmt"
	"time"
)

// onOrder evaluates the cart as the order event a client sends to confirm
// it: its lines at qty × unit_price (ingestion applies no discount) and of
// type order. PointsOnOrder is what that event earns now; when it differs
// from PointsToEarn (what the invoice at the quoted net prices earns),
// PointsNote says why, so the two numbers never disagree silently.
func (q *QuoteResult) onOrder(p *Program, ps ProgramState, part Participant, cart Cart, now time.Time) error {
	ev := Event{Type: Order, Currency: cart.Currency, OccurredAt: now, Lines: make([]Line, len(cart.Lines))}
	for i, l := range cart.Lines {
		ev.Lines[i] = l
		ev.Lines[i].Amount = l.Qty * l.UnitPrice // within money's limits: checked when the cart was read
	}
	out, err := Evaluate(p, ps, part, &ev)
	if err != nil {
		return err
	}
	q.PointsOnOrder = out.Points()
	if q.PointsOnOrder != q.PointsToEarn {
		q.PointsNote = orderNote(q, out)
	}
	return nil
}

// orderNote explains why the order event earns other than the quote.
func orderNote(q *QuoteResult, order Outcome) string {
	head := fmt.Sprintf("sent now as an order event these lines earn %d points, not %d", q.PointsOnOrder, q.PointsToEarn)
	switch {
	case order.Status != Applied:
		return head + ": " + order.Reason
	case q.PointsOnOrder == 0:
		return head + `: no earning rule runs on orders (a rule runs on invoices unless its events list "order"); the points come with the invoice`
	case q.Discount > 0:
		return head + fmt.Sprintf(": an order event earns on its lines' full prices (qty × unit_price), points_to_earn on the net after %s of discounts (the invoice at the quoted prices)", formatMoney(q.Discount))
	}
	return head + ": the program's rules treat orders and invoices differently"
}
