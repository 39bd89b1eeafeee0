package httpapi_test

import (
	"encoding/json"
	"maps"
	"slices"

	"github.com/danielgtaylor/huma/v2"
	"strings"
	"testing"
)

// isoCase is one operation attempted by tenant B on tenant A's data.
type isoCase struct {
	method, path string
	body         any
	status       int
}

// TestTenantIsolation tries every operation of the API with tenant B's
// admin key against tenant A's resources: B can neither see nor change
// anything of A. The test fails when an operation is added to the API
// without a case here.
func TestTenantIsolation(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		// Tenant A's data.
		org := e.createOrg(obj{"type": "distributor", "name": "A Holding", "external_id": "ISO-ORG"})
		branch := e.createOrg(obj{"type": "distributor", "name": "A Branch", "external_id": "ISO-BR", "parent_id": org["id"]})
		owner := e.createMember(obj{"organization_id": org["id"], "name": "A Owner", "roles": []string{"owner"}, "external_id": "ISO-M", "email": "owner@a.example"})
		var prog, staff, key obj
		e.do("POST", "/v1/programs", e.keyA, obj{"name": "A Club"}).must(201, &prog)
		e.do("POST", "/v1/programs/"+str(prog["id"])+"/terms", e.keyA, obj{"title": "T", "body": "B"}).must(201, nil)
		e.do("POST", "/v1/organizations/"+str(org["id"])+"/consents", e.keyA, obj{"program_id": prog["id"], "decision": "accepted", "method": "portal", "member_id": owner["id"]}).must(201, nil)
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "tom@a.example", "name": "Tom", "role": "support"}).must(201, &staff)
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "A integration", "scope": "write"}).must(201, &key)
		// Its ledger: a point type, an earn, a pending adjustment.
		lf := ledgerFixture{org: org, program: prog}
		e.do("POST", "/v1/programs/"+str(prog["id"])+"/point-types", e.keyA, obj{"code": "points", "name": "P", "unit": "points", "currency": "GBP",
			"value_num": 1, "value_den": 1, "approval_above": 10}).must(201, &lf.pt)
		var earned obj
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": lf.owner(org, "organization"), "point_type_id": lf.pt["id"], "amount": 100},
			"Idempotency-Key", "iso-earn").must(201, &earned)
		acct := str(earned["postings"].([]any)[0].(obj)["account_id"])
		lot := str(earned["lots"].([]any)[0].(obj)["id"])
		var adj struct{ Adjustment obj }
		e.do("POST", "/v1/accounts/"+acct+"/adjustments", e.key(e.tidA, "write", str(staff["id"])), obj{"amount": 50, "reason": "x"},
			"Idempotency-Key", "iso-adj").must(201, &adj)
		adjID := str(adj.Adjustment["id"])
		// Its running program, with a version.
		e.do("POST", "/v1/programs/"+str(prog["id"])+"/versions", e.keyA, obj{"definition": obj{"currency": "GBP", "point_type_id": lf.pt["id"],
			"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}, {"type": "reward", "reward_id": "gift", "name": "A gift"}}}}}}).must(201, nil)
		e.do("POST", "/v1/programs/"+str(prog["id"])+"/status", e.keyA, obj{"status": "active"}).must(200, nil)
		var plan obj
		e.do("POST", "/v1/membership-plans", e.keyA, obj{"code": "pro", "name": "A Pro", "fee": 100, "currency": "GBP", "period_months": 12, "discount_bp": 500}).must(201, &plan)
		e.do("POST", "/v1/organizations/"+str(org["id"])+"/memberships", e.keyA, obj{"plan": "pro"}).must(201, nil)
		// Its claim (with a document) and referral code.
		var cl obj
		e.do("POST", "/v1/claims", e.keyA, obj{"program_id": prog["id"], "member": owner["id"], "invoice_number": "ISO-CL-1", "invoice_date": "2026-03-01",
			"end_customer": "A's customer", "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}},
			"document": obj{"filename": "inv.pdf", "content_type": "application/pdf", "data": "JVBERi0xLjQKJSVFT0YK"}}).must(201, &cl)
		var rc obj
		e.do("GET", "/v1/organizations/"+str(org["id"])+"/referral-code", e.keyA, nil).must(200, &rc)
		// Its promo campaigns: a shared code and a unique batch.
		var promoC, promoU obj
		e.do("POST", "/v1/promo-campaigns", e.keyA, obj{"name": "A promo", "program_id": prog["id"], "kind": "shared", "code": "ASECRET30",
			"effect": obj{"type": "percent", "percent_bp": 3000}}).must(201, &promoC)
		e.do("POST", "/v1/promo-campaigns", e.keyA, obj{"name": "A batch", "kind": "unique", "effect": obj{"type": "fixed_amount", "amount": 100}}).must(201, &promoU)
		e.do("POST", "/v1/promo-campaigns/"+str(promoU["id"])+"/codes:import", e.keyA, obj{"codes": []string{"AUNIQUE0001"}}).must(201, nil)
		// Its catalog, with a redemption awaiting the operator.
		var item, red obj
		e.do("PUT", "/v1/reward-settings", e.keyA, obj{"approval_threshold": 0}).must(200, nil)
		e.do("POST", "/v1/rewards", e.keyA, obj{"kind": "voucher", "name": "A voucher", "point_type_id": lf.pt["id"], "price": 10, "money_value": 5, "stock": 3}).must(201, &item)
		e.do("POST", "/v1/redemptions", e.keyA, obj{"item_id": item["id"], "organization": org["id"]}).must(201, &red)
		// Its goal, rewarded in its point type.
		var goal obj
		e.do("POST", "/v1/goals", e.keyA, obj{"name": "A goal", "organization": id0(org), "metric": "orders", "target": 3, "reward_points": 10,
			"point_type_id": lf.pt["id"], "starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-04-01T00:00:00Z"}).must(201, &goal)
		// A coalition partner with an opted-in member.
		var partner obj
		e.do("POST", "/v1/partners", e.keyA, obj{"name": "A Rental", "program_id": prog["id"], "point_type_id": lf.pt["id"], "issue_price": 250, "redeem_price": 180}).must(201, &partner)
		e.do("POST", "/v1/partners/"+str(partner["id"])+"/optins", e.keyA, obj{"member": owner["id"]}).must(200, nil)
		var amap, aimp obj
		e.do("POST", "/v1/import-mappings", e.keyA, isoMapping()).must(201, &amap)
		e.do("POST", "/v1/imports?mapping="+str(amap["id"]), e.keyA, isoCSV).must(201, &aimp)
		// A sale of A's (for analytics) and a refreshed segment.
		e.do("POST", "/v1/events", e.keyA, obj{"type": "invoice", "source": "erp", "external_id": "ISO-A-1", "occurred_at": "2026-03-01T10:00:00Z",
			"organization": str(org["id"]), "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}}}).must(200, nil)
		var coupons struct{ Items []obj }
		e.do("GET", "/v1/organizations/"+str(org["id"])+"/coupons", e.keyA, nil).must(200, &coupons)
		cpn := coupons.Items[0]
		var crd obj
		e.do("POST", "/v1/cards", e.keyA, obj{"program_id": prog["id"], "owner_type": "member", "owner": owner["id"]}).must(200, &crd)
		var seg obj
		e.do("POST", "/v1/segments", e.keyA, obj{"code": "iso", "name": "A buyers", "rules": []obj{{"field": "f", "op": "between", "min": 1, "max": 5}}}).must(201, &seg)
		e.do("POST", "/v1/segments/"+str(seg["id"])+":refresh", e.keyA, nil).must(200, nil)
		secrets := []string{str(plan["id"]), "A Pro", str(lf.pt["id"]), acct, lot, str(earned["id"]), adjID, str(org["id"]), str(branch["id"]), str(owner["id"]), str(prog["id"]), str(staff["id"]), str(key["id"]), e.tidA, "A Holding", "owner@a.example", str(promoC["id"]), str(promoU["id"]), "ASECRET30", "AUNIQUE0001", str(item["id"]), str(red["id"]), str(goal["id"]), str(partner["id"]), str(amap["id"]), str(aimp["id"]), "iso.csv", str(cpn["id"])}

		snapshot := func() string {
			var b strings.Builder
			for _, p := range []string{"/v1/organizations", "/v1/members", "/v1/programs", "/v1/staff", "/v1/api-keys", "/v1/audit-log?limit=500",
				"/v1/organizations/" + str(org["id"]) + "/wallet", "/v1/adjustments", "/v1/accounts/" + acct + "/statement",
				"/v1/organizations/" + str(org["id"]) + "/consents", "/v1/programs/" + str(prog["id"]) + "/terms", "/v1/members/" + str(owner["id"]) + "/affiliations",
				"/v1/programs/" + str(prog["id"]) + "/versions", "/v1/programs/" + str(prog["id"]),
				"/v1/membership-plans", "/v1/organizations/" + str(org["id"]) + "/memberships",
				"/v1/claims", "/v1/claims/" + str(cl["id"]) + "/document", "/v1/organizations/" + str(org["id"]) + "/referrals",
				"/v1/programs/" + str(prog["id"]) + "/claim-settings", "/v1/programs/" + str(prog["id"]) + "/referral-settings",
				"/v1/programs/" + str(prog["id"]) + "/versions", "/v1/programs/" + str(prog["id"]), "/v1/promo-campaigns",
				"/v1/promo-campaigns/" + str(promoU["id"]) + "/codes", "/v1/promo-campaigns/" + str(promoC["id"]) + "/redemptions",
				"/v1/rewards", "/v1/redemptions", "/v1/reward-settings", "/v1/organizations/" + str(org["id"]) + "/rewards",
				"/v1/programs/" + str(prog["id"]) + "/versions", "/v1/programs/" + str(prog["id"]), "/v1/goals", "/v1/goals/" + str(goal["id"]),
				"/v1/partners", "/v1/partners/" + str(partner["id"]) + "/settlement?from=2026-03-01&to=2026-03-31",
				"/v1/membership-plans", "/v1/organizations/" + str(org["id"]) + "/memberships", "/v1/imports", "/v1/import-mappings",
				"/v1/segments", "/v1/segments/" + str(seg["id"]) + "/organizations", "/v1/analytics/sales", "/v1/analytics/organizations",
				"/v1/analytics/economics?program=" + str(prog["id"]), "/v1/organizations/" + str(org["id"]) + "/coupons"} {
				b.Write(e.do("GET", p, e.keyA, nil).must(200, nil).Body)
			}
			return b.String()
		}
		secrets = append(secrets, str(cl["id"]), str(rc["code"]), str(seg["id"]), "A buyers")
		msgIso := newMessagingIso(e, owner, seg)
		secrets = append(secrets, msgIso.secrets...)
		before := snapshot()
		// B's key acts for a staff user, so that staff-only operations get as
		// far as the tenant check.
		var bStaff obj
		e.do("POST", "/v1/staff", e.keyB, obj{"email": "b@b.example", "name": "B", "role": "admin"}).must(201, &bStaff)
		keyB := e.key(tenantOf(t, e, e.keyB), "admin", str(bStaff["id"]))
		// B runs a program of its own, so that events and quotes get as far
		// as looking up the organization.
		var bProg, bPT obj
		e.do("POST", "/v1/programs", e.keyB, obj{"name": "B Club"}).must(201, &bProg)
		e.do("POST", "/v1/programs/"+id0(bProg)+"/point-types", e.keyB, obj{"code": "b", "name": "B", "unit": "points", "currency": "GBP", "value_num": 1, "value_den": 1}).must(201, &bPT)
		e.do("POST", "/v1/programs/"+id0(bProg)+"/versions", e.keyB, obj{"definition": obj{"currency": "GBP", "point_type_id": bPT["id"],
			"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}}}).must(201, nil)
		e.do("POST", "/v1/programs/"+id0(bProg)+"/status", e.keyB, obj{"status": "active"}).must(200, nil)
		ev := obj{"type": "invoice", "source": "erp", "external_id": "ISO-INV", "occurred_at": epoch.Format("2006-01-02T15:04:05Z"),
			"organization": id0(org), "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}}}
		evExt := obj{"type": "invoice", "source": "erp", "external_id": "ISO-INV-2", "occurred_at": epoch.Format("2006-01-02T15:04:05Z"),
			"organization": "ext:ISO-ORG", "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}}}

		id := func(o obj) string { return str(o["id"]) }
		cases := map[string]isoCase{
			"get-tenant":                 {"GET", "/v1/tenant", nil, 200},
			"whoami":                     {"GET", "/v1/whoami", nil, 200},
			"put-tenant-settings":        {"PUT", "/v1/tenant/settings", obj{"version_approval": true, "adjust_limit": 500}, 200},
			"approve-program-version":    {"POST", "/v1/programs/" + id(prog) + "/versions/1/approve", obj{}, 404},
			"reject-program-version":     {"POST", "/v1/programs/" + id(prog) + "/versions/1/reject", obj{"note": "no"}, 404},
			"approve-program-activation": {"POST", "/v1/programs/" + id(prog) + "/activation/approve", obj{}, 404},
			"reject-program-activation":  {"POST", "/v1/programs/" + id(prog) + "/activation/reject", obj{"note": "no"}, 404},
			"create-staff":               {"POST", "/v1/staff", obj{"email": "tom@a.example", "name": "B's Tom", "role": "finance"}, 201},
			"list-staff":                 {"GET", "/v1/staff", nil, 200},
			"get-staff":                  {"GET", "/v1/staff/" + id(staff), nil, 404},
			"update-staff":               {"PATCH", "/v1/staff/" + id(staff), obj{"status": "disabled"}, 404},
			"create-api-key":             {"POST", "/v1/api-keys", obj{"name": "x", "scope": "read", "staff_id": id(staff)}, 422},
			"list-api-keys":              {"GET", "/v1/api-keys", nil, 200},
			"get-api-key":                {"GET", "/v1/api-keys/" + id(key), nil, 404},
			"revoke-api-key":             {"POST", "/v1/api-keys/" + id(key) + "/revoke", nil, 404},
			"create-organization":        {"POST", "/v1/organizations", obj{"type": "dealer", "name": "B branch", "parent_id": id(org)}, 422},
			"list-organizations":         {"GET", "/v1/organizations?q=holding", nil, 200},
			"get-organization":           {"GET", "/v1/organizations/" + id(org), nil, 404},
			"update-organization":        {"PATCH", "/v1/organizations/" + id(org), obj{"name": "Hijacked"}, 404},
			"delete-organization":        {"DELETE", "/v1/organizations/" + id(branch), nil, 404},
			"upsert-organizations":       {"POST", "/v1/organizations:bulk-upsert", obj{"items": []obj{{"external_id": "ISO-ORG", "type": "dealer", "name": "B's own"}}}, 200},
			"create-member":              {"POST", "/v1/members", obj{"organization_id": id(org), "name": "Mole", "roles": []string{"sales"}}, 422},
			"list-members":               {"GET", "/v1/members?q=owner", nil, 200},
			"get-member":                 {"GET", "/v1/members/" + id(owner), nil, 404},
			"update-member":              {"PATCH", "/v1/members/" + id(owner), obj{"name": "Hijacked"}, 404},
			"delete-member":              {"DELETE", "/v1/members/" + id(owner), nil, 404},
			"move-member":                {"POST", "/v1/members/" + id(owner) + "/move", obj{"organization_id": id(branch)}, 404},
			"list-member-affiliations":   {"GET", "/v1/members/" + id(owner) + "/affiliations", nil, 404},
			"upsert-members":             {"POST", "/v1/members:bulk-upsert", obj{"items": []obj{{"external_id": "ISO-M", "organization_external_id": "ISO-BR", "name": "Mole", "roles": []string{"sales"}}}}, 422},
			"record-consent":             {"POST", "/v1/organizations/" + id(org) + "/consents", obj{"program_id": id(prog), "decision": "revoked", "method": "paper", "signer_name": "X", "evidence": "x"}, 404},
			"get-consents":               {"GET", "/v1/organizations/" + id(org) + "/consents", nil, 404},
			"create-program":             {"POST", "/v1/programs", obj{"name": "B Club"}, 201},
			"list-programs":              {"GET", "/v1/programs", nil, 200},
			"get-program":                {"GET", "/v1/programs/" + id(prog), nil, 404},
			"publish-terms":              {"POST", "/v1/programs/" + id(prog) + "/terms", obj{"title": "x", "body": "y"}, 404},
			"list-terms":                 {"GET", "/v1/programs/" + id(prog) + "/terms", nil, 404},
			"list-audit-log":             {"GET", "/v1/audit-log?entity_type=organization&entity_id=" + id(org), nil, 200},
			"create-point-type":          {"POST", "/v1/programs/" + id(prog) + "/point-types", obj{"code": "b", "name": "B", "unit": "points", "currency": "GBP"}, 404},
			"list-point-types":           {"GET", "/v1/programs/" + id(prog) + "/point-types", nil, 404},
			"earn":                       {"POST", "/v1/ledger/earn", obj{"owner": obj{"type": "organization", "id": id(org)}, "point_type_id": id(lf.pt), "amount": 5}, 422},
			"spend":                      {"POST", "/v1/ledger/spend", obj{"owner": obj{"type": "organization", "id": id(org)}, "point_type_id": id(lf.pt), "amount": 5}, 422},
			"transfer":                   {"POST", "/v1/ledger/transfers", obj{"from": obj{"type": "organization", "id": id(org)}, "to": obj{"type": "member", "id": id(owner)}, "point_type_id": id(lf.pt), "amount": 5}, 422},
			"clawback":                   {"POST", "/v1/ledger/clawbacks", obj{"lot_id": lot, "amount": 5, "policy": "other_lots"}, 422},
			"get-transaction":            {"GET", "/v1/transactions/" + id(earned), nil, 404},
			"reverse-transaction":        {"POST", "/v1/transactions/" + id(earned) + "/reverse", obj{"reason": "x"}, 404},
			"get-organization-wallet":    {"GET", "/v1/organizations/" + id(org) + "/wallet", nil, 404},
			"get-member-wallet":          {"GET", "/v1/members/" + id(owner) + "/wallet", nil, 404},
			"get-account":                {"GET", "/v1/accounts/" + acct, nil, 404},
			"get-statement":              {"GET", "/v1/accounts/" + acct + "/statement", nil, 404},
			"adjust-account":             {"POST", "/v1/accounts/" + acct + "/adjustments", obj{"amount": 5, "reason": "x"}, 404},
			"list-adjustments":           {"GET", "/v1/adjustments", nil, 200},
			"approve-adjustment":         {"POST", "/v1/adjustments/" + adjID + "/approve", obj{}, 404},
			"reject-adjustment":          {"POST", "/v1/adjustments/" + adjID + "/reject", obj{"note": "no"}, 404},
			"add-program-version":        {"POST", "/v1/programs/" + id(prog) + "/versions", obj{"definition": obj{"currency": "GBP"}}, 404},
			"list-program-versions":      {"GET", "/v1/programs/" + id(prog) + "/versions", nil, 404},
			"set-program-status":         {"POST", "/v1/programs/" + id(prog) + "/status", obj{"status": "paused"}, 404},
			"ingest-event":               {"POST", "/v1/events", ev, 422},
			"ingest-events":              {"POST", "/v1/events:batch", obj{"events": []obj{evExt, ev}}, 422},
			"list-organization-events":   {"GET", "/v1/organizations/" + id(org) + "/events", nil, 404},
			"enroll":                     {"POST", "/v1/programs/" + id(prog) + "/enrollments", obj{"organization": id(org)}, 404},
			"get-program-budget":         {"GET", "/v1/programs/" + id(prog) + "/budget", nil, 404},
			"get-participant":            {"GET", "/v1/programs/" + id(prog) + "/participants/" + id(org), nil, 404},
			"quote":                      {"POST", "/v1/quote", obj{"organization": id(org), "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}}}, 422},
			"compare-discount-bonus":     {"POST", "/v1/economics/discount-vs-bonus", obj{"price": 900000, "margin": 270000, "rate_bp": 500}, 200},
			"discount-volume":            {"POST", "/v1/economics/discount-volume", obj{"price": 10000, "margin": 4500, "rate_bp": 1000}, 200},
			"membership-break-even":      {"POST", "/v1/economics/membership-break-even", obj{"fee": 22000, "discount_bp": 5000}, 200},
			"simulate":                   {"POST", "/v1/simulations", obj{"from": "2026-03-01T00:00:00Z", "to": "2026-04-01T00:00:00Z", "variants": []obj{{"program_id": prog["id"]}}}, 422},
			"create-membership-plan":     {"POST", "/v1/membership-plans", obj{"code": "pro", "name": "B Pro", "fee": 100, "currency": "GBP", "period_months": 1, "discount_bp": 100}, 201},
			"list-membership-plans":      {"GET", "/v1/membership-plans", nil, 200},
			"get-membership-plan":        {"GET", "/v1/membership-plans/" + id(plan), nil, 404},
			"set-membership-plan-status": {"POST", "/v1/membership-plans/" + id(plan) + "/status", obj{"status": "archived"}, 404},
			"buy-membership":             {"POST", "/v1/organizations/" + id(org) + "/memberships", obj{"plan": "pro"}, 404},
			"list-memberships":           {"GET", "/v1/organizations/" + id(org) + "/memberships", nil, 404},
			"submit-claim": {"POST", "/v1/claims", obj{"program_id": id(prog), "member": id(owner), "invoice_number": "B-1", "invoice_date": "2026-03-01",
				"end_customer": "x", "currency": "GBP", "lines": []obj{{"sku": "A", "qty": 1, "unit_price": 1000}},
				"document": obj{"filename": "b.pdf", "content_type": "application/pdf", "data": "JVBERi0xLjQKJSVFT0YKQg=="}}, 422},
			"list-claims":                    {"GET", "/v1/claims?organization=" + id(org), nil, 404},
			"get-claim":                      {"GET", "/v1/claims/" + id(cl), nil, 404},
			"get-claim-document":             {"GET", "/v1/claims/" + id(cl) + "/document", nil, 404},
			"approve-claim":                  {"POST", "/v1/claims/" + id(cl) + "/approve", nil, 404},
			"reject-claim":                   {"POST", "/v1/claims/" + id(cl) + "/reject", obj{"reason": "B says no"}, 404},
			"get-claim-settings":             {"GET", "/v1/programs/" + id(prog) + "/claim-settings", nil, 404},
			"put-claim-settings":             {"PUT", "/v1/programs/" + id(prog) + "/claim-settings", obj{"window_days": 1, "enabled": false}, 404},
			"get-organization-referral-code": {"GET", "/v1/organizations/" + id(org) + "/referral-code", nil, 404},
			"get-member-referral-code":       {"GET", "/v1/members/" + id(owner) + "/referral-code", nil, 404},
			"register-referral":              {"POST", "/v1/referrals", obj{"code": str(rc["code"]), "organization": id(org)}, 422},
			"list-organization-referrals":    {"GET", "/v1/organizations/" + id(org) + "/referrals", nil, 404},
			"get-referral-settings":          {"GET", "/v1/programs/" + id(prog) + "/referral-settings", nil, 404},
			"put-referral-settings":          {"PUT", "/v1/programs/" + id(prog) + "/referral-settings", obj{"referrer_points": 1, "referred_points": 1, "min_first_purchase": 0}, 404},
			"create-promo-campaign":          {"POST", "/v1/promo-campaigns", obj{"name": "B", "program_id": id(prog), "kind": "shared", "code": "B1", "effect": obj{"type": "percent", "percent_bp": 100}}, 422},
			"list-promo-campaigns":           {"GET", "/v1/promo-campaigns", nil, 200},
			"get-promo-campaign":             {"GET", "/v1/promo-campaigns/" + id(promoC), nil, 404},
			"set-promo-campaign-status":      {"POST", "/v1/promo-campaigns/" + id(promoC) + "/status", obj{"status": "paused"}, 404},
			"set-promo-campaign-partners":    {"PUT", "/v1/promo-campaigns/" + id(promoC) + "/partners", obj{"partners": []string{}}, 404},
			"generate-promo-codes":           {"POST", "/v1/promo-campaigns/" + id(promoU) + "/codes:generate", obj{"pattern": "B-########", "count": 5}, 404},
			"import-promo-codes":             {"POST", "/v1/promo-campaigns/" + id(promoU) + "/codes:import", obj{"codes": []string{"BSTOLEN"}}, 404},
			"list-promo-codes":               {"GET", "/v1/promo-campaigns/" + id(promoU) + "/codes", nil, 404},
			"export-promo-codes":             {"GET", "/v1/promo-campaigns/" + id(promoU) + "/codes.csv", nil, 404},
			"list-promo-redemptions":         {"GET", "/v1/promo-campaigns/" + id(promoC) + "/redemptions", nil, 404},
			"create-reward":                  {"POST", "/v1/rewards", obj{"kind": "voucher", "name": "B", "point_type_id": id(lf.pt), "price": 1}, 422},
			"list-rewards":                   {"GET", "/v1/rewards", nil, 200},
			"get-reward":                     {"GET", "/v1/rewards/" + id(item), nil, 404},
			"update-reward":                  {"PATCH", "/v1/rewards/" + id(item), obj{"stock": 0}, 404},
			"list-organization-rewards":      {"GET", "/v1/organizations/" + id(org) + "/rewards", nil, 404},
			"redeem":                         {"POST", "/v1/redemptions", obj{"item_id": id(item), "organization": id(org)}, 422},
			"list-redemptions":               {"GET", "/v1/redemptions?organization=" + id(org), nil, 422},
			"get-redemption":                 {"GET", "/v1/redemptions/" + id(red), nil, 404},
			"approve-redemption":             {"POST", "/v1/redemptions/" + id(red) + "/approve", obj{}, 404},
			"reject-redemption":              {"POST", "/v1/redemptions/" + id(red) + "/reject", obj{"reason": "x"}, 404},
			"cancel-redemption":              {"POST", "/v1/redemptions/" + id(red) + "/cancel", nil, 404},
			"fulfill-redemption":             {"POST", "/v1/redemptions/" + id(red) + "/fulfill", nil, 404},
			"get-reward-settings":            {"GET", "/v1/reward-settings", nil, 200},
			"put-reward-settings":            {"PUT", "/v1/reward-settings", obj{"approval_threshold": 1}, 200},
			"create-goal":                    {"POST", "/v1/goals", obj{"name": "B", "organization": id(org), "metric": "orders", "target": 1, "reward_text": "x", "starts_at": "2026-03-01T00:00:00Z", "ends_at": "2026-04-01T00:00:00Z"}, 422},
			"list-goals":                     {"GET", "/v1/goals?status=active", nil, 200},
			"get-goal":                       {"GET", "/v1/goals/" + id(goal), nil, 404},
			"cancel-goal":                    {"POST", "/v1/goals/" + id(goal) + "/cancel", nil, 404},
			"create-partner":                 {"POST", "/v1/partners", obj{"name": "B", "program_id": id(prog), "point_type_id": id(lf.pt), "issue_price": 1, "redeem_price": 1}, 422},
			"list-partners":                  {"GET", "/v1/partners", nil, 200},
			"get-partner":                    {"GET", "/v1/partners/" + id(partner), nil, 404},
			"create-partner-api-key":         {"POST", "/v1/partners/" + id(partner) + "/api-keys", obj{"name": "x"}, 404},
			"opt-in-partner":                 {"POST", "/v1/partners/" + id(partner) + "/optins", obj{"member": id(owner)}, 404},
			"revoke-partner-opt-in":          {"DELETE", "/v1/partners/" + id(partner) + "/optins/" + id(owner), nil, 404},
			"redeem-at-partner":              {"POST", "/v1/partners/" + id(partner) + "/redemptions", obj{"member": id(owner), "points": 1, "reference": "x"}, 404},
			"get-partner-settlement":         {"GET", "/v1/partners/" + id(partner) + "/settlement?from=2026-03-01&to=2026-03-31", nil, 404},
			"create-import":                  {"POST", "/v1/imports?mapping=" + id(amap), isoCSV, 404},
			"list-imports":                   {"GET", "/v1/imports", nil, 200},
			"get-import":                     {"GET", "/v1/imports/" + id(aimp), nil, 404},
			"save-import-mapping":            {"POST", "/v1/import-mappings", isoMapping(), 201},
			"list-import-mappings":           {"GET", "/v1/import-mappings", nil, 200},
			"get-import-mapping":             {"GET", "/v1/import-mappings/" + id(amap), nil, 404},
			"analytics-participation":        {"GET", "/v1/analytics/participation?program=" + id(prog), nil, 422},
			"analytics-sales":                {"GET", "/v1/analytics/sales?program=" + id(prog), nil, 422},
			"analytics-economics":            {"GET", "/v1/analytics/economics?program=" + id(prog), nil, 422},
			"analytics-uplift":               {"GET", "/v1/analytics/uplift?program=" + id(prog), nil, 422},
			"analytics-cohorts":              {"GET", "/v1/analytics/cohorts?program=" + id(prog), nil, 422},
			"analytics-organizations":        {"GET", "/v1/analytics/organizations?from=2026-01-01", nil, 200},
			"create-segment": {"POST", "/v1/segments", obj{"code": "iso", "name": "B", "rules": []obj{{"field": "tier", "op": "in", "values": []string{"gold"},
				"program": id(prog)}}}, 422},
			"list-segments":             {"GET", "/v1/segments", nil, 200},
			"get-segment":               {"GET", "/v1/segments/" + id(seg), nil, 404},
			"update-segment":            {"PATCH", "/v1/segments/" + id(seg), obj{"name": "Hijacked"}, 404},
			"delete-segment":            {"DELETE", "/v1/segments/" + id(seg), nil, 404},
			"segment-organizations":     {"GET", "/v1/segments/" + id(seg) + "/organizations", nil, 404},
			"refresh-segment":           {"POST", "/v1/segments/" + id(seg) + ":refresh", nil, 404},
			"list-organization-coupons": {"GET", "/v1/organizations/" + id(org) + "/coupons", nil, 404},
			"get-coupon":                {"GET", "/v1/coupons/" + id(cpn), nil, 404},
			"use-coupon":                {"POST", "/v1/coupons/" + id(cpn) + "/use", obj{"note": "x"}, 404},
			"issue-card":                {"POST", "/v1/cards", obj{"program_id": prog["id"], "owner_type": "member", "owner": owner["id"]}, 422},
			"get-card":                  {"GET", "/v1/cards/" + id(crd), nil, 404},
			"find-card":                 {"GET", "/v1/cards?number=" + str(crd["number"]), nil, 404},
			"get-card-state":            {"GET", "/v1/cards/" + id(crd) + "/state", nil, 404},
			"preview-card-design":       {"GET", "/v1/programs/" + id(prog) + "/card-design/preview", nil, 404},
			"get-wallet-installs":       {"GET", "/v1/programs/" + id(prog) + "/wallet-installs", nil, 404},
			"get-card-design":           {"GET", "/v1/programs/" + id(prog) + "/card-design", nil, 404},
			"put-card-design":           {"PUT", "/v1/programs/" + id(prog) + "/card-design", obj{"title": "X", "background": "#000000", "foreground": "#ffffff", "label": "#ffffff", "fields": []string{}}, 404},
			"grant-tier":                {"POST", "/v1/programs/" + id(prog) + "/participants/" + id(org) + "/tier", obj{"level": "x", "reason": "x"}, 404},
			"end-tier-grant":            {"DELETE", "/v1/programs/" + id(prog) + "/participants/" + id(org) + "/tier", nil, 404},
			"list-expiring-wallets":     {"GET", "/v1/ledger/expiring?within_days=366", nil, 200},
			"get-signup-form":           {"GET", "/v1/programs/" + id(prog) + "/signup-form", nil, 404},
			"put-signup-form":           {"PUT", "/v1/programs/" + id(prog) + "/signup-form", obj{"fields": []obj{{"name": "name"}, {"name": "phone"}}}, 404},
			"invite-member-to-portal":   {"POST", "/v1/members/" + id(owner) + "/portal-invitation", nil, 404},
			"export-person":             {"GET", "/v1/people/" + id(owner) + "/export", nil, 404},
			"erase-person":              {"POST", "/v1/people/" + id(owner) + "/erase", nil, 404},
			"list-jobs":                 {"GET", "/v1/jobs", nil, 200},
		}

		maps.Copy(cases, msgIso.cases())
		for _, opID := range operationIDs(e) {
			if _, ok := cases[opID]; !ok {
				t.Errorf("operation %q has no tenant-isolation case: add one", opID)
			}
		}
		names := make([]string, 0, len(cases))
		for n := range cases {
			names = append(names, n)
		}
		slices.Sort(names)
		for _, name := range names {
			c := cases[name]
			r := e.do(c.method, c.path, keyB, c.body, "Idempotency-Key", "iso-"+name)
			if r.Status != c.status {
				t.Errorf("%s: status %d, want %d; body %s", name, r.Status, c.status, r.Body)
			}
			sent, _ := json.Marshal(c.body)
			for _, s := range secrets {
				// An id the caller sent may be echoed in the error; anything else of A's is a leak.
				if strings.Contains(string(r.Body), s) && !strings.Contains(c.path+string(sent), s) {
					t.Errorf("%s: tenant B's response shows tenant A's %q: %s", name, s, r.Body)
				}
			}
		}
		if after := snapshot(); after != before {
			t.Fatal("tenant B's requests changed tenant A's data")
		}
		msgIso.check()
	})
}

func id0(o obj) string { return str(o["id"]) }

// operationIDs lists every operation of the API's OpenAPI document.
func operationIDs(e *env) []string {
	var ids []string
	for _, item := range e.api.OpenAPI().Paths {
		for _, op := range []*huma.Operation{item.Get, item.Post, item.Put, item.Patch, item.Delete} {
			if op != nil {
				ids = append(ids, op.OperationID)
			}
		}
	}
	slices.Sort(ids)
	return ids
}

// tenantOf returns the tenant id of a key.
func tenantOf(t *testing.T, e *env, key string) string {
	var tn obj
	e.do("GET", "/v1/tenant", key, nil).must(200, &tn)
	return str(tn["id"])
}
