package httpapi_test

import (
	"fmt"
	"slices"
	"testing"
)

// Twenty acceptances of a program's terms at once record one decision
// (the others: 409 already_accepted), and twenty revocations one more
// (409 nothing_to_revoke): the history stays a sequence of real changes.
// Twenty terms published at once get the versions 2 to 21, none refused.
func TestConsentDecisionsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newConsentFixture(e)
		pid := str(f.program["id"])
		e.do("POST", "/v1/programs/"+pid+"/terms", e.keyA, obj{"title": "Employee incentives", "body": "1. ..."}).must(201, nil)
		for _, c := range []struct{ decision, refusal string }{{"accepted", "already_accepted"}, {"revoked", "nothing_to_revoke"}} {
			status, codes := parallel(20, func(int) *resp {
				return e.do("POST", f.path(), e.keyA, obj{"program_id": pid, "decision": c.decision, "method": "portal", "member_id": f.owner["id"]})
			})
			if count(status, 201) != 1 || count(codes, c.refusal) != 19 {
				t.Fatalf("%s: statuses %v codes %v; want one 201 and 19 409 %s", c.decision, status, codes, c.refusal)
			}
		}
		if st := e.consentState(f); len(st.History) != 2 || st.Programs[0].State != "revoked" {
			t.Fatalf("history %v, state %s; want one acceptance and one revocation", st.History, st.Programs[0].State)
		}
		status, _ := parallel(20, func(i int) *resp {
			return e.do("POST", "/v1/programs/"+pid+"/terms", e.keyA, obj{"title": fmt.Sprint("Terms ", i), "body": "..."})
		})
		if count(status, 201) != 20 {
			t.Fatalf("publishing terms at once: statuses %v, want twenty 201", status)
		}
		var terms struct{ Items []struct{ Version int } }
		e.do("GET", "/v1/programs/"+pid+"/terms", e.keyA, nil).must(200, &terms)
		var versions []int
		for _, tm := range terms.Items {
			versions = append(versions, tm.Version)
		}
		slices.Sort(versions)
		if want := []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21}; !slices.Equal(versions, want) {
			t.Fatalf("terms versions %v, want 1 to 21", versions)
		}
	})
}
