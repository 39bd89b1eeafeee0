package httpapi_test

import (
	"strings"
	"testing"
	"time"
)

// TestConsentJudgedAtTheSalesDate: a sales rep earns 1 personal point per
// 10.00 only while management's consent is in force at the sale's date.
//
// Terms published 2 March; accepted 10 March; revoked 20 March. An invoice
// of 500.00 from 5 March sent on 11 March earns the rep nothing; one of
// 12 March earns 50; one of 15 March sent on 21 March, after the
// revocation, still earns 50; one of 22 March earns nothing. The
// organization earns its 50 each time.
func TestConsentJudgedAtTheSalesDate(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"beneficiary": "both",
			"rules": []obj{{"id": "base", "effects": []obj{{"type": "earn", "per_amount": obj{"points": 1, "per": 1000}}}}}})
		pid := str(f.program["id"])
		owner := e.createMember(obj{"organization_id": f.org["id"], "name": "Olga Owner", "roles": []string{"owner"}})
		rep := e.createMember(obj{"organization_id": f.org["id"], "name": "Sam Sales", "roles": []string{"sales"}})
		e.do("POST", "/v1/programs/"+pid+"/terms", e.keyA, obj{"title": "Seller bonus", "body": "1 point per 10.00"}).must(201, nil)
		day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
		decide := func(d int, decision string) {
			e.clock.Set(day(d))
			e.do("POST", "/v1/organizations/"+str(f.org["id"])+"/consents", e.keyA, obj{"program_id": pid, "decision": decision,
				"method": "portal", "member_id": owner["id"]}).must(201, nil)
		}
		sale := func(ext string, occurred, sent int) outcome {
			e.clock.Set(day(sent))
			ev := invoice(ext, line("TILE", 10, 5000))
			ev["occurred_at"], ev["member"] = day(occurred).Format(time.RFC3339), rep["id"]
			return e.send(e.keyA, ev).only(e)
		}
		personal := func(o outcome) (n int64) {
			for _, x := range o.Earns {
				if x.OwnerType == "member" {
					n += x.Points
				}
			}
			return n
		}
		decide(10, "accepted")
		early := sale("INV-5", 5, 11)
		if personal(early) != 0 || early.points() != 50 || len(early.Notes) != 1 || !strings.Contains(early.Notes[0], "employee terms") {
			t.Errorf("back-dated sale: %+v", early)
		}
		if o := sale("INV-12", 12, 12); personal(o) != 50 || o.points() != 100 {
			t.Errorf("sale while accepted: %+v", o)
		}
		decide(20, "revoked")
		if o := sale("INV-15", 15, 21); personal(o) != 50 {
			t.Errorf("sale of 15 March sent after the revocation: %+v", o)
		}
		if o := sale("INV-22", 22, 22); personal(o) != 0 || o.points() != 50 {
			t.Errorf("sale after the revocation: %+v", o)
		}
		if got := memberBalance(e, str(rep["id"])); got != 100 {
			t.Errorf("the rep holds %d points, want 100", got)
		}
	})
}
