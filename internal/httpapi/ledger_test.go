package httpapi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// ledgerFixture is a dealer with an employee, a program with a point type,
// and keys acting for two staff users (for four-eyes approvals).
type ledgerFixture struct {
	org, member, program, pt obj
	staff1, staff2           string // keys
}

func newLedgerFixture(e *env) ledgerFixture {
	e.t.Helper()
	var f ledgerFixture
	f.org = e.createOrg(obj{"type": "dealer", "name": "Brick & Beam", "external_id": "R-1"})
	f.member = e.createMember(obj{"organization_id": f.org["id"], "name": "Hannah", "roles": []string{"sales"}, "external_id": "P-1"})
	e.do("POST", "/v1/programs", e.keyA, obj{"name": "Dealer Club"}).must(201, &f.program)
	e.do("POST", "/v1/programs/"+str(f.program["id"])+"/point-types", e.keyA, obj{"code": "points", "name": "Club points", "unit": "points",
		"currency": "GBP", "value_num": 1, "value_den": 2, "expiry": "days:30", "transfers": []string{"org_to_member"}, "approval_above": 1000}).must(201, &f.pt)
	for i, k := range []*string{&f.staff1, &f.staff2} {
		st, err := e.app.Tenants.CreateStaff(context.Background(), access.System(e.tidA),
			tenant.StaffInput{Email: fmt.Sprintf("finance%d@acme.example", i), Name: "Finance", Role: tenant.RoleFinance})
		if err != nil {
			e.t.Fatal(err)
		}
		*k = e.key(e.tidA, access.ScopeWrite, st.ID)
	}
	return f
}

func (f ledgerFixture) owner(o obj, kind string) obj { return obj{"type": kind, "id": o["id"]} }

type wallet struct {
	Balances []struct {
		AccountID    string `json:"account_id"`
		Available    int64
		Pending      int64
		ExpiringSoon int64 `json:"expiring_soon"`
		Value        struct {
			Amount   int64
			Currency string
		}
		NextExpiries []struct {
			At     time.Time
			Amount int64
		} `json:"next_expiries"`
	}
}

func (e *env) wallet(path string) wallet {
	e.t.Helper()
	var w wallet
	e.do("GET", path, e.keyA, nil).must(200, &w)
	return w
}

func TestLedgerAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		org := f.owner(f.org, "organization")
		var earned obj
		body := obj{"owner": obj{"type": "organization", "id": "ext:R-1"}, "point_type_id": f.pt["id"], "amount": 500, "reason": "invoice 1001", "event_id": "inv-1001"}
		e.do("POST", "/v1/ledger/earn", e.keyA, body, "Idempotency-Key", "inv-1001").must(201, &earned)
		var again obj
		e.do("POST", "/v1/ledger/earn", e.keyA, body, "Idempotency-Key", "inv-1001").must(201, &again)
		if again["id"] != earned["id"] {
			t.Fatal("a repeated earn posted again")
		}
		body["amount"] = 501
		e.do("POST", "/v1/ledger/earn", e.keyA, body, "Idempotency-Key", "inv-1001").fails(409, "idempotency_key_reused", "")
		e.do("POST", "/v1/ledger/earn", e.keyA, body).fails(422, "validation_failed", "Idempotency-Key")

		w := e.wallet("/v1/organizations/ext:R-1/wallet?expiring_within_days=31")
		if len(w.Balances) != 1 || w.Balances[0].Available != 500 || w.Balances[0].Value.Amount != 250 || w.Balances[0].Value.Currency != "GBP" ||
			w.Balances[0].ExpiringSoon != 500 || len(w.Balances[0].NextExpiries) != 1 || !w.Balances[0].NextExpiries[0].At.Equal(epoch.AddDate(0, 0, 30)) {
			t.Fatalf("wallet %+v", w)
		}
		acct := w.Balances[0].AccountID

		var spent obj
		e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 120, "reason": "order 7"},
			"Idempotency-Key", "order-7").must(201, &spent)
		e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 10000},
			"Idempotency-Key", "order-8").fails(409, "insufficient_points", "")
		e.do("POST", "/v1/ledger/transfers", e.keyA, obj{"from": org, "to": f.owner(f.member, "member"), "point_type_id": f.pt["id"], "amount": 80,
			"reason": "best seller"}, "Idempotency-Key", "tr-1").must(201, nil)
		e.do("POST", "/v1/ledger/transfers", e.keyA, obj{"from": f.owner(f.member, "member"), "to": org, "point_type_id": f.pt["id"], "amount": 1},
			"Idempotency-Key", "tr-2").fails(403, "transfer_not_allowed", "")
		if m := e.wallet("/v1/members/ext:P-1/wallet"); m.Balances[0].Available != 80 {
			t.Fatalf("member wallet %+v", m)
		}
		e.do("POST", "/v1/transactions/"+str(spent["id"])+"/reverse", e.keyA, obj{"reason": "order cancelled"}, "Idempotency-Key", "rev-7").must(201, nil)
		e.do("POST", "/v1/transactions/"+str(spent["id"])+"/reverse", e.keyA, obj{"reason": "again"}, "Idempotency-Key", "rev-7b").fails(409, "already_reversed", "")

		var stmt list
		e.do("GET", "/v1/accounts/"+acct+"/statement", e.keyA, nil).must(200, &stmt)
		kinds := ""
		for _, l := range stmt.Items {
			kinds += fmt.Sprintf("%s:%v:%v ", l["kind"], l["amount"], l["available_after"])
		}
		if kinds != "earn:500:500 spend:-120:380 transfer:-80:300 reverse:120:420 " {
			t.Fatalf("statement %s", kinds)
		}
		var sys obj
		lots := earned["lots"].([]any)
		e.do("POST", "/v1/ledger/clawbacks", e.keyA, obj{"lot_id": lots[0].(obj)["id"], "amount": 100, "policy": "source_only", "reason": "return of 1001"},
			"Idempotency-Key", "ret-1").must(201, nil)
		e.do("GET", "/v1/transactions/"+str(earned["id"]), e.keyA, nil).must(200, &sys)
		postings := sys["postings"].([]any)
		e.do("GET", "/v1/accounts/"+str(postings[1].(obj)["account_id"]), e.keyA, nil).must(200, &sys)
		if sys["owner_type"] != "system" || sys["available"] != float64(-500+100) {
			t.Fatalf("issuance account %v", sys)
		}
		probs, err := e.app.Ledger.Check(context.Background(), e.tidA)
		if err != nil || len(probs) != 0 {
			t.Fatalf("ledger check: %v %v", probs, err)
		}
	})
}

func TestManualAdjustmentsNeedStaffAndApproval(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		e.clock.Advance(time.Second) // the staff users are there before the requests (four eyes)
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": f.owner(f.org, "organization"), "point_type_id": f.pt["id"], "amount": 10}, "Idempotency-Key", "seed").must(201, nil)
		acct := e.wallet("/v1/organizations/" + str(f.org["id"]) + "/wallet").Balances[0].AccountID
		path := "/v1/accounts/" + acct + "/adjustments"
		e.do("POST", path, e.keyA, obj{"amount": 50, "reason": "goodwill"}, "Idempotency-Key", "adj-0").fails(403, "staff_only", "")
		e.do("POST", path, f.staff1, obj{"amount": 50}, "Idempotency-Key", "adj-1").fails(422, "validation_failed", "reason")

		var small struct {
			Adjustment  obj
			Transaction obj
		}
		e.do("POST", path, f.staff1, obj{"amount": 50, "reason": "goodwill"}, "Idempotency-Key", "adj-2").must(201, &small)
		if small.Adjustment["status"] != "posted" || small.Transaction == nil {
			t.Fatalf("small adjustment %+v", small)
		}
		var big struct {
			Adjustment  obj
			Transaction obj
		}
		e.do("POST", path, f.staff1, obj{"amount": 5000, "reason": "lost delivery compensation"}, "Idempotency-Key", "adj-3").must(201, &big)
		if big.Adjustment["status"] != "pending_approval" || big.Transaction != nil {
			t.Fatalf("big adjustment %+v", big)
		}
		if b := e.wallet("/v1/organizations/" + str(f.org["id"]) + "/wallet").Balances[0].Available; b != 60 {
			t.Fatalf("balance %d before approval, want 60", b)
		}
		id := str(big.Adjustment["id"])
		e.do("POST", "/v1/adjustments/"+id+"/approve", f.staff1, obj{}).fails(403, "four_eyes", "")
		e.do("POST", "/v1/adjustments/"+id+"/reject", f.staff2, obj{}).fails(422, "validation_failed", "note")
		e.do("POST", "/v1/adjustments/"+id+"/approve", f.staff2, obj{"note": "checked the delivery note"}).must(200, &big)
		if big.Adjustment["status"] != "posted" || big.Transaction == nil {
			t.Fatalf("approved %+v", big)
		}
		e.do("POST", "/v1/adjustments/"+id+"/approve", f.staff2, obj{}).fails(409, "already_decided", "")
		if b := e.wallet("/v1/organizations/" + str(f.org["id"]) + "/wallet").Balances[0].Available; b != 5060 {
			t.Fatalf("balance %d after approval, want 5060", b)
		}
		if n := e.count("/v1/adjustments?status=posted"); n != 2 {
			t.Fatalf("%d posted adjustments", n)
		}
		if n := e.count("/v1/audit-log?entity_type=adjustment&entity_id=" + id); n != 2 {
			t.Fatalf("audit entries of the adjustment: %d, want requested + approved", n)
		}
	})
}

func TestLedgerBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		_, keyOther := e.tenantWithKey("other", "admin")
		var foreign obj
		e.do("POST", "/v1/organizations", keyOther, obj{"type": "dealer", "name": "Foreign"}).must(201, &foreign)
		org := f.owner(f.org, "organization")
		earn := func(kv ...any) obj {
			b := obj{"owner": org, "point_type_id": f.pt["id"], "amount": 10}
			for i := 0; i+1 < len(kv); i += 2 {
				b[kv[i].(string)] = kv[i+1]
			}
			return b
		}
		cases := []struct {
			name, path  string
			body        obj
			status      int
			code, field string
		}{
			{"zero", "/v1/ledger/earn", earn("amount", 0), 422, "validation_failed", "amount"},
			{"negative", "/v1/ledger/earn", earn("amount", -5), 422, "validation_failed", "amount"},
			{"beyond the maximum", "/v1/ledger/earn", earn("amount", int64(1)<<62), 422, "validation_failed", "amount"},
			{"unknown point type", "/v1/ledger/earn", earn("point_type_id", "nope"), 422, "validation_failed", "point_type_id"},
			{"unknown owner", "/v1/ledger/earn", earn("owner", obj{"type": "organization", "id": "nope"}), 422, "validation_failed", "owner"},
			{"other tenant's owner", "/v1/ledger/earn", earn("owner", obj{"type": "organization", "id": foreign["id"]}), 422, "validation_failed", "owner"},
			{"system owner", "/v1/ledger/earn", earn("owner", obj{"type": "system", "id": "issuance"}), 422, "validation_failed", "owner.type"},
			{"expires before available", "/v1/ledger/earn", earn("expires_at", epoch.Add(-time.Hour)), 422, "validation_failed", "expires_at"},
			{"spend beyond available", "/v1/ledger/spend", obj{"owner": org, "point_type_id": f.pt["id"], "amount": 1}, 409, "insufficient_points", ""},
			{"clawback of unknown lot", "/v1/ledger/clawbacks", obj{"lot_id": "nope", "amount": 1, "policy": "source_only"}, 422, "validation_failed", "lot_id"},
			{"transfer to itself", "/v1/ledger/transfers", obj{"from": org, "to": org, "point_type_id": f.pt["id"], "amount": 1}, 422, "validation_failed", "to"},
			{"reverse unknown", "/v1/transactions/nope/reverse", obj{"reason": "x"}, 404, "not_found", ""},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				e.do("POST", c.path, e.keyA, c.body, "Idempotency-Key", fmt.Sprint("bad-", i)).fails(c.status, c.code, c.field)
				if n := len(e.wallet("/v1/organizations/" + str(f.org["id"]) + "/wallet").Balances); n != 0 {
					t.Fatalf("a refused request created a wallet")
				}
			})
		}
	})
}
