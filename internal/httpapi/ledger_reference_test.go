package httpapi_test

import "testing"

// A statement's event_id only ever names an ingested event; a manual
// operation's own text is its reference (sent as reference, or as
// event_id, the field's older name).
func TestLedgerReferenceAndEventID(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		owner := obj{"type": "organization", "id": "ext:R-1"}
		var a, b, tx obj
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": owner, "point_type_id": f.pt["id"], "amount": 5, "reference": "INV-77"},
			"Idempotency-Key", "m-1").must(201, &a)
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": owner, "point_type_id": f.pt["id"], "amount": 6, "event_id": "INV-78"},
			"Idempotency-Key", "m-2").must(201, &b)
		if a["reference"] != "INV-77" || a["event_id"] != "" || b["reference"] != "INV-78" || b["event_id"] != "" {
			t.Fatalf("manual earns: %v, %v; want the text as reference and no event_id", a, b)
		}
		e.do("GET", "/v1/transactions/"+str(b["id"]), e.keyA, nil).must(200, &tx)
		if tx["reference"] != "INV-78" || tx["event_id"] != "" {
			t.Errorf("transaction read back: %v", tx)
		}
		ev := e.send(e.keyA, event("invoice", "INV-1", "R-1", line("A", 1, 1000)))
		w := e.wallet("/v1/organizations/ext:R-1/wallet")
		var stmt list
		e.do("GET", "/v1/accounts/"+w.Balances[0].AccountID+"/statement", e.keyA, nil).must(200, &stmt)
		want := map[string][2]any{"INV-77": {nil, "INV-77"}, "INV-78": {nil, "INV-78"}, ev.ID: {ev.ID, nil}}
		seen := 0
		for _, l := range stmt.Items {
			for k, w := range want {
				if l["event_id"] == k || l["reference"] == k {
					seen++
					if l["event_id"] != w[0] || l["reference"] != w[1] {
						t.Errorf("statement line %v: want event_id %v, reference %v", l, w[0], w[1])
					}
				}
			}
		}
		if seen != 3 {
			t.Errorf("statement: %d of 3 lines found: %v", seen, stmt.Items)
		}
	})
}
