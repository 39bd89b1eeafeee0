package httpapi_test

import (
	"fmt"
	"maps"
	"strings"
	"sync"
	"testing"
	"time"
)

// partnerFx is a running member-points program (10 points per unit
// bought), a dealer with an owner who accepted the terms (Olga, opted in
// to the partner) and a sales rep (Sam, not opted in), and a partner with
// its own API key.
type partnerFx struct {
	e        *env
	program  programFixture
	org      obj
	olga     obj
	sam      obj
	partner  obj
	key      string
	settlURL string
}

func newPartnerFx(e *env) partnerFx {
	e.t.Helper()
	f := partnerFx{e: e}
	f.program = newProgramIn(e, e.keyA, obj{"beneficiary": "member", "rules": []obj{{"id": "per-unit", "effects": []obj{{"type": "earn", "per_unit": 10}}}}}, nil)
	pid := str(f.program.program["id"])
	e.do("POST", "/v1/programs/"+pid+"/terms", e.keyA, obj{"title": "Employee terms", "body": "Points for staff."}).must(201, nil)
	f.org = e.dealer(e.keyA, "D-1")
	f.olga = e.createMember(obj{"organization_id": f.org["id"], "name": "Olga", "roles": []string{"owner"}, "external_id": "M-OLGA"})
	f.sam = e.createMember(obj{"organization_id": f.org["id"], "name": "Sam", "roles": []string{"sales"}, "external_id": "M-SAM"})
	e.do("POST", "/v1/organizations/"+id0(f.org)+"/consents", e.keyA, obj{"program_id": pid, "decision": "accepted", "method": "portal", "member_id": f.olga["id"]}).must(201, nil)
	e.do("POST", "/v1/partners", e.keyA, obj{"name": "HireAll Tool Rental", "program_id": pid, "point_type_id": f.program.pt["id"],
		"issue_price": 257, "redeem_price": 185}).must(201, &f.partner)
	var k obj
	e.do("POST", "/v1/partners/"+id0(f.partner)+"/api-keys", e.keyA, obj{"name": "HireAll tills"}).must(201, &k)
	f.key = str(k["key"])
	e.do("POST", "/v1/partners/"+id0(f.partner)+"/optins", e.keyA, obj{"member": "ext:M-OLGA"}).must(200, nil)
	f.settlURL = "/v1/partners/" + id0(f.partner) + "/settlement"
	return f
}

// sale is a partner's event: units bought by a member now.
func (f partnerFx) sale(ext, member string, units int64) obj {
	return obj{"type": "invoice", "source": "partner:" + id0(f.partner), "external_id": ext, "occurred_at": f.e.clock.Now().Format(time.RFC3339),
		"organization": "ext:D-1", "member": member, "currency": "EUR", "lines": []obj{saleLine("DRILL", units, 5000)}}
}

func (f partnerFx) balance(member obj) int64 {
	f.e.t.Helper()
	w := f.e.wallet("/v1/members/" + id0(member) + "/wallet")
	if len(w.Balances) == 0 {
		return 0
	}
	return w.Balances[0].Available
}

func (f partnerFx) redeem(key, member, ref string, points int64) *resp {
	return f.e.do("POST", "/v1/partners/"+id0(f.partner)+"/redemptions", key, obj{"member": member, "points": points, "reference": ref})
}

func TestPartnerEvents(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		var r struct {
			eventResult
			Event struct{ Source string }
		}
		e.do("POST", "/v1/events", f.key, f.sale("R-1", "ext:M-OLGA", 3)).must(200, &r)
		if r.Event.Source != "partner:"+id0(f.partner) || r.only(e).points() != 30 || f.balance(f.olga) != 30 {
			t.Fatalf("source %q, points %d, balance %d", r.Event.Source, r.only(e).points(), f.balance(f.olga))
		}

		// Sam did not opt in: refused, naming him, nothing written.
		before := e.snapshot()
		events := e.count("/v1/organizations/" + id0(f.org) + "/events")
		p := e.do("POST", "/v1/events", f.key, f.sale("R-2", "ext:M-SAM", 3)).fails(403, "member_not_opted_in", "")
		if !strings.HasPrefix(p.Detail, "member ext:M-SAM has not opted in") {
			t.Errorf("detail does not name the member: %s", p.Detail)
		}
		batch := obj{"events": []obj{f.sale("R-3", "ext:M-OLGA", 1), f.sale("R-4", "ext:M-SAM", 1)}}
		p = e.do("POST", "/v1/events:batch", f.key, batch).fails(403, "member_not_opted_in", "")
		if !strings.HasPrefix(p.Detail, "events[1]") {
			t.Errorf("batch problem does not name the event: %s", p.Detail)
		}
		e.do("POST", "/v1/events", f.key, obj{"type": "invoice", "source": "partner:" + id0(f.partner), "external_id": "R-5", "occurred_at": epoch.Format(time.RFC3339),
			"organization": "ext:D-1", "currency": "EUR", "lines": []obj{saleLine("DRILL", 1, 5000)}}).fails(422, "validation_failed", "member")
		other := f.sale("R-6", "ext:M-OLGA", 1)
		other["source"] = "erp"
		e.do("POST", "/v1/events", f.key, other).fails(422, "validation_failed", "source")
		if e.snapshot() != before || e.count("/v1/organizations/"+id0(f.org)+"/events") != events || f.balance(f.olga) != 30 || f.balance(f.sam) != 0 {
			t.Fatal("a refused partner event wrote something")
		}

		// An empty source becomes the partner's; after withdrawal Olga's events are refused.
		own := f.sale("R-7", "ext:M-OLGA", 1)
		own["source"] = ""
		e.do("POST", "/v1/events", f.key, own).must(200, nil)
		e.do("DELETE", "/v1/partners/"+id0(f.partner)+"/optins/ext:M-OLGA", e.keyA, nil).must(200, nil)
		e.do("DELETE", "/v1/partners/"+id0(f.partner)+"/optins/ext:M-OLGA", e.keyA, nil).fails(409, "not_opted_in", "")
		e.do("POST", "/v1/events", f.key, f.sale("R-8", "ext:M-OLGA", 1)).fails(403, "member_not_opted_in", "")
		if f.balance(f.olga) != 40 {
			t.Fatalf("balance %d, want 40", f.balance(f.olga))
		}
		var audit list
		e.do("GET", "/v1/audit-log?entity_type=partner&entity_id="+id0(f.partner), e.keyA, nil).must(200, &audit)
		actions := ""
		for _, it := range audit.Items {
			actions += str(it["action"]) + " "
		}
		for _, want := range []string{"partner.created", "partner.opted_in", "partner.opt_in_revoked"} {
			if !strings.Contains(actions, want) {
				t.Errorf("audit log lacks %s: %s", want, actions)
			}
		}
	})
}

func TestPartnerKeyScope(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		var other obj
		e.do("POST", "/v1/partners", e.keyA, obj{"name": "Other", "program_id": f.program.program["id"], "point_type_id": f.program.pt["id"],
			"issue_price": 1, "redeem_price": 1}).must(201, &other)
		pid := id0(f.partner)
		for _, c := range []struct{ method, path string }{
			{"GET", "/v1/organizations"},
			{"GET", "/v1/members/" + id0(f.olga) + "/wallet"},
			{"GET", "/v1/partners"},
			{"GET", "/v1/partners/" + pid},
			{"POST", "/v1/partners/" + pid + "/optins"},
			{"POST", "/v1/partners/" + pid + "/api-keys"},
			{"POST", "/v1/partners/" + id0(other) + "/redemptions"},
			{"GET", "/v1/partners/" + id0(other) + "/settlement?from=2026-03-01&to=2026-03-31"},
			{"POST", "/v1/ledger/earn"},
			{"POST", "/v1/quote"},
			{"GET", "/v1/partners/" + pid + "/settlement/"},
		} {
			p := e.do(c.method, c.path, f.key, obj{}).fails(403, "partner_scope", "")
			if !strings.Contains(p.Detail, "partner") {
				t.Errorf("%s %s: unclear detail %q", c.method, c.path, p.Detail)
			}
		}
		e.do("GET", f.settlURL+"?from=2026-03-01&to=2026-03-31", f.key, nil).must(200, nil)
		// The operator's keys are not held to the list.
		e.do("GET", "/v1/partners/"+pid, e.keyA, nil).must(200, nil)
	})
}

func TestPartnerRedemption(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		e.do("POST", "/v1/events", f.key, f.sale("R-1", "ext:M-OLGA", 5)).must(200, nil)
		var r, again obj
		f.redeem(f.key, "ext:M-OLGA", "TILL-1", 20).must(201, &r)
		if f.balance(f.olga) != 30 || r["points"] != 20.0 || str(r["ledger_tx_id"]) == "" {
			t.Fatalf("balance %d after redemption %v", f.balance(f.olga), r)
		}
		f.redeem(f.key, "ext:M-OLGA", "TILL-1", 20).must(200, &again)
		if again["id"] != r["id"] || f.balance(f.olga) != 30 {
			t.Fatalf("repeat made another redemption: %v", again)
		}
		f.redeem(f.key, "ext:M-OLGA", "TILL-1", 21).fails(409, "reference_reused", "")

		before := e.snapshot()
		f.redeem(f.key, "ext:M-OLGA", "TILL-2", 31).fails(409, "insufficient_points", "")
		f.redeem(f.key, "ext:M-SAM", "TILL-3", 1).fails(403, "member_not_opted_in", "")
		f.redeem(f.key, "ext:M-OLGA", "TILL-4", 0).fails(422, "validation_failed", "points")
		f.redeem(f.key, "ext:M-OLGA", "", 5).fails(422, "validation_failed", "reference")
		f.redeem(f.key, "ext:NOBODY", "TILL-5", 5).fails(422, "validation_failed", "member")
		var st settlement
		e.do("GET", f.settlURL+"?from=2026-03-01&to=2026-03-31", e.keyA, nil).must(200, &st)
		if e.snapshot() != before || f.balance(f.olga) != 30 || st.Total.PointsRedeemed != 20 {
			t.Fatalf("a refused redemption wrote something: balance %d, redeemed %d", f.balance(f.olga), st.Total.PointsRedeemed)
		}
		// The operator may redeem for the partner too; the rest is spent.
		f.redeem(e.keyA, id0(f.olga), "DESK-1", 30).must(201, nil)
		if f.balance(f.olga) != 0 {
			t.Fatalf("balance %d, want 0", f.balance(f.olga))
		}
		e.ledgerOK(e.tidA)
	})
}

type settlementLine struct {
	Month          string
	From, To       string
	PointsIssued   int64 `json:"points_issued"`
	PointsRedeemed int64 `json:"points_redeemed"`
	PartnerOwes    int64 `json:"partner_owes"`
	OperatorOwes   int64 `json:"operator_owes"`
	Net            int64
}

type settlement struct {
	Currency string
	Months   []settlementLine
	Total    settlementLine
}

func TestPartnerSettlement(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		// March: 30 + 50 points issued, 25 redeemed; the operator's own event does not count.
		e.clock.Advance(time.Hour)
		e.do("POST", "/v1/events", f.key, f.sale("R-1", "ext:M-OLGA", 3)).must(200, nil)
		e.clock.Set(time.Date(2026, 3, 20, 12, 0, 0, 0, time.UTC))
		e.do("POST", "/v1/events", f.key, f.sale("R-2", "ext:M-OLGA", 5)).must(200, nil)
		own := f.sale("ERP-1", "ext:M-OLGA", 4)
		own["source"] = "erp"
		e.do("POST", "/v1/events", e.keyA, own).must(200, nil)
		f.redeem(f.key, "ext:M-OLGA", "T-1", 25).must(201, nil)
		// April: 30 issued, 15 redeemed.
		e.clock.Set(time.Date(2026, 4, 10, 12, 0, 0, 0, time.UTC))
		e.do("POST", "/v1/events", f.key, f.sale("R-3", "ext:M-OLGA", 3)).must(200, nil)
		f.redeem(f.key, "ext:M-OLGA", "T-2", 15).must(201, nil)

		var st settlement
		e.do("GET", f.settlURL+"?from=2026-03-01&to=2026-05-31", f.key, nil).must(200, &st)
		// issue 257 and redeem 185 per 100 points, half up per month:
		// March 80×2.57 = 205.6 → 206, 25×1.85 = 46.25 → 46;
		// April 30×2.57 = 77.1 → 77, 15×1.85 = 27.75 → 28.
		want := []settlementLine{
			{"2026-03", "2026-03-01", "2026-03-31", 80, 25, 206, 46, 160},
			{"2026-04", "2026-04-01", "2026-04-30", 30, 15, 77, 28, 49},
			{"2026-05", "2026-05-01", "2026-05-31", 0, 0, 0, 0, 0},
		}
		if len(st.Months) != len(want) || st.Currency != "EUR" {
			t.Fatalf("report %+v", st)
		}
		for i, w := range want {
			if st.Months[i] != w {
				t.Errorf("month %d: %+v, want %+v", i, st.Months[i], w)
			}
		}
		if w := (settlementLine{"total", "2026-03-01", "2026-05-31", 110, 40, 283, 74, 209}); st.Total != w {
			t.Errorf("total %+v, want %+v", st.Total, w)
		}
		// A period starting mid-month counts only its days.
		e.do("GET", f.settlURL+"?from=2026-03-15&to=2026-04-09", e.keyA, nil).must(200, &st)
		if st.Total.PointsIssued != 50 || st.Total.PointsRedeemed != 25 || st.Months[1].To != "2026-04-09" {
			t.Errorf("clipped report %+v", st)
		}

		e.do("GET", f.settlURL+"?from=2026-04-01&to=2026-03-01", e.keyA, nil).fails(422, "validation_failed", "to")
		e.do("GET", f.settlURL+"?from=2026-13-01&to=2026-03-01", e.keyA, nil).fails(422, "validation_failed", "from")
		e.do("GET", f.settlURL+"?from=2020-01-01&to=2026-03-01", e.keyA, nil).fails(422, "validation_failed", "to")
		e.do("GET", "/v1/partners/nope/settlement?from=2026-03-01&to=2026-03-31", e.keyA, nil).fails(404, "not_found", "")
	})
}

func TestPartnerBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		g := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}, nil)
		pid, ptID := str(f.program["id"]), str(f.pt["id"])
		good := func() obj {
			return obj{"name": "HireAll", "program_id": pid, "point_type_id": ptID, "issue_price": 250, "redeem_price": 180}
		}
		before := e.snapshot()
		cases := []struct {
			name, field, code string
			change            func(obj)
		}{
			{"unknown program", "program_id", "unknown_program", func(b obj) { b["program_id"] = "nope" }},
			{"point type of another program", "point_type_id", "unknown_point_type", func(b obj) { b["point_type_id"] = g.pt["id"] }},
			{"negative issue price", "issue_price", "out_of_range", func(b obj) { b["issue_price"] = -1 }},
			{"negative redeem price", "redeem_price", "out_of_range", func(b obj) { b["redeem_price"] = -5 }},
			{"no name", "name", "", func(b obj) { b["name"] = "" }},
			{"bad currency", "currency", "invalid_currency", func(b obj) { b["currency"] = "euro" }},
		}
		for _, c := range cases {
			b := good()
			c.change(b)
			r := e.do("POST", "/v1/partners", e.keyA, b)
			if r.Status != 422 {
				t.Errorf("%s: status %d: %s", c.name, r.Status, r.Body)
				continue
			}
			if p := r.fails(422, "validation_failed", c.field); c.code != "" && p.Errors[0].Code != c.code {
				t.Errorf("%s: code %q, want %q", c.name, p.Errors[0].Code, c.code)
			}
		}
		if e.snapshot() != before || e.count("/v1/partners") != 0 {
			t.Fatal("a refused partner was written")
		}
		var p obj
		e.do("POST", "/v1/partners", e.keyA, good()).must(201, &p)
		if p["currency"] != "EUR" || p["status"] != "active" {
			t.Errorf("partner %v", p)
		}
		e.do("GET", "/v1/partners/"+id0(p), e.keyA, nil).must(200, nil)
		e.do("GET", "/v1/partners/nope", e.keyA, nil).fails(404, "not_found", "")
		e.do("POST", "/v1/partners/"+id0(p)+"/optins", e.keyA, obj{"member": "ext:NOBODY"}).fails(422, "validation_failed", "member")
		e.do("POST", "/v1/partners/nope/optins", e.keyA, obj{"member": "ext:NOBODY"}).fails(404, "not_found", "")
		e.do("POST", "/v1/partners/nope/api-keys", e.keyA, obj{"name": "x"}).fails(404, "not_found", "")
		read := e.key(e.tidA, "read", "")
		e.do("POST", "/v1/partners", read, good()).fails(403, "insufficient_scope", "")
	})
}

// TestPartnerRedemptionRace sends the same payment several times at once
// and different payments that together exceed the balance: the member pays
// once per reference and never more than the wallet holds.
func TestPartnerRedemptionRace(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newPartnerFx(e)
		e.do("POST", "/v1/events", f.key, f.sale("R-1", "ext:M-OLGA", 10)).must(200, nil) // 100 points
		const n = 6
		answers := make(chan string, 2*n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(2)
			go func() { defer wg.Done(); answers <- "SAME " + f.redeem(f.key, "ext:M-OLGA", "SAME", 10).brief() }()
			go func() {
				defer wg.Done()
				answers <- "OTHER " + f.redeem(f.key, "ext:M-OLGA", fmt.Sprintf("OTHER-%d", i), 20).brief()
			}()
		}
		wg.Wait()
		close(answers)
		count := map[string]int{}
		for a := range answers {
			count[a]++
		}
		// Two outcomes are right, depending on which payments come first.
		// Either SAME pays: one 201, the rest 200 (a copy that collides in
		// flight is answered with the first), and of the OTHERs (20 points
		// each) four pay from the 90 left and two are short. Or five OTHERs
		// take all 100 points first: then every copy of SAME is short, and
		// so is the sixth OTHER.
		samePays := map[string]int{"SAME 201": 1, "SAME 200": n - 1, "OTHER 201": 4, "OTHER 409 insufficient_points": 2}
		otherPay := map[string]int{"SAME 409 insufficient_points": n, "OTHER 201": 5, "OTHER 409 insufficient_points": 1}
		want, left := samePays, int64(10)
		if count["SAME 201"] == 0 {
			want, left = otherPay, 0
		}
		if !maps.Equal(count, want) {
			t.Fatalf("answers %v, want %v or %v", count, samePays, otherPay)
		}
		var st settlement
		e.do("GET", f.settlURL+"?from=2026-03-01&to=2026-03-31", e.keyA, nil).must(200, &st)
		if bal := f.balance(f.olga); bal != left || st.Total.PointsRedeemed != 100-left {
			t.Fatalf("balance %d, redeemed %d; want %d and %d", bal, st.Total.PointsRedeemed, left, 100-left)
		}
		e.ledgerOK(e.tidA)
	})
}
