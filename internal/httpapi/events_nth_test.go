package httpapi_test

import (
	"testing"
	"time"
)

// TestEveryThirdTinOfPaint: nth_item over a category. 4 white tins at
// 30.00, 2 primer at 45.00, 1 varnish at 60.00 and 3 brushes at 5.00:
// 7 tins, so 2 are 40% off — the two cheapest, white: 24.00 off 285.00.
// Over a SKU list (white and varnish only: 5 tins) one tin is, 12.00.
func TestEveryThirdTinOfPaint(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		paint := func(sku string, qty, price int64) obj { l := line(sku, qty, price); l["category"] = "paint"; return l }
		f := newProgram(e, obj{"stacking": "additive", "discounts": []obj{
			{"id": "tins", "name": "Every 3rd tin", "kind": "nth_item", "n": 3, "percent_bp": 4000, "over": "scope", "scope": obj{"categories": []string{"paint"}}}}})
		q := e.quote("R-1", paint("PRIMER", 2, 4500), paint("WHITE", 4, 3000), line("BRUSH", 3, 500), paint("VARNISH", 1, 6000))
		if q.Subtotal != 28500 || q.Discount != 2400 || q.Total != 26100 || q.Lines[1].Discount != 2400 {
			t.Fatalf("quote: %+v", q)
		}
		pid := str(f.program["id"])
		def := obj{"currency": "EUR", "point_type_id": f.pt["id"]}
		def["discounts"] = []obj{{"id": "tins", "name": "Every 3rd tin", "kind": "nth_item", "n": 3, "percent_bp": 4000, "over": "scope",
			"scope": obj{"skus": []string{"WHITE", "VARNISH"}}}}
		e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": def}).must(201, nil)
		if q := e.quote("R-1", paint("PRIMER", 2, 4500), paint("WHITE", 4, 3000), paint("VARNISH", 1, 6000)); q.Discount != 1200 {
			t.Errorf("over a SKU list: %+v", q)
		}
		e.clock.Advance(time.Minute)
		def["discounts"] = []obj{{"id": "tins", "kind": "nth_item", "n": 3, "percent_bp": 4000, "over": "colour"}}
		e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": def}).fails(422, "validation_failed", "definition.discounts[0].over")
	})
}
