package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/store"
)

// TestAnalyticsAggregatesExact runs random histories — invoices and
// returns sent out of time order (history backfilled), earns and spends
// with past effective times, manual adjustments, expiries — and checks
// that every report read from the aggregates equals the report recomputed
// from the facts and the ledger, for several ranges and filters; then
// again after the aggregates are dropped and rebuilt. Both engines.
func TestAnalyticsAggregatesExact(t *testing.T) {
	for seed := uint64(1); seed <= 2; seed++ {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			each(t, func(t *testing.T, e *env) {
				club, pilot := randomAnalyticsHistory(e, rand.New(rand.NewPCG(seed, 7)))
				compareAggregates(t, e, club, pilot)
				for _, q := range []string{`DELETE FROM analytics_org_facts`, `DELETE FROM analytics_ledger_days`, `DELETE FROM analytics_wallet_activity`,
					`INSERT INTO analytics_pack_pending (tenant_id) VALUES ('` + e.tidA + `')`} {
					if err := e.app.DB.Exec(t0(), q); err != nil {
						t.Fatal(err)
					}
				}
				if n, err := e.app.DB.RebuildAnalytics(t0(), e.tidA); err != nil || n == 0 {
					t.Fatalf("rebuild packed %d facts (%v)", n, err)
				}
				compareAggregates(t, e, club, pilot)
			})
		})
	}
}

// randomAnalyticsHistory writes about 150 random operations over 400
// days before the epoch in tenant A and returns the club's and a piloted
// program's ids.
func randomAnalyticsHistory(e *env, r *rand.Rand) (club, pilot string) {
	e.t.Helper()
	f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "pct", "effects": []obj{{"type": "earn", "fixed": 7}}}}}, obj{"expiry": "days:90"})
	var staff obj
	e.do("POST", "/v1/staff", e.keyA, obj{"email": "agg@a.example", "name": "Agg", "role": "support"}).must(201, &staff)
	staffKey := e.key(e.tidA, "write", str(staff["id"]))
	orgs := make([]string, 7)
	var members []string
	for i := range orgs {
		orgs[i] = fmt.Sprintf("O%d", i)
		o := e.dealer(e.keyA, orgs[i])
		if i%2 == 0 {
			m := e.createMember(obj{"organization_id": o["id"], "name": "M" + orgs[i], "roles": []string{"sales"}})
			members = append(members, str(m["id"]))
		}
	}
	var invoices []obj
	day := func() time.Time { return epoch.Add(-time.Duration(r.IntN(400*24*60)) * time.Minute) }
	for n := range 150 {
		org := orgs[r.IntN(len(orgs)-1)] // the last never buys
		switch k := r.IntN(10); {
		case k < 5:
			ev := event("invoice", fmt.Sprint("I", n), org, line("X", 1+r.Int64N(3), 1000+r.Int64N(20000)), line("Y", 1, 500+r.Int64N(900)))
			ev["occurred_at"] = day().Format(time.RFC3339)
			e.send(e.keyA, ev)
			invoices = append(invoices, ev)
		case k == 5 && len(invoices) > 0:
			inv := invoices[r.IntN(len(invoices))]
			ret := returnOf(fmt.Sprint("R", n), str(inv["external_id"]), str(inv["organization"])[4:], obj{"sku": "Y", "qty": 1})
			ret["occurred_at"] = inv["occurred_at"]
			e.do("POST", "/v1/events", e.keyA, ret) // a second return of the same line is refused: fine
		case k == 6:
			owner := obj{"type": "organization", "id": "ext:" + org}
			if r.IntN(2) == 0 { // a member's wallet counts for the member's organization
				owner = obj{"type": "member", "id": members[r.IntN(len(members))]}
			}
			e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": owner, "point_type_id": f.pt["id"],
				"amount": 1 + r.IntN(50), "effective_at": day().Format(time.RFC3339)}, "Idempotency-Key", fmt.Sprint("earn", n)).must(201, nil)
		case k == 7:
			e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": obj{"type": "organization", "id": "ext:" + org}, "point_type_id": f.pt["id"],
				"amount": 1 + r.IntN(10), "reason": "paid with points"}, "Idempotency-Key", fmt.Sprint("spend", n)) // may lack points
		case k == 8:
			var w wallet
			e.do("GET", "/v1/organizations/ext:"+org+"/wallet", e.keyA, nil).must(200, &w)
			if len(w.Balances) > 0 {
				e.do("POST", "/v1/accounts/"+w.Balances[0].AccountID+"/adjustments", staffKey, obj{"amount": r.IntN(41) - 20, "reason": "correction"},
					"Idempotency-Key", fmt.Sprint("adj", n))
			}
		default:
			e.clock.Advance(time.Duration(r.IntN(20)) * 24 * time.Hour)
			if _, err := e.app.Ledger.ExpireDue(t0(), e.tidA, e.clock.Now(), 1000); err != nil {
				e.t.Fatal(err)
			}
		}
	}
	var p obj
	e.do("POST", "/v1/programs", e.keyA, obj{"name": "Pilot"}).must(201, &p)
	pid := str(p["id"])
	var pt obj
	e.do("POST", "/v1/programs/"+pid+"/point-types", e.keyA, obj{"code": "p", "name": "P", "unit": "points", "currency": "EUR", "value_num": 1, "value_den": 1}).must(201, &pt)
	e.do("POST", "/v1/programs/"+pid+"/versions", e.keyA, obj{"definition": obj{"currency": "EUR", "point_type_id": pt["id"],
		"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}}).must(201, nil)
	ids := func(ext ...string) []any {
		var out []any
		for _, x := range ext {
			var o obj
			e.do("GET", "/v1/organizations/ext:"+x, e.keyA, nil).must(200, &o)
			out = append(out, o["id"])
		}
		return out
	}
	e.do("POST", "/v1/programs/"+pid+"/status", e.keyA, obj{"status": "pilot", "pilot": ids("O0", "O1"), "control": ids("O2", "O3")}).must(200, nil)
	return str(f.program["id"]), pid
}

// compareAggregates asks every report for several queries from the
// aggregates and from scratch and wants the same JSON.
func compareAggregates(t *testing.T, e *env, club, pilot string) {
	t.Helper()
	ctx, p, s := context.Background(), access.System(e.tidA), e.app.Analytics
	now := e.clock.Now()
	ranges := [][2]time.Time{
		{}, // the defaults: the last 365 days to now
		{now.AddDate(0, 0, -800), now},
		{epoch.AddDate(0, 0, -200).Add(37 * time.Minute), epoch.AddDate(0, 0, -20).Add(5 * time.Hour)}, // ends in the past, mid-day
		{time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 9, 1, 0, 0, 0, 0, time.UTC)},     // whole days
		{epoch.Add(-50 * time.Hour), epoch.Add(-40 * time.Hour)},                                       // within two days
	}
	for _, prog := range []string{"", club} {
		sameEnrolments(t, e, prog)
	}
	for i, rg := range ranges {
		for _, prog := range []string{"", club} {
			q := analytics.Query{From: rg[0], To: rg[1], ProgramID: prog}
			reports := map[string]func() (any, error){
				"participation": func() (any, error) { return s.Participation(ctx, p, q) },
				"sales":         func() (any, error) { return s.Sales(ctx, p, q) },
				"organizations": func() (any, error) { return s.Organizations(ctx, p, q, false) },
				"at risk":       func() (any, error) { return s.Organizations(ctx, p, q, true) },
				"cohorts":       func() (any, error) { return s.Cohorts(ctx, p, q) },
				"economics":     func() (any, error) { return s.Economics(ctx, p, q) },
				"uplift": func() (any, error) {
					u := q
					u.ProgramID = pilot
					return s.Uplift(ctx, p, u)
				},
			}
			for name, run := range reports {
				matchesFromScratch(t, s, fmt.Sprintf("range %d program %q %s", i, prog, name), run)
			}
		}
	}
}

// sameEnrolments fails the test unless the enrolment times kept beside
// the states are those of the states themselves, to the millisecond.
func sameEnrolments(t *testing.T, e *env, programID string) {
	t.Helper()
	var kept, states []analytics.Enrolment
	err := e.app.DB.Read(t0(), func(tx *store.Tx) (err error) {
		if kept, err = tx.Enrolments(t0(), e.tidA, programID); err == nil {
			states, err = tx.StateEnrolments(t0(), e.tidA, programID)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	byOrg := func(es []analytics.Enrolment) map[string]int64 {
		out := map[string]int64{}
		for _, x := range es {
			if !x.At.IsZero() {
				out[x.OrganizationID] = x.At.UnixMilli()
			}
		}
		return out
	}
	if a, b := byOrg(kept), byOrg(states); len(b) == 0 || !maps.Equal(a, b) {
		t.Fatalf("program %q: enrolments kept %v, in the states %v", programID, a, b)
	}
}

// matchesFromScratch fails the test unless a report read from the
// aggregates equals the same report recomputed from the facts and the
// ledger.
func matchesFromScratch(t *testing.T, s *analytics.Service, what string, run func() (any, error)) {
	t.Helper()
	s.FromScratch = false
	fast, err1 := run()
	s.FromScratch = true
	ref, err2 := run()
	s.FromScratch = false
	a, _ := json.Marshal(fast)
	b, _ := json.Marshal(ref)
	if err1 != nil || err2 != nil || string(a) != string(b) {
		t.Fatalf("%s:\naggregates %s (%v)\nfrom scratch %s (%v)", what, a, err1, b, err2)
	}
}
