package httpapi_test

import (
	"strings"
	"testing"
)

// TestConditionalDiscountThroughTheAPI: the GAP card's birthday month. A
// 10% discount holds in the member's birthday month; a cart of 3 × 250.00
// quoted for a member born in March, in March, costs 675.00; without the
// member (or for one born in June) the quote says which condition failed.
// A condition with a misspelt field is refused at save with its position.
func TestConditionalDiscountThroughTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		const cond = `member.birth_month == now.getMonth() + 1`
		f := newProgram(e, obj{"discounts": []obj{{"id": "birthday", "name": "Birthday month", "kind": "percent", "percent_bp": 1000, "condition": cond}}})
		march := e.createMember(obj{"organization_id": f.org["id"], "name": "Mia March", "roles": []string{"purchasing"}, "birthday": "1980-03-15"})
		june := e.createMember(obj{"organization_id": f.org["id"], "name": "Juno June", "roles": []string{"purchasing"}, "birthday": "1982-06-01"})
		quote := func(member string) quoteResult {
			var q quoteResult
			body := obj{"organization": "ext:R-1", "currency": "EUR", "lines": []obj{line("PAINT", 3, 25000)}}
			if member != "" {
				body["member"] = member
			}
			e.do("POST", "/v1/quote", e.keyA, body).must(200, &q)
			return q
		}
		if q := quote(str(march["id"])); q.Discount != 7500 || q.Total != 67500 {
			t.Fatalf("born in March: %+v", q)
		}
		for _, m := range []string{"", str(june["id"])} {
			if q := quote(m); q.Discount != 0 || q.refusal("birthday") != "condition not met: "+cond {
				t.Errorf("member %q: discount %d, refusal %q", m, q.Discount, q.refusal("birthday"))
			}
		}
		def := obj{"currency": "EUR", "discounts": []obj{{"id": "x", "kind": "percent", "percent_bp": 100, "condition": `org.regoin == "north"`}}}
		p := e.do("POST", "/v1/programs/"+str(f.program["id"])+"/versions", e.keyA, obj{"definition": def}).fails(422, "validation_failed", "definition.discounts[0].condition")
		if len(p.Errors) == 0 || !strings.Contains(p.Errors[0].Message, "line 1, column 4") {
			t.Errorf("no position: %+v", p.Errors)
		}
	})
}
