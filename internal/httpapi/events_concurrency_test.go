package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
)

// Twenty returns of one invoice at once, each of a tenth of it: exactly
// ten are accepted, the others are refused for returning more than is
// left, and exactly the invoice's points are taken back — never more.
func TestConcurrentReturnsOfOneInvoice(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"return_policy": "allow_negative",
			"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, obj{"negative_limit": 100000})
		e.dealer(e.keyA, "R-1")
		if o := e.send(e.keyA, invoice("INV-1", line("A", 100, 10000))).only(e); o.points() != 1000 {
			t.Fatalf("the invoice earned %d, want 1,000", o.points())
		}
		status, codes := parallel(20, func(i int) *resp {
			return e.do("POST", "/v1/events", e.keyA, returnOf(fmt.Sprint("CN-", i), "INV-1", "R-1", line("A", 10, 0)))
		})
		if n := count(status, 200); n != 10 || count(status, 422) != 10 {
			t.Fatalf("statuses %v codes %v; want ten returns accepted and ten refused", status, codes)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 0 {
			t.Fatalf("after returning everything the wallet has %d, want 0", got)
		}
		e.do("POST", "/v1/events", e.keyA, returnOf("CN-X", "INV-1", "R-1", line("A", 1, 0))).fails(422, "validation_failed", "lines[0].qty")
		e.ledgerOK(e.tidA)
	})
}

// Twenty copies of one event at once (an ERP retrying): one is applied,
// every other copy gets its outcome back as a duplicate, and the points
// are credited once.
func TestConcurrentCopiesOfOneEvent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		e.dealer(e.keyA, "R-1")
		dups := make([]bool, 20)
		status, codes := parallel(20, func(i int) *resp {
			r := e.do("POST", "/v1/events", e.keyA, invoice("INV-1", line("A", 10, 10000)))
			var res eventResult
			_ = json.Unmarshal(r.Body, &res)
			dups[i] = res.Duplicate
			return r
		})
		if count(status, 200) != 20 || count(dups, false) != 1 {
			t.Fatalf("statuses %v codes %v duplicates %v; want twenty 200, one of them new", status, codes, dups)
		}
		if got := e.balanceOf(e.keyA, "R-1"); got != 100 {
			t.Fatalf("wallet %d, want the invoice's 100 points once", got)
		}
		e.ledgerOK(e.tidA)
	})
}

// Eight batches at once over the same five dealers, each naming them in
// its own order: every batch succeeds (the program states a batch reads
// are locked at its start, in one order for all batches, so no two wait
// for each other) and each wallet holds exactly its invoices' points.
func TestConcurrentBatchesOverSharedOrganizations(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		dealers := []string{"S-1", "S-2", "S-3", "S-4", "S-5"}
		for _, d := range dealers {
			e.dealer(e.keyA, d)
		}
		status, codes := parallel(8, func(b int) *resp {
			var evs []obj
			for i := range 10 {
				d := dealers[(b*3+i*(1+b%4))%len(dealers)] // each batch its own order
				evs = append(evs, event("invoice", fmt.Sprintf("B%d-%d", b, i), d, line("A", 1, int64(1000*(i+1)))))
			}
			return e.do("POST", "/v1/events:batch", e.keyA, obj{"events": evs})
		})
		if count(status, 200) != 8 {
			t.Fatalf("statuses %v codes %v; want every batch accepted", status, codes)
		}
		want := map[string]int64{}
		for b := range 8 {
			for i := range 10 {
				want[dealers[(b*3+i*(1+b%4))%len(dealers)]] += int64(i + 1) // 10% of (i+1) × 10.00, a point per 1.00
			}
		}
		for _, d := range dealers {
			if got := e.balanceOf(e.keyA, d); got != want[d] {
				t.Errorf("%s holds %d points, want %d", d, got, want[d])
			}
		}
		e.ledgerOK(e.tidA)
	})
}

// Sixty single events of one caller at once, over six dealers, six of
// them returns of invoices never received. Events a caller sends at the
// same time are applied together, several to a transaction; each still
// gets its own answer: every invoice its own points, every wrong return
// the error it gets alone (naming "original", not an index in a batch),
// and no wrong return keeps another event from being applied.
func TestSimultaneousEventsOfOneCallerEachGetTheirOwnAnswer(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}}, nil)
		dealers := []string{"J-1", "J-2", "J-3", "J-4", "J-5", "J-6"}
		for _, d := range dealers {
			e.dealer(e.keyA, d)
		}
		wrong := func(i int) bool { return i%10 == 3 }
		bodies := make([]*resp, 60)
		parallel(60, func(i int) *resp {
			d := dealers[i%len(dealers)]
			if wrong(i) {
				bodies[i] = e.do("POST", "/v1/events", e.keyA, returnOf(fmt.Sprint("CN-", i), fmt.Sprint("NOPE-", i), d, line("A", 1, 0)))
			} else {
				bodies[i] = e.do("POST", "/v1/events", e.keyA, event("invoice", fmt.Sprint("INV-", i), d, line("A", 1, int64(1000*(i+1)))))
			}
			return bodies[i]
		})
		want := map[string]int64{}
		for i, r := range bodies {
			if wrong(i) {
				r.fails(422, "validation_failed", "original")
				continue
			}
			var res struct {
				eventResult
				Event struct {
					ExternalID string `json:"external_id"`
				} `json:"event"`
			}
			r.must(200, &res)
			if res.Event.ExternalID != fmt.Sprint("INV-", i) || res.Duplicate {
				t.Errorf("request %d was answered for event %q (duplicate %v)", i, res.Event.ExternalID, res.Duplicate)
			}
			if got := res.only(e).points(); got != int64(i+1) {
				t.Errorf("INV-%d earned %d, want %d", i, got, i+1) // 10% of (i+1) × 10.00, a point per 1.00
			}
			want[dealers[i%len(dealers)]] += int64(i + 1)
		}
		if n := e.metric("loyal_events_joined_batch_size_sum"); n != 54 {
			t.Errorf("/metrics counts %d single events applied, want the 54 invoices", n)
		}
		for _, d := range dealers {
			if got := e.balanceOf(e.keyA, d); got != want[d] {
				t.Errorf("%s holds %d points, want %d", d, got, want[d])
			}
		}
		e.ledgerOK(e.tidA)
	})
}
