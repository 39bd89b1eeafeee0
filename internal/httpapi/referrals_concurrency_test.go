package httpapi_test

import (
	"fmt"
	"testing"
)

// Two new organizations each registered as referred by the other at the
// same moment, ten times: one referral is recorded and the other refused
// as a loop, never both (each would earn the other's referral reward).
// Twenty registrations of one organization at once record one referral,
// and twenty first purchases at once reward both sides once.
func TestReferralRegistrationsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newReferralFixture(e)
		for round := range 10 {
			pair := []obj{e.dealer(e.keyA, fmt.Sprint("PA-", round)), e.dealer(e.keyA, fmt.Sprint("PB-", round))}
			codes := make([]string, 2)
			for i, o := range pair {
				var c struct{ Code string }
				e.do("GET", "/v1/organizations/"+str(o["id"])+"/referral-code", e.keyA, nil).must(200, &c)
				codes[i] = c.Code
			}
			status, probs := parallel(2, func(i int) *resp {
				return e.do("POST", "/v1/referrals", e.keyA, obj{"code": codes[1-i], "organization": pair[i]["id"]})
			})
			if count(status, 201) != 1 || count(status, 422) != 1 {
				t.Fatalf("round %d: statuses %v codes %v; want one referral and one refused loop", round, status, probs)
			}
		}
		newOrg := e.dealer(e.keyA, "NEW-1")
		status, probs := parallel(20, func(int) *resp {
			return e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": newOrg["id"]})
		})
		if count(status, 201) != 1 || count(probs, "already_referred") != 19 {
			t.Fatalf("statuses %v codes %v; want one 201 and 19 409 already_referred", status, probs)
		}
		status, _ = parallel(20, func(i int) *resp {
			return e.do("POST", "/v1/events", e.keyA, event("invoice", fmt.Sprint("NEW-INV-", i), "NEW-1", line("A", 1, 150000)))
		})
		if got := e.balanceOf(e.keyA, "R-1"); count(status, 200) != 20 || got != 500 {
			t.Fatalf("statuses %v; referrer balance %d after twenty first purchases at once, want one reward of 500", status, got)
		}
		if got := e.balanceOf(e.keyA, "NEW-1"); got != 20*15+200 {
			t.Fatalf("referred balance %d, want twenty purchases' 15 and one reward of 200", got)
		}
		e.ledgerOK(e.tidA)
	})
}
