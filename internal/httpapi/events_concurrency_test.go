package httpapi_test

import (
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
