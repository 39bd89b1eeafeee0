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
