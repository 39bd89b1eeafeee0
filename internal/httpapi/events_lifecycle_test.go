package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

// cashbackStamps earns 10% and a stamp per purchase, so that a dry run
// that wrote its state would show in the next event's stamps.
var cashbackStamps = obj{
	"rules":  []obj{{"id": "cashback", "name": "10% back", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}},
	"stamps": obj{"needed": 5, "reward": obj{"type": "coupon", "reward_id": "gift"}},
}

// TestDryRun evaluates events with ?dry_run=true: the answer is the
// outcome, and nothing is written — no points, no state, no event.
func TestDryRun(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, cashbackStamps)
		inv := invoice("INV-1", line("A", 2, 10000))
		var dry eventResult
		e.do("POST", "/v1/events?dry_run=true", e.keyA, inv).must(200, &dry)
		if o := dry.only(e); !dry.DryRun || o.points() != 20 || o.Stamps == nil || o.Stamps.Total != 1 {
			t.Fatalf("dry run: %+v", dry)
		}
		// A dry batch evaluates like a real one: later events see earlier
		// ones, a return finds its invoice, and the invoice's answer stays
		// what the invoice did.
		var batch struct{ Results []eventResult }
		e.do("POST", "/v1/events:batch?dry_run=true", e.keyA, obj{"events": []obj{inv, invoice("INV-2", line("A", 1, 10000)),
			returnOf("CN-0", "INV-1", "R-1", line("A", 2, 0))}}).must(200, &batch)
		if len(batch.Results) != 3 || batch.Results[1].only(e).points() != 10 || batch.Results[1].only(e).Stamps.Total != 2 {
			t.Fatalf("dry batch: %+v", batch)
		}
		if o := batch.Results[2].only(e); len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 20 {
			t.Fatalf("dry return of a dry invoice: %+v", o)
		}
		if b := string(e.do("POST", "/v1/events:batch?dry_run=true", e.keyA, obj{"events": []obj{inv, returnOf("CN-0", "INV-1", "R-1", line("A", 2, 0))}}).Body); strings.Contains(b, `"returned"`) {
			t.Fatalf("the dry invoice's answer shows the return after it: %s", b)
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 0 {
			t.Fatalf("a dry run credited %d", got)
		}
		real := e.send(e.keyA, inv)
		if o := real.only(e); real.Duplicate || real.DryRun || o.points() != 20 || o.Stamps.Total != 1 {
			t.Fatalf("the event after its dry runs: %+v", real)
		}
		// A dry-run return shows the clawback and takes nothing.
		e.do("POST", "/v1/events?dry_run=true", e.keyA, returnOf("CN-1", "INV-1", "R-1", line("A", 1, 0))).must(200, &dry)
		if o := dry.only(e); len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 10 {
			t.Fatalf("dry return: %+v", dry)
		}
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 20 {
			t.Fatalf("a dry return took points: %d", got)
		}
		if o := e.send(e.keyA, returnOf("CN-1", "INV-1", "R-1", line("A", 1, 0))).only(e); len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 10 {
			t.Fatalf("the return after its dry run: %+v", o)
		}
		e.ledgerOK(e.tidA)
	})
}

// TestDryRunOfNewOrganization: a dry batch whose events create an
// organization creates none, and evaluates its second event as the real
// batch does, for the organization the first one would have created.
func TestDryRunOfNewOrganization(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"unknown_organizations": "create", "rules": cashbackStamps["rules"], "stamps": cashbackStamps["stamps"]})
		var evs []obj
		for _, ext := range []string{"N-1", "N-2"} {
			ev := event("invoice", ext, "NEW-1", line("A", 1, 10000))
			ev["new_organization"] = obj{"name": "Newco", "type": "dealer"}
			evs = append(evs, ev)
		}
		before := e.snapshot()
		var dry, real struct{ Results []eventResult }
		e.do("POST", "/v1/events:batch?dry_run=true", e.keyA, obj{"events": evs}).must(200, &dry)
		if after := e.snapshot(); after != before {
			t.Fatalf("a dry run created something: %v → %v", before, after)
		}
		e.do("POST", "/v1/events:batch", e.keyA, obj{"events": evs}).must(200, &real)
		if fmt.Sprint(fingerprint(dry.Results)) != fmt.Sprint(fingerprint(real.Results)) || dry.Results[0].Results[0].Stamps.Total != 1 ||
			dry.Results[1].Results[0].Stamps.Total != 2 {
			t.Fatalf("dry %v, real %v", fingerprint(dry.Results), fingerprint(real.Results))
		}
		if e.count("/v1/organizations") != before[0]+1 || e.available("/v1/organizations/ext:NEW-1/wallet") != 20 {
			t.Fatal("the real batch did not create the organization with its points")
		}
	})
}

// TestPausedProgram: a paused program evaluates nothing; resumed, it
// earns again.
func TestPausedProgram(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, cashbackStamps)
		status := "/v1/programs/" + str(f.program["id"]) + "/status"
		e.do("POST", status, e.keyA, obj{"status": "paused"}).must(200, nil)
		if r := e.send(e.keyA, invoice("INV-1", line("A", 1, 10000))); len(r.Results) != 0 {
			t.Fatalf("a paused program evaluated the event: %+v", r)
		}
		e.do("POST", "/v1/quote", e.keyA, obj{"organization": "ext:R-1", "currency": "EUR", "lines": []obj{line("A", 1, 10000)}}).fails(409, "no_running_program", "")
		if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 0 {
			t.Fatalf("paused, the organization earned %d", got)
		}
		e.do("POST", status, e.keyA, obj{"status": "active"}).must(200, nil)
		if o := e.send(e.keyA, invoice("INV-2", line("A", 1, 10000))).only(e); o.Status != "applied" || o.points() != 10 || o.Stamps.Total != 1 {
			t.Fatalf("resumed: %+v", o)
		}
		e.do("POST", status, e.keyA, obj{"status": "ended"}).must(200, nil)
		e.do("POST", status, e.keyA, obj{"status": "active"}).fails(409, "invalid_transition", "")
		if r := e.send(e.keyA, invoice("INV-3", line("A", 1, 10000))); len(r.Results) != 0 {
			t.Fatalf("an ended program evaluated the event: %+v", r)
		}
	})
}

// TestPilotWithControlGroup: in a pilot, the pilot's organizations earn,
// the control group is recorded without benefits, and everyone else is
// outside; activated, the program is for all.
func TestPilotWithControlGroup(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		pilot, control := e.dealer(e.keyA, "P-1"), e.dealer(e.keyA, "C-1")
		e.dealer(e.keyA, "X-1")
		var prog, pt obj
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "Pilot club"}).must(201, &prog)
		base := "/v1/programs/" + str(prog["id"])
		e.do("POST", base+"/point-types", e.keyA, obj{"code": "points", "name": "P", "unit": "points", "currency": "EUR", "value_num": 100, "value_den": 1}).must(201, &pt)
		def := obj{"currency": "EUR", "point_type_id": pt["id"], "rules": cashbackStamps["rules"]}
		e.do("POST", base+"/versions", e.keyA, obj{"definition": def}).must(201, nil)
		e.do("POST", base+"/status", e.keyA, obj{"status": "pilot", "pilot": []any{control["id"]}, "control": []any{control["id"]}}).fails(422, "validation_failed", "control")
		var got obj
		e.do("POST", base+"/status", e.keyA, obj{"status": "pilot", "pilot": []any{pilot["id"]}, "control": []any{control["id"]}}).must(200, &got)
		if got["status"] != "pilot" || len(got["pilot"].([]any)) != 1 || len(got["control"].([]any)) != 1 {
			t.Fatalf("program %v", got)
		}
		for _, c := range []struct {
			org, status string
			points      int64
		}{{"P-1", "applied", 10}, {"C-1", "control", 0}, {"X-1", "outside", 0}} {
			o := e.send(e.keyA, event("invoice", "INV-"+c.org, c.org, line("A", 1, 10000))).only(e)
			if o.Status != c.status || o.points() != c.points || e.balanceOf(e.keyA, c.org) != c.points {
				t.Errorf("%s in the pilot: %+v, want %s and %d points", c.org, o, c.status, c.points)
			}
			if c.status != "applied" && o.Reason == "" {
				t.Errorf("%s: no reason for %s", c.org, c.status)
			}
		}
		e.do("POST", base+"/status", e.keyA, obj{"status": "active"}).must(200, nil)
		if o := e.send(e.keyA, event("invoice", "INV-C-2", "C-1", line("A", 1, 10000))).only(e); o.Status != "applied" || o.points() != 10 {
			t.Fatalf("the control group once active: %+v", o)
		}
		e.ledgerOK(e.tidA)
	})
}
