package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// fieldCode is the code of the problem's error about a field, or "".
func (p problem) fieldCode(field string) string {
	for _, e := range p.Errors {
		if e.Field == field {
			return e.Code
		}
	}
	return ""
}

// TestEventBadInput sends wrong events: each is refused with 422 naming
// the field, and nothing of it is written — the same external ids are
// free for the corrected events afterwards.
func TestEventBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"rules": []obj{{"id": "cashback", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		other := e.dealer(e.keyA, "R-2")
		mole := e.createMember(obj{"organization_id": other["id"], "name": "Mole", "roles": []string{"sales"}})
		good := func(i int) obj { return invoice(fmt.Sprintf("BAD-%d", i), line("A", 2, 5000)) }
		cases := []struct {
			name, field, code string
			spoil             func(ev obj)
		}{
			{"unknown organization", "organization", "unknown_organization", func(ev obj) { ev["organization"] = "ext:NOPE" }},
			{"member of another organization", "member", "other_organization", func(ev obj) { ev["member"] = mole["id"] }},
			{"unknown member", "member", "unknown_member", func(ev obj) { ev["member"] = "ext:NOBODY" }},
			{"a week ahead", "occurred_at", "in_the_future", func(ev obj) { ev["occurred_at"] = epoch.AddDate(0, 0, 7).Format(time.RFC3339) }},
			{"no time", "occurred_at", "required", func(ev obj) { delete(ev, "occurred_at") }},
			{"other currency", "currency", "currency_mismatch", func(ev obj) { ev["currency"] = "USD" }},
			{"zero unit price", "lines[0].unit_price", "not_positive", func(ev obj) { ev["lines"] = []obj{line("A", 2, 0)} }},
			{"negative quantity", "lines[0].qty", "not_positive", func(ev obj) { ev["lines"] = []obj{line("A", -2, 5000)} }},
			// 2^29 × (2^35+1) = 2^64 + 2^29: an amount that wraps around int64.
			{"an amount beyond int64", "lines[0].qty", "too_large", func(ev obj) { ev["lines"] = []obj{line("A", 1<<29, 1<<35+1)} }},
			{"no lines", "lines", "required", func(ev obj) { delete(ev, "lines") }},
			{"unknown type", "type", "unknown_event_type", func(ev obj) { ev["type"] = "invoices" }},
			{"return of nothing", "original", "unknown_original", func(ev obj) { ev["type"], ev["original"] = "return", "INV-404" }},
		}
		before := e.snapshot()
		for i, c := range cases {
			ev := good(i)
			c.spoil(ev)
			p := e.do("POST", "/v1/events", e.keyA, ev).fails(422, "validation_failed", c.field)
			if got := p.fieldCode(c.field); got != c.code {
				t.Errorf("%s: %s is %q, want %q: %+v", c.name, c.field, got, c.code, p.Errors)
			}
		}
		if after := e.snapshot(); after != before || e.available("/v1/organizations/ext:R-1/wallet") != 0 {
			t.Fatalf("refused events wrote something: %v → %v", before, after)
		}

		// A batch whose 4th event is wrong writes none of the first three.
		batch := []obj{good(0), good(1), good(2), good(3), good(4)}
		batch[3]["lines"] = []obj{line("A", 0, 5000)}
		batch[4]["organization"] = "ext:NOPE"
		p := e.do("POST", "/v1/events:batch", e.keyA, obj{"events": batch}).fails(422, "validation_failed", "events[3].lines[0].qty")
		if strings.Contains(fmt.Sprint(p.Errors), "events[0]") || strings.Contains(fmt.Sprint(p.Errors), "events[2]") {
			t.Errorf("the batch's good events are blamed: %+v", p.Errors)
		}
		batch[3] = good(3)
		e.do("POST", "/v1/events:batch", e.keyA, obj{"events": batch}).fails(422, "validation_failed", "events[4].organization")
		if e.available("/v1/organizations/ext:R-1/wallet") != 0 {
			t.Fatal("a refused batch credited points")
		}

		// Every external id is still free: the corrected events are new.
		var fixed []obj
		for i := range cases {
			fixed = append(fixed, good(i))
		}
		for i, r := range e.sendBatch(e.keyA, fixed) {
			if r.Duplicate || r.only(e).points() != 10 {
				t.Errorf("corrected event %d: %+v", i, r)
			}
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != int64(10*len(cases)) {
			t.Fatalf("balance %d, want %d", got, 10*len(cases))
		}
		e.ledgerOK(e.tidA)
	})
}

// TestDefinitionErrors: a rule that cannot compile is refused when the
// version is saved, with its path and position; one that fails on an
// event refuses the event.
func TestDefinitionErrors(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "fixed", "effects": []obj{{"type": "earn", "fixed": 5}}}}})
		path := "/v1/programs/" + str(f.program["id"]) + "/versions"
		def := obj{"currency": "EUR", "point_type_id": f.pt["id"], "rules": []obj{{"id": "typo", "condition": "event.amout > 1", "effects": []obj{{"type": "earn", "fixed": 1}}}}}
		p := e.do("POST", path, e.keyA, obj{"definition": def}).fails(422, "validation_failed", "definition.rules[0].condition")
		if msg := fmt.Sprint(p.Errors); !strings.Contains(msg, "line 1, column 6") || !strings.Contains(msg, "amout") {
			t.Errorf("the error does not say where: %s", msg)
		}
		def["rules"] = []obj{{"id": "typo", "condition": "event.amount > 1", "effects": []obj{{"type": "earn", "fixed": 1, "lines": "line.price > 1"}}}}
		e.do("POST", path, e.keyA, obj{"definition": def}).fails(422, "validation_failed", "definition.rules[0].effects[0].lines")
		e.do("POST", path+"?dry_run=true", e.keyA, obj{"definition": def}).fails(422, "validation_failed", "definition.rules[0].effects[0].lines")
		def["rules"] = []obj{{"id": "zero", "condition": "event.amount / 0 > 1", "effects": []obj{{"type": "earn", "fixed": 1}}}}
		var checked obj
		e.do("POST", path+"?dry_run=true", e.keyA, obj{"definition": def}).must(201, &checked) // checked, not saved
		if checked["version"] != float64(2) {
			t.Fatalf("a dry run answers the version it would add: %v", checked)
		}
		e.do("POST", path, e.keyA, obj{"definition": def}).must(201, nil) // in force from now
		var versions struct{ Items []obj }
		if e.do("GET", path, e.keyA, nil).must(200, &versions); len(versions.Items) != 2 {
			t.Fatalf("%d versions, want the first and the division", len(versions.Items))
		}

		p = e.do("POST", "/v1/events", e.keyA, invoice("INV-1", line("A", 3, 5000))).fails(422, "rule_eval_failed", "")
		if !strings.Contains(p.Detail, `"zero"`) || !strings.Contains(p.Detail, "division by zero") {
			t.Errorf("the refusal does not name the rule and the failure: %s", p.Detail)
		}
		if e.available("/v1/organizations/ext:R-1/wallet") != 0 {
			t.Fatal("a failed rule credited points")
		}
		// An event of before the new version is evaluated by the first.
		before := invoice("INV-0", line("A", 3, 5000))
		before["occurred_at"] = epoch.Add(-time.Hour).Format(time.RFC3339)
		if o := e.send(e.keyA, before).only(e); o.points() != 5 {
			t.Fatalf("an event under version 1: %d points, want 5", o.points())
		}
	})
}
