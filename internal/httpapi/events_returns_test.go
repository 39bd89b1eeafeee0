package httpapi_test

import (
	"testing"
)

// TestReturnAfterSpending returns goods whose points were mostly spent:
// the engine takes back the returned share of what the invoice earned,
// and the program's return policy says how far the ledger may go to find
// those points. Each policy runs in a tenant of its own.
func TestReturnAfterSpending(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for _, c := range []struct {
			policy string
			// balances after the first return (60% of INV-1) and the second
			// (the remaining 40%)
			after1, after2 int64
		}{
			// 100 left in INV-1's lot, 200 in INV-2's; 600 then 400 to take back.
			{"source_only", 200, 200},      // only INV-1's remaining 100
			{"other_lots", 0, 0},           // then INV-2's 200, down to zero
			{"allow_negative", -300, -700}, // then below zero, within the limit of 1,000
		} {
			func() {
				fail := func(format string, args ...any) { t.Helper(); t.Fatalf(c.policy+": "+format, args...) }
				tid, key := e.tenantWithKey(c.policy[:5]+"-tenant", "admin")
				f := newProgramIn(e, key, obj{"return_policy": c.policy,
					"rules": []obj{{"id": "ten", "name": "10% back", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}},
					obj{"negative_limit": 1000})
				e.dealer(key, "R-1")
				if o := e.send(key, invoice("INV-1", line("A", 10, 100000))).only(e); o.points() != 1000 {
					fail("INV-1 earned %d, want 1000", o.points())
				}
				var spent obj
				e.do("POST", "/v1/ledger/spend", key, obj{"owner": obj{"type": "organization", "id": "ext:R-1"}, "point_type_id": f.pt["id"],
					"amount": 900, "reason": "order 77 paid with points"}, "Idempotency-Key", "spend-77").must(201, &spent)
				e.do("POST", "/v1/ledger/spend", key, obj{"owner": obj{"type": "organization", "id": "ext:R-1"}, "point_type_id": f.pt["id"],
					"amount": 900, "reason": "order 77 paid with points"}, "Idempotency-Key", "spend-77").must(201, nil)
				if o := e.send(key, invoice("INV-2", line("B", 1, 200000))).only(e); o.points() != 200 {
					fail("INV-2 earned %d, want 200", o.points())
				}
				if got := e.balanceOf(key, "R-1"); got != 300 {
					fail("before the return: %d, want 1000 - 900 + 200 = 300 (the spend was sent twice with one key)", got)
				}

				o := e.send(key, returnOf("CN-1", "INV-1", "R-1", line("A", 6, 0))).only(e)
				if len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 600 {
					fail("return of 60%%: clawbacks %+v, want 600", o.Clawbacks)
				}
				if got := e.balanceOf(key, "R-1"); got != c.after1 {
					fail("after returning 60%%: %d, want %d", got, c.after1)
				}
				o = e.send(key, returnOf("CN-2", "INV-1", "R-1", line("A", 4, 0))).only(e)
				if len(o.Clawbacks) != 1 || o.Clawbacks[0].Points != 400 {
					fail("return of the other 40%%: clawbacks %+v, want 400", o.Clawbacks)
				}
				if got := e.balanceOf(key, "R-1"); got != c.after2 {
					fail("after returning everything: %d, want %d", got, c.after2)
				}
				e.do("POST", "/v1/events", key, returnOf("CN-3", "INV-1", "R-1", line("A", 1, 0))).fails(422, "validation_failed", "lines[0].qty")
				e.ledgerOK(tid)
			}()
		}
	})
}
