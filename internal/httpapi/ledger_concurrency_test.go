package httpapi_test

import (
	"encoding/json"
	"fmt"
	"sync"
	"testing"
)

// Twenty reversals of one spend at once, each with its own key: exactly
// one gives the points back, every other answer is 409 already_reversed
// (never a 500), and the wallet ends exactly where it was before the spend.
// Several rounds, because a race shows only sometimes.
func TestReverseConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		org := f.owner(f.org, "organization")
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 990},
			"Idempotency-Key", "earn-990").must(201, nil)
		for round := range 5 {
			var spent obj
			e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 90},
				"Idempotency-Key", fmt.Sprintf("spend-%d", round)).must(201, &spent)
			if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 900 {
				t.Fatalf("round %d: %d after the spend, want 900", round, got)
			}
			status, codes := parallel(20, func(i int) *resp {
				return e.do("POST", "/v1/transactions/"+str(spent["id"])+"/reverse", e.keyA, obj{"reason": "cancelled"},
					"Idempotency-Key", fmt.Sprintf("rev-%d-%d", round, i))
			})
			if n := count(status, 201); n != 1 || count(codes, "already_reversed") != 19 {
				t.Fatalf("round %d: statuses %v codes %v; want one 201 and 19 409 already_reversed", round, status, codes)
			}
			if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 990 {
				t.Fatalf("round %d: wallet %d after the reversals, want exactly 990", round, got)
			}
			e.ledgerOK(e.tidA)
		}
	})
}

// parallel sends n requests at once and returns their statuses and the
// problem codes of the refused ones.
func parallel(n int, send func(i int) *resp) ([]int, []string) {
	status, codes := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := send(i)
			status[i] = r.Status
			if r.Status >= 400 {
				codes[i] = problemCode(r.Body)
			}
		})
	}
	wg.Wait()
	return status, codes
}

// count returns how many of xs equal x.
func count[T comparable](xs []T, x T) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

// problemCode is the code of a problem document ("" if the body is not one).
func problemCode(body []byte) string {
	var p problem
	_ = json.Unmarshal(body, &p)
	return p.Code
}
