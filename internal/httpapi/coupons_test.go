package httpapi_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

// couponJSON is a coupon as the API shows it.
type couponJSON struct {
	ID        string
	Name      string
	Status    string
	OwnerType string `json:"owner_type"`
	Discount  int64
	Restored  int64
	ExpiresAt *time.Time `json:"expires_at"`
	Benefit   *struct{ Kind string }
}

// couponProgram is DOMAIN §8.9 with its reward issued: a stamp per pair
// (category "pairs", 90.00 each), ten stamps give a coupon for a free pair,
// valid 90 days and given back when the order that used it is returned in
// full; and an order of 1,000.00 or more gives "10% off the next order",
// valid 30 days, lost if that order comes back.
var couponProgram = obj{
	"stamps": obj{"lines": `line.category == "pairs"`, "per_unit": true, "needed": 10,
		"reward": obj{"type": "coupon", "reward_id": "free-pair"}},
	"rules": []obj{{"id": "big", "events": []string{"invoice", "order"}, "condition": "event.amount >= 100000",
		"effects": []obj{{"type": "coupon", "reward_id": "next10"}}}},
	"coupons": []obj{
		{"id": "free-pair", "name": "A free pair", "kind": "free_item", "scope": obj{"categories": []string{"pairs"}}, "valid_days": 90, "on_return": "restore"},
		{"id": "next10", "name": "10% off the next order", "kind": "percent", "percent_bp": 1000, "valid_days": 30},
	},
	"stacking": "additive",
}

func pair(qty int64) obj { l := line("BOOT-42", qty, 9000); l["category"] = "pairs"; return l }

func (e *env) coupons(org, query string) []couponJSON {
	e.t.Helper()
	var l struct{ Items []couponJSON }
	e.do("GET", "/v1/organizations/ext:"+org+"/coupons"+query, e.keyA, nil).must(200, &l)
	return l.Items
}

func orderWith(ext, org string, coupons []string, lines ...obj) obj {
	o := event("order", ext, org, lines...)
	o["coupons"] = coupons
	return o
}

// TestCouponsIssuedQuotedUsedRestoredExpired follows a free-pair coupon
// from the full stamp card to its use, its return and its expiry.
//
// Worked example: 10 pairs at 90.00 (900.00) fill the card: one coupon.
// A cart of 2 pairs (180.00) and laces (3.00) with it costs 183.00 −
// 90.00 = 93.00. The order using it records 90.00; a second order naming
// it is refused. Returning every unit of that order gives the coupon back
// (restore). 90 days after the card was filled, the job expires it.
func TestCouponsIssuedQuotedUsedRestoredExpired(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, couponProgram)
		o := e.send(e.keyA, invoice("INV-1", pair(10))).only(e)
		if len(o.Rewards) != 1 || o.Stamps == nil || o.Stamps.Completed != 1 {
			t.Fatalf("full card: %+v", o)
		}
		cs := e.coupons("R-1", "?status=available")
		if len(cs) != 1 || cs[0].Name != "A free pair" || cs[0].Benefit == nil || cs[0].Benefit.Kind != "free_item" ||
			cs[0].ExpiresAt == nil || !cs[0].ExpiresAt.Equal(epoch.AddDate(0, 0, 90)) {
			t.Fatalf("coupons %+v", cs)
		}
		id := cs[0].ID
		var st struct {
			Stamps struct{ Total, Completed, Needed int64 }
		}
		e.do("GET", "/v1/programs/"+str(f.program["id"])+"/participants/ext:R-1", e.keyA, nil).must(200, &st)
		if st.Stamps.Completed != 1 || st.Stamps.Total != 0 {
			t.Fatalf("standing %+v, want one completed card", st.Stamps)
		}
		var q quoteResult
		e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:R-1", "currency": "EUR", "coupons": []string{id},
			"lines": []obj{pair(2), line("LACES", 1, 300)}}).must(200, &q)
		if q.Subtotal != 18300 || q.Discount != 9000 || q.Total != 9300 || q.Lines[0].Discount != 9000 {
			t.Fatalf("quote with the coupon: %+v", q)
		}
		e.send(e.keyA, orderWith("SO-1", "R-1", []string{id}, pair(2), line("LACES", 1, 300)))
		var c couponJSON
		e.do("GET", "/v1/coupons/"+id, e.keyA, nil).must(200, &c)
		if c.Status != "used" || c.Discount != 9000 {
			t.Fatalf("after the order: %+v", c)
		}
		e.do("POST", "/v1/events", e.keyA, orderWith("SO-2", "R-1", []string{id}, pair(1))).fails(409, "coupon_unavailable", "coupons")
		e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:R-1", "currency": "EUR", "coupons": []string{id},
			"lines": []obj{pair(1)}}).must(200, &q)
		if q.Discount != 0 || q.refusal("coupon:"+id) != "already used" {
			t.Fatalf("quote with a used coupon: %+v", q)
		}
		// A partial return keeps it used; the rest of the order gives it back.
		ret := func(ext string, lines ...obj) {
			r := returnOf(ext, "SO-1", "R-1", lines...)
			r["source"] = "erp"
			e.send(e.keyA, r)
		}
		ret("CN-1", line("LACES", 1, 0))
		if e.do("GET", "/v1/coupons/"+id, e.keyA, nil).must(200, &c); c.Status != "used" {
			t.Fatalf("after a partial return: %+v", c)
		}
		ret("CN-2", line("BOOT-42", 2, 0))
		if e.do("GET", "/v1/coupons/"+id, e.keyA, nil).must(200, &c); c.Status != "available" || c.Restored != 1 || c.Discount != 0 {
			t.Fatalf("after the full return: %+v", c)
		}
		// Expiry: the day before its end it is still available.
		ctx := context.Background()
		if n, err := e.app.Coupons.ExpireDue(ctx, e.tidA, epoch.AddDate(0, 0, 89)); err != nil || n != 0 {
			t.Fatalf("expire before the end: %d %v", n, err)
		}
		if n, err := e.app.Coupons.ExpireDue(ctx, e.tidA, epoch.AddDate(0, 0, 90)); err != nil || n != 1 {
			t.Fatalf("expire at the end: %d %v", n, err)
		}
		if cs := e.coupons("R-1", "?status=expired"); len(cs) != 1 || cs[0].ID != id {
			t.Fatalf("expired coupons %+v", cs)
		}
		e.clock.Set(epoch.AddDate(0, 0, 91))
		e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:R-1", "currency": "EUR", "coupons": []string{id},
			"lines": []obj{pair(1)}}).must(200, &q)
		if !strings.HasPrefix(q.refusal("coupon:"+id), "expired on") {
			t.Fatalf("quote with an expired coupon: %+v", q.NotApplied)
		}
		e.ledgerOK(e.tidA)
	})
}

// TestCouponUsedOnceUnderConcurrency: eight orders racing with one coupon
// (10% off): exactly one is accepted, the others are 409 and write
// nothing.
func TestCouponUsedOnceUnderConcurrency(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, couponProgram)
		e.send(e.keyA, invoice("INV-BIG", line("CEM", 10, 12500))) // 1,250.00: next10
		cs := e.coupons("R-1", "")
		if len(cs) != 1 || cs[0].Name != "10% off the next order" {
			t.Fatalf("coupons %+v", cs)
		}
		const n = 8
		statuses, bodies := make([]int, n), make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				r := e.do("POST", "/v1/events", e.keyA, orderWith(fmt.Sprintf("RACE-%d", i), "R-1", []string{cs[0].ID}, line("CEM", 4, 12500)))
				statuses[i], bodies[i] = r.Status, string(r.Body)
			})
		}
		wg.Wait()
		ok := 0
		for i, s := range statuses {
			switch {
			case s == 200:
				ok++
			case s != 409 || !strings.Contains(bodies[i], "coupon_unavailable"):
				t.Errorf("order %d: %d %s", i, s, bodies[i])
			}
		}
		var c couponJSON
		e.do("GET", "/v1/coupons/"+cs[0].ID, e.keyA, nil).must(200, &c)
		// 10% of 4 × 125.00 = 50.00
		if ok != 1 || c.Status != "used" || c.Discount != 5000 {
			t.Errorf("statuses %v; coupon %+v; want one order and 50.00", statuses, c)
		}
		if got := e.count("/v1/organizations/ext:R-1/events"); got != 2 {
			t.Errorf("%d events stored, want the invoice and one order", got)
		}
	})
}

// TestCouponBadInput: definitions naming unknown coupons are refused at
// save with the field; bad coupon ids in orders are 422; another tenant's
// or organization's coupon is unknown.
func TestCouponBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, couponProgram)
		pid := str(f.program["id"])
		bad := obj{"currency": "EUR", "point_type_id": f.pt["id"], "coupons": []obj{{"id": "x", "kind": "percent"}},
			"rules": []obj{{"id": "r", "effects": []obj{{"type": "coupon", "reward_id": "y"}}}}}
		p := e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": bad}).fails(422, "validation_failed", "definition.coupons[0].percent_bp")
		if !p.hasField("definition.rules[0].effects[0].reward_id") {
			t.Errorf("unknown coupon not named: %+v", p)
		}
		e.do("POST", "/v1/events", e.keyA, orderWith("SO-X", "R-1", []string{"", "a"}, pair(1))).fails(422, "validation_failed", "coupons[0]")
		e.do("POST", "/v1/events", e.keyA, orderWith("SO-Y", "R-1", []string{"nope"}, pair(1))).fails(409, "coupon_unavailable", "coupons")
		e.send(e.keyA, invoice("INV-1", pair(10)))
		id := e.coupons("R-1", "")[0].ID
		e.dealer(e.keyA, "R-2")
		e.do("POST", "/v1/events", e.keyA, orderWith("SO-Z", "R-2", []string{id}, pair(1))).fails(409, "coupon_unavailable", "coupons")
		e.do("GET", "/v1/coupons/"+id, e.keyB, nil).must(404, nil)
		e.do("POST", "/v1/coupons/"+id+"/use", e.keyA, obj{"note": "handed over"}).fails(409, "use_at_checkout", "")
	})
}
