package httpapi_test

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// staffKey makes a staff user of a role in tenant A and a key acting for
// them (with the role's strongest scope).
func (e *env) staffKey(email string, role tenant.Role) (tenant.Staff, string) {
	e.t.Helper()
	st, err := e.app.Tenants.CreateStaff(context.Background(), access.System(e.tidA), tenant.StaffInput{Email: email, Name: email, Role: role})
	if err != nil {
		e.t.Fatal(err)
	}
	return st, e.key(e.tidA, role.Ceiling(), st.ID)
}

// The role table holds in the API as in the console: an account manager
// reaches only their own organizations; support's adjustment above the
// tenant's limit waits for approval and support cannot approve it; a
// read-only user reads and does nothing else.
func TestRolesInTheAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		dealer := e.dealer(e.keyA, "R-1")
		f := newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "ten", "events": []string{"invoice"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}},
			obj{"approval_above": 100000})
		f.org = dealer
		tom, tomKey := e.staffKey("tom@a.example", tenant.RoleAccountManager)
		_, veraKey := e.staffKey("vera@a.example", tenant.RoleAccountManager)
		_, supKey := e.staffKey("sup@a.example", tenant.RoleSupport)
		_, roKey := e.staffKey("ro@a.example", tenant.RoleReadOnly)
		org := str(f.org["id"])
		e.do("PATCH", "/v1/organizations/"+org, e.keyA, obj{"account_manager_id": tom.ID}).must(200, nil)
		e.do("POST", "/v1/events", e.keyA, event("invoice", "INV-1", "R-1", obj{"sku": "A", "qty": 10, "unit_price": 10000})).must(200, nil)

		e.do("GET", "/v1/organizations/"+org, tomKey, nil).must(200, nil)
		e.do("GET", "/v1/organizations/"+org, veraKey, nil).fails(403, "not_your_account", "")
		e.do("GET", "/v1/organizations/"+org+"/wallet", veraKey, nil).fails(403, "not_your_account", "")
		e.do("GET", "/v1/organizations/"+org+"/events", veraKey, nil).fails(403, "not_your_account", "")
		var listed list
		e.do("GET", "/v1/organizations", veraKey, nil).must(200, &listed)
		if len(listed.Items) != 0 {
			t.Errorf("an account manager lists others' organizations: %v", listed.Items)
		}

		acct := e.wallet("/v1/organizations/" + org + "/wallet").Balances[0].AccountID
		var adj struct{ Adjustment obj }
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", supKey, obj{"amount": 900, "reason": "goodwill"}, "Idempotency-Key", "sup-1").must(201, &adj)
		if adj.Adjustment["status"] != "posted" {
			t.Errorf("support's adjustment under its limit: %v", adj.Adjustment)
		}
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", supKey, obj{"amount": 1500, "reason": "lost pallet"}, "Idempotency-Key", "sup-2").must(201, &adj)
		if adj.Adjustment["status"] != "pending_approval" {
			t.Errorf("support's adjustment above its limit (1,000): %v", adj.Adjustment)
		}
		e.do("POST", "/v1/adjustments/"+str(adj.Adjustment["id"])+"/approve", supKey, obj{}).fails(403, "role_forbidden", "")
		e.do("PUT", "/v1/tenant/settings", e.keyA, obj{"version_approval": false, "adjust_limit": 2000}).must(200, nil)
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", supKey, obj{"amount": 1500, "reason": "lost pallet again"}, "Idempotency-Key", "sup-3").must(201, &adj)
		if adj.Adjustment["status"] != "posted" {
			t.Errorf("after raising the limit to 2,000: %v", adj.Adjustment)
		}

		e.do("GET", "/v1/organizations/"+org, roKey, nil).must(200, nil)
		e.do("POST", "/v1/organizations", roKey, obj{"type": "dealer", "name": "X"}).fails(403, "insufficient_scope", "")
		e.do("POST", "/v1/events", roKey, event("invoice", "INV-2", "R-1")).fails(403, "insufficient_scope", "")
		e.do("PUT", "/v1/tenant/settings", supKey, obj{"version_approval": true, "adjust_limit": 1}).fails(403, "insufficient_scope", "")
		e.do("PUT", "/v1/tenant/settings", e.keyA, obj{"version_approval": true, "adjust_limit": 0}).fails(422, "validation_failed", "adjust_limit")
		// A support agent's own key cannot do what the role may not, whatever scope the key was given.
		_, supWrite := e.staffKey("sup2@a.example", tenant.RoleSupport)
		e.do("POST", "/v1/programs", supWrite, obj{"name": "Mine"}).fails(403, "role_forbidden", "")
	})
}

// With the tenant's setting on, a new version of a running program waits:
// events keep the version in force until someone other than its submitter
// approves it.
func TestProgramVersionApproval(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "one", "events": []string{"invoice"}, "effects": []obj{{"type": "earn", "fixed": 1}}}}})
		pid := str(f.program["id"])
		e.do("PUT", "/v1/tenant/settings", e.keyA, obj{"version_approval": true, "adjust_limit": 1000}).must(200, nil)
		_, pmKey := e.staffKey("pm@a.example", tenant.RoleProgramManager)
		_, pm2Key := e.staffKey("pm2@a.example", tenant.RoleProgramManager)
		var v obj
		e.do("POST", "/v1/programs/"+pid+"/versions", pmKey, obj{"definition": obj{"currency": "EUR", "point_type_id": f.pt["id"],
			"rules": []obj{{"id": "hundred", "events": []string{"invoice"}, "effects": []obj{{"type": "earn", "fixed": 100}}}}}}).must(201, &v)
		if v["approval"] != "pending" || v["version"] != float64(2) {
			t.Fatalf("new version %v", v)
		}
		e.do("POST", "/v1/events", e.keyA, event("invoice", "INV-1", "R-1", obj{"sku": "A", "qty": 1, "unit_price": 1000})).must(200, nil)
		if got := e.balanceOf(e.keyA, "R-1"); got != 1 {
			t.Fatalf("a pending version took effect: balance %d", got)
		}
		e.do("POST", "/v1/programs/"+pid+"/versions/2/approve", pmKey, obj{}).fails(403, "four_eyes", "")
		e.do("POST", "/v1/programs/"+pid+"/versions/2/reject", pm2Key, obj{}).fails(422, "validation_failed", "note")
		e.do("POST", "/v1/programs/"+pid+"/versions/2/approve", pm2Key, obj{"note": "checked"}).must(200, &v)
		e.do("POST", "/v1/programs/"+pid+"/versions/2/approve", pm2Key, obj{}).fails(409, "not_pending", "")
		e.clock.Advance(1000)
		e.do("POST", "/v1/events", e.keyA, obj{"type": "invoice", "source": "erp", "external_id": "INV-2", "occurred_at": e.clock.Now(),
			"organization": "ext:R-1", "currency": "EUR", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}}}).must(200, nil)
		if got := e.balanceOf(e.keyA, "R-1"); got != 101 {
			t.Errorf("after approval: balance %d, want 101", got)
		}
	})
}

// With the tenant's setting on, a draft's activation waits for a second
// person too: the draft stays a draft until a colleague approves.
func TestProgramActivationApproval(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		_, pm2Key := e.staffKey("pm2@a.example", tenant.RoleProgramManager) // a colleague there before the request
		pr, pmKey := pendingActivation(e)
		pid := str(pr["id"])
		move, _ := pr["pending_move"].(map[string]any)
		if pr["status"] != "draft" || move == nil || move["status"] != "active" {
			t.Fatalf("activation with approval required: %v", pr)
		}
		e.do("POST", "/v1/programs/"+pid+"/status", pmKey, obj{"status": "active"}).fails(409, "activation_pending", "")
		e.do("POST", "/v1/programs/"+pid+"/activation/approve", pmKey, obj{}).fails(403, "four_eyes", "")
		e.do("POST", "/v1/programs/"+pid+"/activation/reject", pm2Key, obj{}).fails(422, "validation_failed", "note")
		var after obj
		e.do("POST", "/v1/programs/"+pid+"/activation/approve", pm2Key, obj{}).must(200, &after)
		if after["status"] != "active" || after["pending_move"] != nil {
			t.Fatalf("after approval: %v", after)
		}
		e.do("POST", "/v1/programs/"+pid+"/activation/approve", pm2Key, obj{}).fails(409, "not_pending", "")
	})
}

// pendingActivation turns on the tenant's approval of activations, has a
// program manager it creates ask to activate a new draft, and returns the
// draft as answered then and the manager's key.
func pendingActivation(e *env) (obj, string) {
	e.t.Helper()
	e.do("PUT", "/v1/tenant/settings", e.keyA, obj{"version_approval": true, "adjust_limit": 1000}).must(200, nil)
	_, pmKey := e.staffKey("pm@a.example", tenant.RoleProgramManager)
	var pr obj
	e.do("POST", "/v1/programs", pmKey, obj{"name": "Draft club"}).must(201, &pr)
	pid := str(pr["id"])
	e.do("POST", "/v1/programs/"+pid+"/versions", pmKey, obj{"definition": obj{"currency": "EUR"}}).must(201, nil)
	e.clock.Advance(1000)
	e.do("POST", "/v1/programs/"+pid+"/status", pmKey, obj{"status": "active"}).must(200, &pr)
	return pr, pmKey
}
