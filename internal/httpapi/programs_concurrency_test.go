package httpapi_test

import (
	"testing"
)

// Twenty lifecycle moves of one active program at once, half ending it and
// half pausing it: the moves happen one after the other, so an ended
// program is never paused afterwards, and at most a pause then an end
// succeed. Twenty new versions at the same moment: one is added, the
// others are refused for not starting after it, none is lost or doubled.
func TestProgramChangesConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, cashbackStamps, nil)
		pid := str(f.program["id"])
		status, codes := parallel(20, func(int) *resp {
			return e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": obj{"point_type_id": f.pt["id"], "currency": "EUR",
				"rules": []obj{{"id": "five", "effects": []obj{{"type": "earn", "percent_bp": 500}}}}}})
		})
		var vs struct{ Items []obj }
		e.do("GET", "/v1/programs/"+pid+"/versions", e.keyA, nil).must(200, &vs)
		if count(status, 201) != 1 || count(status, 500) != 0 || len(vs.Items) != 2 {
			t.Fatalf("new versions at once: statuses %v codes %v, %d versions; want one added", status, codes, len(vs.Items))
		}
		status, codes = parallel(20, func(i int) *resp {
			to := "ended"
			if i%2 == 1 {
				to = "paused"
			}
			return e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": to})
		})
		var pr obj
		e.do("GET", "/v1/programs/"+pid, e.keyA, nil).must(200, &pr)
		ok := count(status, 200)
		if ok < 1 || ok > 2 || count(codes, "invalid_transition") != 20-ok || pr["status"] != "ended" && ok == 2 {
			t.Fatalf("moves at once: statuses %v codes %v, program %s; want a pause and an end at most, in that order", status, codes, pr["status"])
		}
		if ok == 1 && pr["status"] == "paused" {
			// It may end now: only an ended program is final.
			e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "ended"}).must(200, nil)
		}
		e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "paused"}).fails(409, "invalid_transition", "")
	})
}

// Sixteen colleagues' decisions on one pending activation at once, half
// approving and half rejecting: exactly one is made and audited, the others
// find nothing pending, and none waits forever. The four-eyes check reads
// before the decision's write: inside it, after the program's lock, every
// connection of PostgreSQL's pool was held by a decision waiting for one
// more.
func TestActivationDecisionsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		pr, _ := pendingActivation(e)
		pid := str(pr["id"])
		status, codes := parallel(16, func(i int) *resp {
			if i%2 == 0 {
				return e.do("POST", "/v1/programs/"+pid+"/activation/approve", e.keyA, obj{})
			}
			return e.do("POST", "/v1/programs/"+pid+"/activation/reject", e.keyA, obj{"note": "not yet"})
		})
		if count(status, 200) != 1 || count(codes, "not_pending") != 15 {
			t.Fatalf("decisions at once: statuses %v codes %v; want one made, fifteen finding nothing pending", status, codes)
		}
		var l list
		e.do("GET", "/v1/audit-log?entity_type=program&entity_id="+pid, e.keyA, nil).must(200, &l)
		decisions := 0
		for _, a := range l.Items {
			if a["action"] == "program.activation_approved" || a["action"] == "program.activation_rejected" {
				decisions++
			}
		}
		if decisions != 1 {
			t.Fatalf("%d decisions audited, want 1", decisions)
		}
	})
}
