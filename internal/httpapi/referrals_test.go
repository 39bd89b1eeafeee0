package httpapi_test

import (
	"testing"
)

// referralFixture is a running program with referral rewards (500 points
// to the referrer, 200 to the new organization, first purchase of at
// least 1,000.00 EUR) and a referring dealer R-1.
type referralFixture struct {
	programFixture
	code string
}

func newReferralFixture(e *env) referralFixture {
	e.t.Helper()
	f := referralFixture{programFixture: newProgram(e, obj{"rules": []obj{{"id": "one", "name": "1% back", "effects": []obj{{"type": "earn", "percent_bp": 100}}}}})}
	e.do("PUT", "/v1/programs/"+str(f.program["id"])+"/referral-settings", e.keyA,
		obj{"referrer_points": 500, "referred_points": 200, "min_first_purchase": 100000}).must(200, nil)
	var c struct{ Code, Link string }
	e.do("GET", "/v1/organizations/ext:R-1/referral-code", e.keyA, nil).must(200, &c)
	if len(c.Code) < 10 || c.Link != "/r/"+c.Code {
		e.t.Fatalf("referral code %+v", c)
	}
	f.code = c.Code
	return f
}

func TestReferralQualifiesOnFirstQualifyingPurchase(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newReferralFixture(e)
		var again struct{ Code string }
		e.do("GET", "/v1/organizations/"+str(f.org["id"])+"/referral-code", e.keyA, nil).must(200, &again)
		if again.Code != f.code {
			t.Fatalf("the code changed: %s then %s", f.code, again.Code)
		}
		newOrg := e.dealer(e.keyA, "N-1")
		var ref obj
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": newOrg["id"]}).must(201, &ref)
		if ref["status"] != "pending" || ref["referrer_organization_id"] != f.org["id"] {
			t.Fatalf("referral %v", ref)
		}
		// A dry run of a qualifying purchase writes nothing.
		e.do("POST", "/v1/events?dry_run=true", e.keyA, event("invoice", "N-INV-0", "N-1", line("A", 1, 200000))).must(200, nil)
		// Below the minimum: earns by the rules, no referral reward.
		e.send(e.keyA, event("invoice", "N-INV-1", "N-1", line("A", 1, 50000)))
		if got := e.balanceOf(e.keyA, "R-1"); got != 0 {
			t.Fatalf("referrer balance %d after a small first purchase, want 0", got)
		}
		if got := e.balanceOf(e.keyA, "N-1"); got != 5 {
			t.Fatalf("new organization balance %d, want 5 (1%% of 500.00)", got)
		}
		var l list
		e.do("GET", "/v1/organizations/ext:R-1/referrals", e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 || l.Items[0]["status"] != "pending" {
			t.Fatalf("referrals %v", l.Items)
		}
		// A qualifying purchase credits both sides; a later one does not.
		e.send(e.keyA, event("invoice", "N-INV-2", "N-1", line("A", 1, 150000)))
		e.send(e.keyA, event("order", "N-ORD-3", "N-1", line("A", 1, 150000)))
		if got := e.balanceOf(e.keyA, "R-1"); got != 500 {
			t.Fatalf("referrer balance %d, want 500", got)
		}
		if got := e.balanceOf(e.keyA, "N-1"); got != 5+15+200 { // orders earn nothing by the rules
			t.Fatalf("new organization balance %d, want %d", got, 5+15+200)
		}
		e.do("GET", "/v1/organizations/ext:R-1/referrals", e.keyA, nil).must(200, &l)
		if len(l.Items) != 1 || l.Items[0]["status"] != "qualified" || l.Items[0]["referrer_points"] != float64(500) {
			t.Fatalf("referrals %v", l.Items)
		}
		e.ledgerOK(e.tidA)
		var set obj
		e.do("GET", "/v1/programs/"+str(f.program["id"])+"/referral-settings", e.keyA, nil).must(200, &set)
		if set["min_first_purchase"] != float64(100000) {
			t.Fatalf("settings %v", set)
		}
	})
}

func TestReferralByMemberCreditsTheMember(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newReferralFixture(e)
		owner := e.createMember(obj{"organization_id": f.org["id"], "name": "George Barnes", "roles": []string{"owner"}})
		var c struct{ Code string }
		e.do("GET", "/v1/members/"+str(owner["id"])+"/referral-code", e.keyA, nil).must(200, &c)
		if c.Code == f.code {
			t.Fatal("the member has the organization's code")
		}
		newOrg := e.dealer(e.keyA, "N-2")
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": c.Code, "organization": newOrg["id"]}).must(201, nil)
		e.send(e.keyA, event("invoice", "N2-INV", "N-2", line("A", 1, 100000)))
		var w wallet
		e.do("GET", "/v1/members/"+str(owner["id"])+"/wallet", e.keyA, nil).must(200, &w)
		if len(w.Balances) != 1 || w.Balances[0].Available != 500 {
			t.Fatalf("member wallet %+v, want 500", w)
		}
		if e.count("/v1/organizations/"+str(f.org["id"])+"/referrals") != 1 {
			t.Fatal("the organization does not see its member's referral")
		}
	})
}

func TestReferralRefusals(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newReferralFixture(e)
		member := e.createMember(obj{"organization_id": f.org["id"], "name": "Hannah Moss", "roles": []string{"sales"}})
		var mc struct{ Code string }
		e.do("GET", "/v1/members/"+str(member["id"])+"/referral-code", e.keyA, nil).must(200, &mc)
		n1 := e.dealer(e.keyA, "N-1")
		before := e.count("/v1/audit-log")
		// Self-referral: the organization itself, or through its own member.
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": f.org["id"]}).fails(422, "validation_failed", "organization")
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": mc.Code, "organization": f.org["id"]}).fails(422, "validation_failed", "organization")
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": "NOSUCHCODE12", "organization": f.org["id"]}).fails(422, "validation_failed", "code")
		// Tenant B's code is unknown in A.
		var bOrg obj
		e.do("POST", "/v1/organizations", e.keyB, obj{"type": "dealer", "name": "B dealer"}).must(201, &bOrg)
		var bc struct{ Code string }
		e.do("GET", "/v1/organizations/"+str(bOrg["id"])+"/referral-code", e.keyB, nil).must(200, &bc)
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": bc.Code, "organization": n1["id"]}).fails(422, "validation_failed", "code")
		if got := e.count("/v1/audit-log"); got != before {
			t.Fatalf("refused referrals wrote %d audit entries", got-before)
		}
		// A loop: R-1 referred N-1, which may not refer R-1 back.
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": n1["id"]}).must(201, nil)
		var n1c struct{ Code string }
		e.do("GET", "/v1/organizations/"+str(n1["id"])+"/referral-code", e.keyA, nil).must(200, &n1c)
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": n1c.Code, "organization": f.org["id"]}).fails(422, "validation_failed", "organization")
		// Further down the chain: N-1 referred N-2; N-2 may not refer R-1.
		n2 := e.dealer(e.keyA, "N-2")
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": n1c.Code, "organization": n2["id"]}).must(201, nil)
		var n2c struct{ Code string }
		e.do("GET", "/v1/organizations/"+str(n2["id"])+"/referral-code", e.keyA, nil).must(200, &n2c)
		p := e.do("POST", "/v1/referrals", e.keyA, obj{"code": n2c.Code, "organization": f.org["id"]}).fails(422, "validation_failed", "organization")
		if p.Errors[0].Code != "referral_loop" {
			t.Fatalf("refusal %+v, want referral_loop", p.Errors)
		}
		// Already referred, and not new.
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": n2["id"]}).fails(409, "already_referred", "")
		old := e.dealer(e.keyA, "OLD")
		e.send(e.keyA, event("invoice", "OLD-INV", "OLD", line("A", 1, 1000)))
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": old["id"]}).fails(409, "not_new", "")
		e.do("POST", "/v1/referrals", e.keyA, obj{"code": f.code, "organization": "nope"}).fails(404, "not_found", "")
		e.do("PUT", "/v1/programs/"+str(f.program["id"])+"/referral-settings", e.keyA,
			obj{"referrer_points": -1, "referred_points": 0, "min_first_purchase": 0}).fails(422, "validation_failed", "referrer_points")
		if n := e.count("/v1/organizations/ext:R-1/referrals"); n != 1 {
			t.Fatalf("R-1 made %d referrals, want 1", n)
		}
	})
}
