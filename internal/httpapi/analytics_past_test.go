package httpapi_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
)

// TestParticipationOfThePast: a report that ends in the past cannot use
// the wallets' latest activity, which is later; it asks the ledger. Each
// organization below has activity after the report's end and a different
// story before it, and a member's wallet counts for its organization. One
// organization's newest posting before the end is backdated to before the
// active window although an older posting is within it: still active. A
// program of discounts alone, with no point type, has its organizations
// enrolled and none active: the club's points are not its activity.
func TestParticipationOfThePast(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "none", "condition": "false", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		var trade obj
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "Trade discounts"}).must(201, &trade)
		e.do("POST", "/v1/programs/"+str(trade["id"])+"/versions", e.keyA, obj{"definition": obj{"currency": "EUR", "discounts": []obj{{"id": "cum",
			"kind": "cumulative", "basis": "lifetime", "steps": []obj{{"from": 100000000, "percent_bp": 500}}}}}}).must(201, nil)
		e.do("POST", "/v1/programs/"+str(trade["id"])+"/status", e.keyA, obj{"status": "active"}).must(200, nil)
		to := epoch.AddDate(0, 0, 400) // the organizations and the program are older
		at := func(days int) string { return to.AddDate(0, 0, days).Format(time.RFC3339) }
		n := 0
		earn := func(owner obj, days int) {
			n++
			e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": owner, "point_type_id": f.pt["id"], "amount": 5, "effective_at": at(days)},
				"Idempotency-Key", fmt.Sprint("past-", n)).must(201, nil)
		}
		org := func(ext string) obj { return obj{"type": "organization", "id": "ext:" + ext} }
		exts := []string{"OA", "OB", "OC", "OD", "OE", "OF"}
		for _, ext := range exts {
			e.dealer(e.keyA, ext)
		}
		e.clock.Advance(500 * 24 * time.Hour)
		for _, ext := range exts {
			ev := event("invoice", "enrol-"+ext, ext, line("X", 1, 1000))
			ev["occurred_at"] = at(-399) // enrols, earns nothing
			e.send(e.keyA, ev)
		}
		var oe obj
		e.do("GET", "/v1/organizations/ext:OE", e.keyA, nil).must(200, &oe)
		m := e.createMember(obj{"organization_id": oe["id"], "name": "Mia", "roles": []string{"sales"}})
		earn(org("OA"), -200) // used long ago, not within the 90 days
		earn(org("OA"), 10)
		earn(org("OB"), -30) // active
		earn(org("OB"), 5)
		earn(org("OC"), 1)    // only after the end: never used
		earn(org("OD"), -10)  // active …
		earn(org("OD"), -300) // … though the newest posting before the end is older than the window
		earn(org("OD"), 3)
		earn(obj{"type": "member", "id": m["id"]}, -20) // active through its member
		earn(org("OE"), 2)
		earn(org("OF"), -60) // no later activity: read from the aggregate
		s := e.app.Analytics
		q := analytics.Query{From: to.AddDate(0, 0, -365), To: to, ProgramID: str(f.program["id"])}
		run := func() (any, error) { return s.Participation(t0(), access.System(e.tidA), q) }
		matchesFromScratch(t, s, "participation of the past", run)
		got, err := s.Participation(t0(), access.System(e.tidA), q)
		if err != nil {
			t.Fatal(err)
		}
		if got.EnrolledOrganizations != 6 || got.ActiveOrganizations != 4 || got.NeverUsed != 1 {
			t.Fatalf("enrolled %d, active %d, never used %d (%v); want 6, 4 and 1 (OC)", got.EnrolledOrganizations,
				got.ActiveOrganizations, got.NeverUsed, got.NeverUsedIDs)
		}
		q.ProgramID = str(trade["id"])
		matchesFromScratch(t, s, "participation of a program without points", run)
		if got, err = s.Participation(t0(), access.System(e.tidA), q); err != nil {
			t.Fatal(err)
		}
		if got.EnrolledOrganizations != 6 || got.ActiveOrganizations != 0 || got.NeverUsed != 6 {
			t.Fatalf("a program without points: enrolled %d, active %d, never used %d; want 6, 0 and 6", got.EnrolledOrganizations,
				got.ActiveOrganizations, got.NeverUsed)
		}
	})
}
