package httpapi_test

import (
	"strings"
	"testing"
)

// A quote tells what the same lines earn sent as an order event
// (points_on_order) and, when that differs from points_to_earn (the
// invoice at the quoted net prices), says why in points_note.
func TestQuoteEarnsWhatTheOrderEarns(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		discount := []obj{{"id": "big", "name": "Big order", "kind": "order_threshold", "steps": []obj{{"from": 100000, "percent_bp": 500}}}}
		small := []obj{line("TILE", 3, 10000)}                       // 300.00: below the discount
		big := []obj{line("TILE", 22, 10000), line("GLUE", 7, 1234)} // 2,286.38: 5% off
		for i, c := range []struct {
			events []string
			lines  []obj
			note   string // "" when the quote and the order agree
		}{
			{[]string{"invoice", "order"}, small, ""},
			{[]string{"invoice", "order"}, big, "full prices"},
			{nil, small, "no earning rule runs on orders"},
		} {
			_, key := e.tenantWithKey("quote-"+string(rune('a'+i)), "admin")
			rule := obj{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}
			if c.events != nil {
				rule["events"] = c.events
			}
			newProgramIn(e, key, obj{"rules": []obj{rule}, "discounts": discount}, nil)
			e.dealer(key, "R-1")
			var q quoteResult
			e.do("POST", "/v1/quote", key, obj{"organization": "ext:R-1", "currency": "EUR", "lines": c.lines}).must(200, &q)
			got := e.send(key, event("order", "ORD-1", "R-1", c.lines...)).only(e).points()
			if q.PointsOnOrder != got {
				t.Errorf("case %d: the quote says the order earns %d, it earned %d", i, q.PointsOnOrder, got)
			}
			if agree := q.PointsToEarn == got; agree != (c.note == "") || !strings.Contains(q.PointsNote, c.note) || agree != (q.PointsNote == "") {
				t.Errorf("case %d: points_to_earn %d, the order earned %d, note %q; want a note with %q", i, q.PointsToEarn, got, q.PointsNote, c.note)
			}
		}
	})
}
