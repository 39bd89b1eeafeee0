package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// goalView is a goal as the API returns it.
type goalView struct {
	ID             string
	OrganizationID string `json:"organization_id"`
	MemberID       string `json:"member_id"`
	Metric         string
	Target         int64
	Status         string
	Progress       int64
	Percent        int64
	PurchaseAmount *int64     `json:"purchase_amount"`
	PartnerTotal   *int64     `json:"partner_total"`
	AchievedAt     *time.Time `json:"achieved_at"`
	AchievedEvent  string     `json:"achieved_event_id"`
	RewardTx       string     `json:"reward_transaction_id"`
	Reward         struct {
		Points int64
		Text   string
	}
}

var (
	march = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	april = time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC)
)

// goalProgram runs a program that earns 1 point per payment only, so that
// purchases move goals without earning points of their own, and adds
// dealer R-1 (in the fixture's org).
func goalProgram(e *env) programFixture {
	return newProgram(e, obj{"rules": []obj{{"id": "pay", "condition": `event.type == "payment"`, "effects": []obj{{"type": "earn", "fixed": 1}}}}})
}

// marchGoal is a goal body for March with the given metric and target.
func marchGoal(org any, metric string, target int64, extra obj) obj {
	b := obj{"name": "March " + metric, "organization": org, "metric": metric, "target": target,
		"starts_at": march.Format(time.RFC3339), "ends_at": april.Format(time.RFC3339)}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

func (e *env) createGoal(body obj) goalView {
	e.t.Helper()
	var g goalView
	e.do("POST", "/v1/goals", e.keyA, body).must(201, &g)
	return g
}

func (e *env) goal(id string) goalView {
	e.t.Helper()
	var g goalView
	e.do("GET", "/v1/goals/"+id, e.keyA, nil).must(200, &g)
	return g
}

// at is an event of R-1 at a moment, with lines.
func at(typ, ext string, when time.Time, lines ...obj) obj {
	ev := event(typ, ext, "R-1", lines...)
	ev["occurred_at"] = when.Format(time.RFC3339)
	if len(lines) == 0 {
		delete(ev, "lines")
	}
	return ev
}

func catLine(sku, category string, qty, price int64) obj {
	l := line(sku, qty, price)
	l["category"] = category
	return l
}

// A goal of 10 units of insulation in March: 4 → 9 → 12 achieves it and
// credits its points once; a return before achievement lowers progress,
// one after it revokes nothing; events outside the period do not count.
func TestGoalQuantityAchievedOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		g := e.createGoal(marchGoal(f.org["id"], "quantity", 10, obj{"categories": []string{"insulation"},
			"reward_points": 500, "point_type_id": f.pt["id"], "reward_text": "A weekend at the lake"}))
		if g.Status != "active" || g.Progress != 0 || g.Percent != 0 {
			t.Fatalf("new goal: %+v", g)
		}
		day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
		// Outside the period, or not insulation: nothing.
		e.send(e.keyA, at("invoice", "FEB", time.Date(2026, 2, 28, 23, 0, 0, 0, time.UTC), catLine("WOOL", "insulation", 50, 100)))
		e.send(e.keyA, at("invoice", "BRICKS", day(2), catLine("BRICK", "masonry", 40, 100)))
		e.send(e.keyA, at("invoice", "I1", day(3), catLine("WOOL", "insulation", 4, 100), catLine("BRICK", "masonry", 9, 100)))
		if g = e.goal(g.ID); g.Progress != 4 || g.Percent != 40 {
			t.Fatalf("after 4 units: %+v", g)
		}
		e.send(e.keyA, at("invoice", "I2", day(4), catLine("WOOL", "insulation", 5, 100)))
		if g = e.goal(g.ID); g.Progress != 9 || g.Percent != 90 {
			t.Fatalf("after 4+5 units: %+v", g)
		}
		// A return of February's invoice does not touch March's goal; one of
		// March's lowers the progress.
		e.send(e.keyA, returnAt("R0", "FEB", day(5), line("WOOL", 20, 0)))
		e.send(e.keyA, returnAt("R1", "I2", day(5), line("WOOL", 2, 0)))
		if g = e.goal(g.ID); g.Progress != 7 || g.Status != "active" || e.balanceOf(e.keyA, "R-1") != 0 {
			t.Fatalf("after 4+5-2 units: %+v, balance %d", g, e.balanceOf(e.keyA, "R-1"))
		}
		var ach eventResult
		e.do("POST", "/v1/events", e.keyA, at("invoice", "I3", day(6), catLine("WOOL", "insulation", 5, 100))).must(200, &ach)
		g = e.goal(g.ID)
		if g.Progress != 12 || g.Percent != 100 || g.Status != "achieved" || g.AchievedAt == nil || g.AchievedEvent != ach.ID || g.RewardTx == "" {
			t.Fatalf("after 12 units: %+v", g)
		}
		if b := e.balanceOf(e.keyA, "R-1"); b != 500 {
			t.Fatalf("balance %d, want the 500 reward points", b)
		}
		// More purchases and a return after achievement change nothing.
		e.send(e.keyA, at("invoice", "I4", day(7), catLine("WOOL", "insulation", 30, 100)))
		e.send(e.keyA, returnAt("R2", "I3", day(8), line("WOOL", 3, 0)))
		if g2 := e.goal(g.ID); g2.Status != "achieved" || g2.Progress != 12 || e.balanceOf(e.keyA, "R-1") != 500 {
			t.Fatalf("after achievement: %+v, balance %d", g2, e.balanceOf(e.keyA, "R-1"))
		}
		// Listed by organization and status; the audit log has its story.
		var l struct{ Items []goalView }
		e.do("GET", "/v1/goals?organization=ext:R-1&status=achieved", e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 || l.Items[0].ID != g.ID {
			t.Fatalf("achieved goals of R-1: %+v", l.Items)
		}
		if n := e.count("/v1/goals?status=active"); n != 0 {
			t.Fatalf("%d active goals", n)
		}
		if n := e.count("/v1/audit-log?entity_type=goal&entity_id=" + g.ID); n != 2 {
			t.Fatalf("%d audit entries, want created and achieved", n)
		}
		e.do("POST", "/v1/goals/"+g.ID+"/cancel", e.keyA, nil).fails(409, "goal_not_active", "")
		e.ledgerOK(e.tidA)
	})
}

func returnAt(ext, orig string, when time.Time, lines ...obj) obj {
	r := returnOf(ext, orig, "R-1", lines...)
	r["occurred_at"] = when.Format(time.RFC3339)
	return r
}

// Orders, trainings and claims count events; amount counts the net amount; a dry
// run moves nothing; a cancelled goal stops counting; statuses follow the
// clock.
func TestGoalOrdersTrainingsAmount(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		orders := e.createGoal(marchGoal(f.org["id"], "orders", 2, obj{"reward_text": "Free delivery in April"}))
		trainings := e.createGoal(marchGoal("ext:R-1", "trainings", 1, obj{"reward_points": 50, "point_type_id": f.pt["id"]}))
		amount := e.createGoal(marchGoal("ext:R-1", "amount", 100000, obj{"reward_points": 7, "point_type_id": f.pt["id"], "skus": []string{"WOOL"}}))
		cancelled := e.createGoal(marchGoal("ext:R-1", "orders", 1, obj{"reward_points": 1000, "point_type_id": f.pt["id"]}))
		var c goalView
		e.do("POST", "/v1/goals/"+cancelled.ID+"/cancel", e.keyA, nil).must(200, &c)
		if c.Status != "cancelled" {
			t.Fatalf("cancelled: %+v", c)
		}
		day := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
		dry := at("invoice", "DRY", day, line("WOOL", 1, 200000))
		e.do("POST", "/v1/events?dry_run=true", e.keyA, dry).must(200, nil)
		if g := e.goal(orders.ID); g.Progress != 0 {
			t.Fatalf("a dry run moved a goal: %+v", g)
		}
		e.send(e.keyA, at("invoice", "O1", day, line("WOOL", 3, 10000), line("NAIL", 100, 50)))
		e.send(e.keyA, at("training", "T0", day))
		if g := e.goal(orders.ID); g.Progress != 1 || g.Percent != 50 {
			t.Fatalf("orders after one: %+v", g)
		}
		if g := e.goal(amount.ID); g.Progress != 30000 {
			t.Fatalf("amount of WOOL: %+v", g)
		}
		if g := e.goal(trainings.ID); g.Status != "achieved" || g.Progress != 1 {
			t.Fatalf("trainings: %+v", g)
		}
		e.send(e.keyA, at("order", "O2", day, line("WOOL", 7, 10000)))
		if g := e.goal(orders.ID); g.Status != "achieved" || g.Reward.Text != "Free delivery in April" || g.RewardTx != "" {
			t.Fatalf("orders after two: %+v", g)
		}
		if g := e.goal(amount.ID); g.Status != "achieved" || g.Progress != 100000 {
			t.Fatalf("amount: %+v", g)
		}
		if g := e.goal(cancelled.ID); g.Progress != 0 || g.Status != "cancelled" {
			t.Fatalf("cancelled goal moved: %+v", g)
		}
		if b := e.balanceOf(e.keyA, "R-1"); b != 57 {
			t.Fatalf("balance %d, want 50 + 7", b)
		}
		// Claims count sales claims only (invoices above did not move it).
		claims := e.createGoal(marchGoal("ext:R-1", "claims", 2, obj{"reward_text": "Top seller mug"}))
		e.send(e.keyA, at("invoice", "O3", day, line("WOOL", 1, 100)))
		e.send(e.keyA, at("claim", "CL1", day, line("WOOL", 2, 100)))
		if g := e.goal(claims.ID); g.Progress != 1 || g.Status != "active" {
			t.Fatalf("claims after one: %+v", g)
		}
		e.send(e.keyA, at("claim", "CL2", day, line("WOOL", 2, 100)))
		if g := e.goal(claims.ID); g.Progress != 2 || g.Status != "achieved" {
			t.Fatalf("claims after two: %+v", g)
		}
		// Upcoming and expired come from the clock.
		e.createGoal(obj{"name": "April", "organization": "ext:R-1", "metric": "orders", "target": 5, "reward_text": "x",
			"starts_at": april.Format(time.RFC3339), "ends_at": april.AddDate(0, 1, 0).Format(time.RFC3339)})
		open := e.createGoal(marchGoal("ext:R-1", "orders", 50, obj{"reward_text": "y"}))
		if n := e.count("/v1/goals?status=upcoming"); n != 1 {
			t.Fatalf("%d upcoming", n)
		}
		e.clock.Set(april.Add(time.Hour))
		if g := e.goal(open.ID); g.Status != "expired" {
			t.Fatalf("after March: %+v", g)
		}
		if n := e.count("/v1/goals?status=active"); n != 1 {
			t.Fatalf("%d active in April, want the April goal", n)
		}
		e.ledgerOK(e.tidA)
	})
}

// A share goal: the operator's purchases as basis points of the total the
// partner reports with custom:purchases_total.
func TestGoalShare(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		g := e.createGoal(marchGoal(f.org["id"], "share", 3000, obj{"reward_points": 300, "point_type_id": f.pt["id"]}))
		day := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
		total := func(ext, v string) obj {
			ev := at("custom:purchases_total", ext, day)
			ev["attributes"] = obj{"total": v}
			return ev
		}
		e.send(e.keyA, at("invoice", "S1", day, line("WOOL", 1, 20000)))
		if g = e.goal(g.ID); g.Progress != 0 || *g.PurchaseAmount != 20000 {
			t.Fatalf("before any total: %+v", g)
		}
		e.send(e.keyA, total("T1", "100000"))
		if g = e.goal(g.ID); g.Progress != 2000 || g.Percent != 66 || *g.PartnerTotal != 100000 || g.Status != "active" {
			t.Fatalf("20000 of 100000: %+v", g)
		}
		e.do("POST", "/v1/events", e.keyA, total("T-bad", "lots")).fails(422, "validation_failed", "attributes.total")
		e.send(e.keyA, at("invoice", "S2", day, line("WOOL", 1, 10000)))
		if g = e.goal(g.ID); g.Progress != 3000 || g.Status != "achieved" {
			t.Fatalf("30000 of 100000: %+v", g)
		}
		if b := e.balanceOf(e.keyA, "R-1"); b != 300 {
			t.Fatalf("balance %d", b)
		}
	})
}

// A member's goal counts only that member's events and rewards the
// member's wallet.
func TestGoalMember(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		ann := e.createMember(obj{"organization_id": f.org["id"], "name": "Ann", "roles": []string{"sales"}, "external_id": "ANN"})
		bob := e.createMember(obj{"organization_id": f.org["id"], "name": "Bob", "roles": []string{"sales"}, "external_id": "BOB"})
		g := e.createGoal(obj{"name": "Ann sells", "member": "ext:ANN", "metric": "quantity", "target": 5,
			"reward_points": 40, "point_type_id": f.pt["id"], "starts_at": march.Format(time.RFC3339), "ends_at": april.Format(time.RFC3339)})
		if g.OrganizationID != str(f.org["id"]) || g.MemberID != str(ann["id"]) {
			t.Fatalf("member goal: %+v", g)
		}
		day := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
		sale := func(ext, member string, qty int64) obj {
			ev := at("invoice", ext, day, line("WOOL", qty, 100))
			ev["member"] = member
			return ev
		}
		e.send(e.keyA, sale("B1", str(bob["id"]), 9))
		e.send(e.keyA, at("invoice", "ORG", day, line("WOOL", 9, 100)))
		if g = e.goal(g.ID); g.Progress != 0 {
			t.Fatalf("others' sales counted: %+v", g)
		}
		e.send(e.keyA, sale("A1", "ext:ANN", 5))
		if g = e.goal(g.ID); g.Status != "achieved" {
			t.Fatalf("Ann's goal: %+v", g)
		}
		if b := e.available("/v1/members/ext:ANN/wallet"); b != 40 {
			t.Fatalf("Ann's balance %d", b)
		}
		if b := e.balanceOf(e.keyA, "R-1"); b != 0 {
			t.Fatalf("organization's balance %d", b)
		}
		if n := e.count("/v1/goals?member=ext:ANN"); n != 1 {
			t.Fatalf("%d goals of Ann", n)
		}
		e.do("GET", "/v1/goals?member=ext:NOBODY", e.keyA, nil).fails(404, "not_found", "")
	})
}

// Bad goals are refused naming the field, and nothing is written.
func TestGoalBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		other := e.createOrg(obj{"type": "dealer", "name": "Other", "external_id": "R-2"})
		stranger := e.createMember(obj{"organization_id": other["id"], "name": "Stranger", "roles": []string{"sales"}})
		ok := func(extra obj) obj {
			return marchGoal(f.org["id"], "quantity", 10, extra)
		}
		before := e.snapshot()
		audit := e.count("/v1/audit-log")
		cases := []struct {
			name, field, code string
			body              obj
		}{
			{"end before start", "ends_at", "validation_failed", ok(obj{"ends_at": march.Add(-time.Hour).Format(time.RFC3339), "reward_text": "x"})},
			{"end at start", "ends_at", "validation_failed", ok(obj{"ends_at": march.Format(time.RFC3339), "reward_text": "x"})},
			{"unknown organization", "organization", "validation_failed", marchGoal("ext:NOPE", "orders", 1, obj{"reward_text": "x"})},
			{"member of another organization", "member", "validation_failed", ok(obj{"member": stranger["id"], "reward_text": "x"})},
			{"unknown member", "member", "validation_failed", ok(obj{"member": "ext:NOPE", "reward_text": "x"})},
			{"negative target", "target", "validation_failed", marchGoal(f.org["id"], "amount", -5, obj{"reward_text": "x"})},
			{"zero target", "target", "validation_failed", marchGoal(f.org["id"], "amount", 0, obj{"reward_text": "x"})},
			{"unknown metric", "metric", "validation_failed", marchGoal(f.org["id"], "revenue", 5, obj{"reward_text": "x"})},
			{"share above 100%", "target", "validation_failed", marchGoal(f.org["id"], "share", 10001, obj{"reward_text": "x"})},
			{"no reward", "reward_points", "validation_failed", ok(nil)},
			{"points without type", "point_type_id", "validation_failed", ok(obj{"reward_points": 5})},
			{"unknown point type", "point_type_id", "validation_failed", ok(obj{"reward_points": 5, "point_type_id": "pt-nope"})},
			{"negative points", "reward_points", "validation_failed", ok(obj{"reward_points": -5, "point_type_id": f.pt["id"]})},
			{"no name", "name", "validation_failed", ok(obj{"name": "", "reward_text": "x"})},
			{"no start", "starts_at", "validation_failed", without(ok(obj{"reward_text": "x"}), "starts_at")},
			{"share of a member", "metric", "validation_failed", marchGoal(nil, "share", 10, obj{"member": stranger["id"], "reward_text": "x"})},
			{"no organization", "organization", "validation_failed", marchGoal(nil, "orders", 10, obj{"reward_text": "x"})},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				e.do("POST", "/v1/goals", e.keyA, c.body).fails(422, c.code, c.field)
			})
		}
		e.t = t
		e.do("GET", "/v1/goals?status=done", e.keyA, nil).fails(422, "validation_failed", "status")
		e.do("GET", "/v1/goals/nope", e.keyA, nil).fails(404, "not_found", "")
		e.do("POST", "/v1/goals/nope/cancel", e.keyA, nil).fails(404, "not_found", "")
		if after := e.snapshot(); after != before || e.count("/v1/audit-log") != audit || e.count("/v1/goals") != 0 {
			t.Fatalf("a refused goal wrote something: %v → %v", before, after)
		}
		read := e.key(e.tidA, "read", "")
		e.do("POST", "/v1/goals", read, ok(obj{"reward_text": "x"})).fails(403, "insufficient_scope", "")
	})
}

func without(o obj, key string) obj {
	delete(o, key)
	return o
}

// Events racing past the target achieve the goal once: one reward.
func TestGoalConcurrentAchievement(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		g := e.createGoal(marchGoal(f.org["id"], "quantity", 5, obj{"reward_points": 70, "point_type_id": f.pt["id"]}))
		const n = 24
		statuses := make(chan int, n)
		for i := range n {
			go func() {
				ev := at("invoice", "C-"+string(rune('A'+i)), time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), line("WOOL", 1, 100))
				body, _ := json.Marshal(ev)
				req := httptest.NewRequest("POST", "/v1/events", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+e.keyA)
				rec := httptest.NewRecorder()
				e.api.ServeHTTP(rec, req)
				statuses <- rec.Code
			}()
		}
		for range n {
			if s := <-statuses; s != 200 {
				t.Errorf("event status %d", s)
			}
		}
		if g = e.goal(g.ID); g.Status != "achieved" || g.Progress < 5 {
			t.Fatalf("after %d racing events: %+v", n, g)
		}
		if b := e.balanceOf(e.keyA, "R-1"); b != 70 {
			t.Fatalf("balance %d, want one reward of 70", b)
		}
		e.ledgerOK(e.tidA)
	})
}

// Twelve invoices of one dealer sent at once, each in a request of its
// own id, against twelve goals of 1 to 12 orders: each invoice achieves
// one goal, and the audit log traces each achievement to the request
// that carried its invoice — also when the server applied several of
// the invoices in one transaction.
func TestGoalAchievementsAreAuditedUnderTheirOwnRequest(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := goalProgram(e)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		goals := make([]goalView, 12)
		for i := range goals {
			goals[i] = e.createGoal(marchGoal(f.org["id"], "orders", int64(i+1), obj{"reward_text": fmt.Sprint("Goal ", i+1)}))
		}
		request := map[string]string{} // event id → the request id it came in
		var mu sync.Mutex
		parallel(12, func(i int) *resp {
			rid := fmt.Sprint("req-", i)
			r := e.do("POST", "/v1/events", e.keyA, at("invoice", fmt.Sprint("I-", i), time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC), line("A", 1, 1000)), "X-Request-Id", rid)
			var res eventResult
			r.must(200, &res)
			mu.Lock()
			request[res.ID] = rid
			mu.Unlock()
			return r
		})
		for _, g := range goals {
			g = e.goal(g.ID)
			if g.Status != "achieved" || request[g.AchievedEvent] == "" {
				t.Fatalf("goal of %d orders: %+v; want it achieved by one of the invoices", g.Target, g)
			}
			var l struct {
				Items []struct {
					Action    string
					RequestID string `json:"request_id"`
				}
			}
			e.do("GET", "/v1/audit-log?entity_type=goal&entity_id="+g.ID, e.keyA, nil).must(200, &l)
			found := false
			for _, a := range l.Items {
				if a.Action == "goal.achieved" {
					found = true
					if a.RequestID != request[g.AchievedEvent] {
						t.Errorf("the goal of %d orders, achieved by the invoice of %s, is audited under request %q", g.Target, request[g.AchievedEvent], a.RequestID)
					}
				}
			}
			if !found {
				t.Errorf("the goal of %d orders has no goal.achieved entry", g.Target)
			}
		}
	})
}
