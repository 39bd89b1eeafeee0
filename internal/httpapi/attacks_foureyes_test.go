package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// fourEyes is tenant A with staff made by the operator's set-up a month
// ago: Ann (admin, who asks) and Bob (finance, a real second person),
// each with a key of their own made by the set-up.
type fourEyes struct {
	*env
	ann, bob       string // keys
	annID, bobID   string // staff ids
	carolID, carol string // support, a pre-existing colleague whose role Ann will change
}

func newFourEyes(e *env) fourEyes {
	e.t.Helper()
	f := fourEyes{env: e}
	f.annID, f.ann = f.setupStaff("ann@a.example", tenant.RoleAdmin, access.ScopeAdmin)
	f.bobID, f.bob = f.setupStaff("bob@a.example", tenant.RoleFinance, access.ScopeWrite)
	f.carolID, f.carol = f.setupStaff("carol@a.example", tenant.RoleSupport, access.ScopeWrite)
	e.clock.Advance(30 * 24 * time.Hour)
	return f
}

// setupStaff makes a staff user and a key for it as the operator's set-up
// (the CLI) does.
func (f fourEyes) setupStaff(email string, role tenant.Role, scope access.Scope) (string, string) {
	f.t.Helper()
	st, err := f.app.Tenants.CreateStaff(context.Background(), access.System(f.tidA), tenant.StaffInput{Email: email, Name: email, Role: role})
	if err != nil {
		f.t.Fatal(err)
	}
	return st.ID, f.key(f.tidA, scope, st.ID)
}

// staffBy makes a staff user and, with another key, a key for it.
func (f fourEyes) staffBy(creator, keyMaker, email, role string) (string, string) {
	f.t.Helper()
	var st, k obj
	f.do("POST", "/v1/staff", creator, obj{"email": email, "name": email, "role": role}).must(201, &st)
	f.do("POST", "/v1/api-keys", keyMaker, obj{"name": email, "scope": "write", "staff_id": st["id"]}).must(201, &k)
	return str(st["id"]), str(k["key"])
}

// TestAttackFourEyesAdjustment: an admin whose 100,000-point adjustment
// needs a second person created a staff user and a key for it, and
// approved with that key. The approver must be a different, pre-existing
// person whom the requester neither created nor empowered for it.
func TestAttackFourEyesAdjustment(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newFourEyes(e)
		lf := newLedgerFixture(e)
		// Frank: made by Ann long before, with a key of the set-up's; Eve:
		// made by Ann the day before the request.
		frankID, _ := f.staffBy(f.ann, f.keyA, "frank@a.example", "finance")
		frank := f.key(f.tidA, access.ScopeWrite, frankID)
		e.clock.Advance(20 * 24 * time.Hour)
		eveID, _ := f.staffBy(f.ann, f.keyA, "eve@a.example", "finance")
		eve := f.key(f.tidA, access.ScopeWrite, eveID)
		e.clock.Advance(24 * time.Hour)

		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": lf.owner(lf.org, "organization"), "point_type_id": lf.pt["id"], "amount": 10}, "Idempotency-Key", "seed").must(201, nil)
		acct := e.wallet("/v1/organizations/" + str(lf.org["id"]) + "/wallet").Balances[0].AccountID
		var big struct{ Adjustment obj }
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", f.ann, obj{"amount": 100000, "reason": "goodwill"}, "Idempotency-Key", "big").must(201, &big)
		path := "/v1/adjustments/" + str(big.Adjustment["id"]) + "/approve"
		e.clock.Advance(time.Minute)

		// The exact attack: Ann makes Mallory and Mallory's key, and approves with it.
		_, mallory := f.staffBy(f.ann, f.ann, "mallory@a.example", "finance")
		// Ann's key for a pre-existing colleague: she holds its secret.
		var bobsByAnn obj
		e.do("POST", "/v1/api-keys", f.ann, obj{"name": "bob 2", "scope": "write", "staff_id": f.bobID}).must(201, &bobsByAnn)
		// A chain: Ann makes an admin key, which makes another key for Bob.
		var k2, bobsByK2 obj
		e.do("POST", "/v1/api-keys", f.ann, obj{"name": "k2", "scope": "admin"}).must(201, &k2)
		e.do("POST", "/v1/api-keys", str(k2["key"]), obj{"name": "bob 3", "scope": "write", "staff_id": f.bobID}).must(201, &bobsByK2)
		// Ann raises Carol, a pre-existing colleague, after the request.
		e.do("PATCH", "/v1/staff/"+f.carolID, f.ann, obj{"role": "finance"}).must(200, nil)
		// Someone else makes Zoe after the request: not pre-existing.
		_, zoe := f.staffBy(f.keyA, f.keyA, "zoe@a.example", "finance")

		for name, key := range map[string]string{"Ann herself": f.ann, "Mallory, made by Ann for it": mallory,
			"Bob's key made by Ann": str(bobsByAnn["key"]), "Bob's key made by Ann's key": str(bobsByK2["key"]),
			"Carol, raised by Ann after the request": f.carol, "Eve, made by Ann the day before": eve, "Zoe, made after the request": zoe} {
			if p := e.do("POST", path, key, obj{"note": "ok"}).fails(403, "four_eyes", ""); p.Detail == "" {
				t.Errorf("%s: no reason given", name)
			}
		}
		if b := e.wallet("/v1/organizations/" + str(lf.org["id"]) + "/wallet").Balances[0].Available; b != 10 {
			t.Fatalf("refused approvals moved points: %d", b)
		}
		// Frank, made by Ann three weeks before, and Bob with his own key are
		// second persons; the first to approve posts it.
		e.do("POST", path, frank, obj{"note": "checked"}).must(200, nil)
		e.do("POST", path, f.bob, obj{"note": "checked"}).fails(409, "already_decided", "")
		if b := e.wallet("/v1/organizations/" + str(lf.org["id"]) + "/wallet").Balances[0].Available; b != 100010 {
			t.Fatalf("balance after approval: %d", b)
		}

		// The record: who made each staff user and key, who changed a role.
		var carol, mal obj
		e.do("GET", "/v1/staff/"+f.carolID, e.keyA, nil).must(200, &carol)
		if carol["empowered_by"] != "staff:"+f.annID && carol["empowered_by"] != "api_key:"+keyID(f.ann) || carol["empowered_at"] == nil {
			t.Errorf("Carol's role change is not recorded: %v", carol)
		}
		var staff list
		e.do("GET", "/v1/staff?limit=100", e.keyA, nil).must(200, &staff)
		for _, s := range staff.Items {
			if s["email"] == "mallory@a.example" {
				mal = s
			}
		}
		if mal["created_by"] != "api_key:"+keyID(f.ann) {
			t.Errorf("Mallory's creator is not recorded: %v", mal)
		}
	})
}

// TestAttackFourEyesRedemption: the same rule for a redemption above the
// approval threshold, which waits for the operator.
func TestAttackFourEyesRedemption(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newFourEyes(e)
		r := newRewards(e)
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"approval_threshold": 0}).must(200, nil)
		it := r.item(obj{"kind": "donation", "name": "Habitat build fund", "price": 500, "money_value": 500})
		var red redemption
		e.do("POST", "/v1/redemptions", f.ann, obj{"item_id": it["id"], "organization": "ext:R-1"}).must(201, &red)
		e.clock.Advance(time.Minute)
		_, mallory := f.staffBy(f.ann, f.ann, "mallory@a.example", "admin")
		var k2 obj
		e.do("POST", "/v1/api-keys", f.ann, obj{"name": "k2", "scope": "admin"}).must(201, &k2)
		path := "/v1/redemptions/" + red.ID + "/approve"
		for _, key := range []string{f.ann, mallory, str(k2["key"])} {
			e.do("POST", path, key, obj{}).fails(403, "four_eyes", "")
		}
		e.do("POST", path, f.bob, obj{}).must(200, &red)
		if red.Status != "approved" {
			t.Fatalf("after Bob: %s", red.Status)
		}
	})
}

// keyID is the id part of a key lyl_<tenant>_<id>_<secret>.
func keyID(key string) string { return strings.Split(key, "_")[2] }
