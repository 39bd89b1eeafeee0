package httpapi_test

import "testing"

// yearBrackets is "0% up to 40,000 a year, 3% to 120,000, 8% to 300,000,
// 15% above", in minor units.
var yearBrackets = []obj{{"from": 4000000, "percent_bp": 300}, {"from": 12000000, "percent_bp": 800}, {"from": 30000000, "percent_bp": 1500}}

// mixed is 200 tiles at 150.00, 1,000 bags at 45.00, 25 tools at
// 1,000.00: 100,000.00.
func mixed() []obj {
	return []obj{line("TILE", 200, 15000), line("BAG", 1000, 4500), line("TOOL", 25, 100000)}
}

// TestAmountBracketsDiscountAndPoints: the same incremental money brackets
// as a discount (one program) and as points (another), configured as data.
//
// 35,000.00 bought this year; the mixed cart of 100,000.00 takes the year
// to 135,000.00: 80,000.00 at 3% + 15,000.00 at 8% = 3,600.00 off (tiles
// 750.00, bags 1,350.00, tools 1,500.00), or 3,600 points at 1.00 a point
// when invoiced at full price. The quote earns on the net prices:
// 96,400.00 takes the year to 131,400.00, 80,000.00 × 3% + 11,400.00 × 8%
// = 3,312 points. Both count the gross 100,000.00 towards the year.
func TestAmountBracketsDiscountAndPoints(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"discounts": []obj{{"id": "year", "name": "Yearly volume", "kind": "amount_brackets", "steps": yearBrackets}},
			"rules": []obj{{"id": "vol", "name": "Yearly volume points", "effects": []obj{{"type": "earn", "brackets": yearBrackets}}}}})
		if o := e.send(e.keyA, invoice("INV-1", line("BAG", 7000, 500))).only(e); o.points() != 0 {
			t.Fatalf("35,000.00: %d points, want 0", o.points())
		}
		q := e.quote("R-1", mixed()...)
		if q.Discount != 360000 || q.Total != 9640000 || q.PointsToEarn != 3312 {
			t.Fatalf("quote: %+v", q)
		}
		if q.Lines[0].Discount != 75000 || q.Lines[1].Discount != 135000 || q.Lines[2].Discount != 150000 {
			t.Errorf("line discounts %+v", q.Lines)
		}
		if o := e.send(e.keyA, invoice("INV-2", mixed()...)).only(e); o.points() != 3600 {
			t.Fatalf("the mixed cart earned %d, want 3600", o.points())
		}
		// 135,000.00 now: 200,000.00 more is 165,000 × 8% + 35,000 × 15% =
		// 18,450.00 off; on the net 181,550.00, 165,000 × 8% + 16,550 × 15%
		// = 15,682.50: 15,682 points (floor).
		if q := e.quote("R-1", line("TOOL", 200, 100000)); q.Discount != 1845000 || q.PointsToEarn != 15682 {
			t.Errorf("next cart: %+v", q)
		}
		bad := obj{"currency": "EUR", "discounts": []obj{{"id": "y", "kind": "amount_brackets", "steps": []obj{{"from": 0, "percent_bp": 300}}}}}
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "Bad"}).must(201, nil)
		var progs struct{ Items []obj }
		e.do("GET", "/v1/programs", e.keyA, nil).must(200, &progs)
		e.do("POST", "/v1/programs/"+str(progs.Items[len(progs.Items)-1]["id"])+"/versions", e.keyA, obj{"definition": bad}).
			fails(422, "validation_failed", "definition.discounts[0].steps[0].from")
	})
}
