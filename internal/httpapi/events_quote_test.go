package httpapi_test

import (
	"strings"
	"testing"
)

// The checkout discounts of DOMAIN §8, priced by POST /v1/quote. Money is
// in cents: 10,000.00 is 1000000.

// DOMAIN §8.1 and §8.2: order_threshold discounts take the step the order
// reaches, on the whole order.
func TestQuoteOrderThreshold(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		steps := []obj{{"from": 1000000, "percent_bp": 500}, {"from": 2000000, "percent_bp": 700}, {"from": 5000000, "percent_bp": 1000}}
		newProgram(e, obj{"discounts": []obj{
			{"id": "progressive", "name": "Progressive order discount", "kind": "order_threshold", "group": "order",
				"steps": []obj{{"from": 1000000, "percent_bp": 500}, {"from": 2000000, "percent_bp": 1000}}},
		}})
		// §8.1: 5% from 10,000, 10% from 20,000: 22,000 costs 19,800.
		q := e.quote("R-1", line("TILE", 22, 100000))
		if q.Subtotal != 2200000 || q.Discount != 220000 || q.Total != 1980000 || len(q.Discounts) != 1 || q.Discounts[0].DiscountID != "progressive" {
			t.Fatalf("§8.1: 22,000.00 → %+v, want 19,800.00", q)
		}
		if r := q.Discounts[0].Reason; r == "" || !strings.Contains(r, "10%") {
			t.Errorf("§8.1: the reason %q does not name the rate", r)
		}

		// §8.2 in a second program of its own tenant: 5% from 10,000, 7% from
		// 20,000, 10% from 50,000.
		_, key := e.tenantWithKey("stepped", "admin")
		newProgramIn(e, key, obj{"discounts": []obj{{"id": "stepped", "name": "Stepped", "kind": "order_threshold", "steps": steps}}}, nil)
		e.dealer(key, "S-1")
		for _, c := range []struct {
			amount, discount int64
		}{
			{999900, 0}, // 9,999.00: below the first step
			{1000000, 50000},
			{1999900, 99995},
			{2000000, 140000},
			{4999900, 349993}, // 7% of 49,999.00 = 3,499.93
			{5000000, 500000},
			{12345600, 1234560},
		} {
			var q quoteResult
			e.do("POST", "/v1/quote", key, obj{"organization": "ext:S-1", "currency": "EUR", "lines": []obj{line("BRICK", 1, c.amount)}}).must(200, &q)
			if q.Discount != c.discount || q.Total != c.amount-c.discount {
				t.Errorf("§8.2: order of %d → discount %d total %d, want %d and %d", c.amount, q.Discount, q.Total, c.discount, c.amount-c.discount)
			}
			if c.discount == 0 && q.refusal("stepped") == "" {
				t.Errorf("§8.2: below the first step, the quote says nothing of why: %+v", q)
			}
		}
	})
}

// DOMAIN §8.5: incremental yearly quantity brackets at 10.00 a pack:
// 1–100 full price, 101–200 5% off, 201–300 10% off, above 300 20% off.
func TestQuoteQuantityBrackets(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"discounts": []obj{{"id": "packs", "name": "Volume packs", "kind": "quantity_brackets", "scope": obj{"skus": []string{"PACK"}},
			"steps": []obj{{"from": 101, "percent_bp": 500}, {"from": 201, "percent_bp": 1000}, {"from": 301, "percent_bp": 2000}}}}})
		q := e.quote("R-1", line("PACK", 350, 1000))
		if q.Subtotal != 350000 || q.Total != 325000 || q.Discount != 25000 {
			t.Fatalf("350 packs: %+v, want 3,250.00 (100×10 + 100×9.5 + 100×9 + 50×8)", q)
		}
		// Other lines are out of scope.
		q = e.quote("R-1", line("PACK", 100, 1000), line("GLUE", 200, 1000))
		if q.Discount != 0 || q.Total != 300000 {
			t.Fatalf("100 packs and 200 glue: %+v, want no discount", q)
		}
		// 150 packs bought this year: the next 100 are units 151–250.
		e.send(e.keyA, event("invoice", "INV-150", "R-1", line("PACK", 150, 1000)))
		q = e.quote("R-1", line("PACK", 100, 1000))
		if q.Discount != 50*50+50*100 || q.Total != 92500 {
			t.Fatalf("100 packs after 150: %+v, want 50×9.5 + 50×9 = 925.00", q)
		}
		// 350 bought: every further pack is in the top bracket.
		e.send(e.keyA, event("invoice", "INV-200", "R-1", line("PACK", 200, 1000)))
		q = e.quote("R-1", line("PACK", 10, 1000))
		if q.Discount != 10*200 || q.Total != 8000 {
			t.Fatalf("10 packs after 350: %+v, want 10×8 = 80.00", q)
		}
	})
}

// DOMAIN §8.8: the second identical item at half price is 25% off a pair.
func TestQuoteSecondItemHalfPrice(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"discounts": []obj{{"id": "second", "name": "Second item half price", "kind": "nth_item", "n": 2, "percent_bp": 5000}}})
		for _, c := range []struct {
			name     string
			lines    []obj
			discount int64
		}{
			{"one item", []obj{line("DRILL", 1, 8000)}, 0},
			{"two identical items: 25% off", []obj{line("DRILL", 2, 8000)}, 4000},
			{"three: one at half price", []obj{line("DRILL", 3, 8000)}, 4000},
			{"four: two at half price", []obj{line("DRILL", 4, 8000)}, 8000},
			{"two different items", []obj{line("DRILL", 1, 8000), line("SAW", 1, 8000)}, 0},
			{"odd cents round down", []obj{line("BIT", 2, 999)}, 499},
		} {
			q := e.quote("R-1", c.lines...)
			if q.Discount != c.discount || q.Total != q.Subtotal-c.discount {
				t.Errorf("%s: discount %d of %d, want %d", c.name, q.Discount, q.Subtotal, c.discount)
			}
		}
	})
}

// TestPointsPayment: points pay at most the program's share of an order,
// within the wallet's balance, in the quote and in the order event.
func TestPointsPayment(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"points_payment": obj{"max_share_bp": 5000},
			"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		e.send(e.keyA, invoice("INV-1", line("A", 30, 10000))) // 300 points
		var q struct {
			PointsUsed    int64 `json:"points_used"`
			PointsPayment int64 `json:"points_payment"`
			Total         int64
		}
		e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:R-1", "currency": "EUR", "lines": []obj{line("A", 1, 10000)}, "points_to_spend": 1000}).must(200, &q)
		if q.PointsUsed != 50 || q.PointsPayment != 5000 || q.Total != 5000 {
			t.Fatalf("quote paying with points: %+v, want 50 points paying half of 100.00", q)
		}
		order := func(ext string, amount, points int64) obj {
			o := event("order", ext, "R-1", line("A", 1, amount))
			o["points_spent"] = points
			return o
		}
		e.send(e.keyA, order("ORD-1", 10000, 50))
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 250 {
			t.Fatalf("after paying 50 points: %d, want 250", got)
		}
		e.do("POST", "/v1/events", e.keyA, order("ORD-2", 10000, 51)).fails(422, "validation_failed", "points_spent")
		p := e.do("POST", "/v1/events", e.keyA, order("ORD-3", 100000, 500)).fails(409, "insufficient_points", "")
		if strings.HasPrefix(p.Detail, ":") || !strings.Contains(p.Detail, "250") {
			t.Errorf("detail %q", p.Detail)
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 250 {
			t.Fatalf("refused orders spent points: %d", got)
		}
	})
}

// TestOrderPaysWithItsOwnPoints: an order may pay with points it earns
// itself; the ledger takes them from the stored lots first, then from the
// order's own new lot, and the books balance.
func TestOrderPaysWithItsOwnPoints(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"points_payment": obj{"max_share_bp": 5000},
			"rules": []obj{{"id": "cashback", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		e.send(e.keyA, invoice("INV-1", line("A", 3, 10000))) // 30 points
		o := event("order", "ORD-1", "R-1", line("A", 10, 10000))
		o["points_spent"] = 60
		got := e.send(e.keyA, o).only(e)
		earned := got.points()
		if earned < 30 {
			t.Fatalf("the order earns %d; the test needs at least 30 so that 60 are there to spend", earned)
		}
		if bal := e.available("/v1/organizations/ext:R-1/wallet"); bal != 30+earned-60 {
			t.Fatalf("wallet %d, want 30 + %d - 60", bal, earned)
		}
		e.ledgerOK(e.tidA)
	})
}

// TestBatchPaysWithPointsItEarned: in one batch, invoices credit a wallet
// the batch holds (changed in memory, written once at the end) and orders
// paying with points read it from the database in between: each payment
// sees the points earned before it in the batch, and the books balance.
func TestBatchPaysWithPointsItEarned(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"points_payment": obj{"max_share_bp": 5000},
			"rules": []obj{{"id": "cashback", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		e.send(e.keyA, invoice("INV-0", line("A", 3, 10000))) // 30 points: the wallet exists before the batch
		order := func(ext string, points int64) obj {
			o := event("order", ext, "R-1", line("A", 4, 10000))
			o["points_spent"] = points
			return o
		}
		res := e.sendBatch(e.keyA, []obj{invoice("INV-1", line("A", 10, 10000)), order("ORD-1", 120),
			invoice("INV-2", line("A", 5, 10000)), order("ORD-2", 60), invoice("INV-3", line("A", 1, 10000))})
		var earned int64
		for i, r := range res {
			if len(r.Results) != 1 || r.Results[0].Status != "applied" {
				t.Fatalf("event %d: %+v", i, r)
			}
			earned += r.Results[0].points()
		}
		if earned < 150 {
			t.Fatalf("the batch earned %d; ORD-1 needs the 100 of INV-1 to pay 120", earned)
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 30+earned-120-60 {
			t.Fatalf("wallet %d, want 30 + %d - 180", got, earned)
		}
		e.ledgerOK(e.tidA)
	})
}
