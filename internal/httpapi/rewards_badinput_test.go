package httpapi_test

import (
	"testing"
	"time"
)

// rewardState is what a refused request must leave as it was.
func (r rewardsEnv) rewardState(itemID string) [5]int64 {
	return [5]int64{r.orgPoints(), r.empPoints(), r.stock(itemID), int64(r.count("/v1/redemptions")), int64(r.count("/v1/audit-log?limit=500"))}
}

// Too few points: 409, nothing reserved or written.
func TestRedemptionInsufficientPoints(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "merchandise", "name": "Cordless drill", "price": 6000, "stock": 10})
		before := r.rewardState(str(it["id"]))
		p := r.do("POST", "/v1/redemptions", r.keyA, obj{"item_id": it["id"], "organization": "ext:R-1", "member": r.emp["id"]}).
			fails(409, "insufficient_points", "")
		if p.Detail == "" {
			t.Fatal("no detail")
		}
		r.do("POST", "/v1/redemptions", r.keyA, obj{"item_id": it["id"], "organization": "ext:R-1", "quantity": 2}).fails(409, "insufficient_points", "")
		if after := r.rewardState(str(it["id"])); after != before {
			t.Fatalf("refused redemption changed %v into %v", before, after)
		}
		e.ledgerOK(e.tidA)
	})
}

// Per-member and per-organization limits per period; a cancellation gives
// its units back and a new period starts afresh.
func TestRedemptionPerPeriodLimits(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"kind": "information", "name": "Market report", "price": 100,
			"member_limit": obj{"count": 2, "period": "month"}, "organization_limit": obj{"count": 3, "period": "year"}})
		as := func(member any) obj { return obj{"item_id": it["id"], "organization": "ext:R-1", "member": member} }
		first := r.redeem(as(r.emp["id"]), 201)
		r.redeem(as(r.emp["id"]), 201)
		before := r.rewardState(str(it["id"]))
		r.do("POST", "/v1/redemptions", r.keyA, as(r.emp["id"])).fails(409, "limit_reached", "")
		if after := r.rewardState(str(it["id"])); after != before {
			t.Fatalf("refused redemption changed %v into %v", before, after)
		}
		r.do("POST", "/v1/redemptions/"+first.ID+"/cancel", r.keyA, nil).must(200, nil)
		r.redeem(as(r.emp["id"]), 201) // the cancelled unit no longer counts
		// The organization's yearly 3 are used (2 of the employee and 1 now).
		r.do("POST", "/v1/redemptions", r.keyA, obj{"item_id": it["id"], "organization": "ext:R-1", "quantity": 2}).fails(409, "limit_reached", "")
		e.clock.Set(time.Date(2026, 4, 1, 9, 0, 0, 0, time.UTC))
		r.redeem(as(r.emp["id"]), 201)                                                           // April: the member's month is new; the organization's third unit
		r.do("POST", "/v1/redemptions", r.keyA, as(r.emp["id"])).fails(409, "limit_reached", "") // the member has 1 of 2 this month, but the organization's year is full
		r.do("PATCH", "/v1/rewards/"+str(it["id"]), r.keyA, obj{"status": "archived"}).must(200, nil)
		r.do("POST", "/v1/redemptions", r.keyA, as(r.emp["id"])).fails(409, "not_available", "")
		// Monthly only: a new month starts afresh.
		monthly := r.item(obj{"kind": "information", "name": "Price list", "price": 10, "member_limit": obj{"count": 1, "period": "month"}})
		r.redeem(obj{"item_id": monthly["id"], "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		r.do("POST", "/v1/redemptions", r.keyA, obj{"item_id": monthly["id"], "organization": "ext:R-1", "member": r.emp["id"]}).fails(409, "limit_reached", "")
		e.clock.Set(time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC))
		r.redeem(obj{"item_id": monthly["id"], "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		e.ledgerOK(e.tidA)
	})
}

// Refused redemptions and catalog items: a clear 4xx naming the field or
// the reason, and nothing written or reserved.
func TestRedemptionBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		it := r.item(obj{"name": "Hard hat", "price": 100, "stock": 5})
		id := str(it["id"])
		future := epoch.Add(48 * time.Hour).Format(time.RFC3339)
		past := epoch.Add(-48 * time.Hour).Format(time.RFC3339)
		later := r.item(obj{"name": "Summer offer", "price": 100, "available_from": future})
		over := r.item(obj{"name": "Winter offer", "price": 100, "available_until": past})
		installers := r.item(obj{"name": "Installer kit", "price": 100, "audience": obj{"organization_types": []string{"installer"}}})
		engineers := r.item(obj{"name": "CAD licence", "price": 100, "audience": obj{"roles": []string{"engineer"}}})
		named := r.item(obj{"name": "Partner gift", "price": 100, "audience": obj{"organizations": []string{str(e.dealer(e.keyA, "R-5")["id"])}}})
		none := r.item(obj{"name": "Sold out cap", "price": 100, "stock": 0})
		archived := r.item(obj{"name": "Old catalogue", "price": 100})
		r.do("PATCH", "/v1/rewards/"+str(archived["id"]), r.keyA, obj{"status": "archived"}).must(200, nil)
		other := e.createOrg(obj{"type": "dealer", "name": "Other", "external_id": "R-9"})
		stranger := e.createMember(obj{"organization_id": other["id"], "name": "Stan", "roles": []string{"sales"}})
		readKey := r.key(r.tidA, "read", "")
		before := r.rewardState(id)
		redeem := func(body obj) *resp { return r.do("POST", "/v1/redemptions", r.keyA, body) }
		redeem(obj{"item_id": "nope", "organization": "ext:R-1"}).fails(422, "validation_failed", "item_id")
		redeem(obj{"organization": "ext:R-1"}).fails(422, "validation_failed", "item_id")
		redeem(obj{"item_id": id}).fails(422, "validation_failed", "organization")
		redeem(obj{"item_id": id, "organization": "ext:NOPE"}).fails(422, "validation_failed", "organization")
		redeem(obj{"item_id": id, "organization": "ext:R-1", "member": stranger["id"]}).fails(422, "validation_failed", "member")
		redeem(obj{"item_id": id, "organization": "ext:R-1", "member": "nope"}).fails(422, "validation_failed", "member")
		redeem(obj{"item_id": id, "organization": "ext:R-1", "quantity": -1}).fails(422, "validation_failed", "quantity")
		redeem(obj{"item_id": id, "organization": "ext:R-1", "quantity": 1001}).fails(422, "validation_failed", "quantity")
		redeem(obj{"item_id": id, "organization": "ext:R-1", "quantity": 6}).fails(409, "out_of_stock", "")
		redeem(obj{"item_id": none["id"], "organization": "ext:R-1"}).fails(409, "out_of_stock", "")
		redeem(obj{"item_id": later["id"], "organization": "ext:R-1"}).fails(409, "not_available", "")
		redeem(obj{"item_id": over["id"], "organization": "ext:R-1"}).fails(409, "not_available", "")
		redeem(obj{"item_id": archived["id"], "organization": "ext:R-1"}).fails(409, "not_available", "")
		redeem(obj{"item_id": installers["id"], "organization": "ext:R-1"}).fails(403, "not_in_audience", "")
		redeem(obj{"item_id": engineers["id"], "organization": "ext:R-1"}).fails(403, "not_in_audience", "")
		redeem(obj{"item_id": engineers["id"], "organization": "ext:R-1", "member": r.emp["id"]}).fails(403, "not_in_audience", "")
		redeem(obj{"item_id": named["id"], "organization": "ext:R-1"}).fails(403, "not_in_audience", "")
		r.do("POST", "/v1/redemptions", readKey, obj{"item_id": id, "organization": "ext:R-1"}).fails(403, "insufficient_scope", "")
		r.do("GET", "/v1/redemptions?status=lost", r.keyA, nil).fails(422, "validation_failed", "status")
		r.do("GET", "/v1/redemptions?organization=ext:NOPE", r.keyA, nil).fails(422, "validation_failed", "organization")
		r.do("POST", "/v1/redemptions/nope/approve", r.keyA, obj{}).fails(404, "not_found", "")
		if after := r.rewardState(id); after != before {
			t.Fatalf("refused requests changed %v into %v", before, after)
		}
		// Wrong transitions: nothing to approve on an approved redemption,
		// nothing to fulfil before approval.
		red := r.redeem(obj{"item_id": id, "organization": "ext:R-1"}, 201)
		r.do("POST", "/v1/redemptions/"+red.ID+"/approve", r.keyA, obj{}).fails(409, "wrong_status", "")
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"employee_redemptions_need_management": true}).must(200, nil)
		waiting := r.redeem(obj{"item_id": id, "organization": "ext:R-1", "member": r.emp["id"]}, 201)
		r.do("POST", "/v1/redemptions/"+waiting.ID+"/fulfill", r.keyA, nil).fails(409, "wrong_status", "")
		r.do("POST", "/v1/redemptions/"+waiting.ID+"/approve", r.keyA, obj{"member_id": stranger["id"]}).fails(403, "not_management", "")
		r.do("POST", "/v1/redemptions/"+waiting.ID+"/approve", r.keyA, obj{"member_id": "nope"}).fails(422, "validation_failed", "member_id")
		r.do("PUT", "/v1/reward-settings", r.key(r.tidA, "write", ""), obj{"approval_threshold": 5}).fails(403, "insufficient_scope", "")
		r.do("PUT", "/v1/reward-settings", r.keyA, obj{"approval_threshold": -5}).fails(422, "validation_failed", "approval_threshold")
		var got redemption
		r.do("GET", "/v1/redemptions/"+waiting.ID, r.keyA, nil).must(200, &got)
		if got.Status != "awaiting_management" || len(got.Steps) != 2 {
			t.Fatalf("refused decisions changed the redemption: %+v", got)
		}
	})
}

// Catalog items that cannot be made: 422 naming the field, nothing stored.
func TestRewardCatalogBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		r := newRewards(e)
		n := r.count("/v1/rewards")
		audit := r.count("/v1/audit-log?limit=500")
		for field, body := range map[string]obj{
			"kind":                        {"kind": "car"},
			"subkind":                     {"kind": "service"},
			"name":                        {"name": ""},
			"price":                       {"price": 0},
			"point_type_id":               {"point_type_id": "nope"},
			"role_prices.ceo":             {"role_prices": obj{"ceo": 10}},
			"tier_prices.gold":            {"tier_prices": obj{"gold": -1}},
			"stock":                       {"stock": -1},
			"available_until":             {"available_from": "2026-05-01T00:00:00Z", "available_until": "2026-04-01T00:00:00Z"},
			"member_limit.period":         {"member_limit": obj{"count": 1, "period": "week"}},
			"organization_limit.count":    {"organization_limit": obj{"count": 0, "period": "month"}},
			"audience.organization_types": {"audience": obj{"organization_types": []string{"bank"}}},
			"audience.organizations":      {"audience": obj{"organizations": []string{"nope"}}},
			"money_value":                 {"money_value": -1},
		} {
			b := obj{"kind": "merchandise", "name": "X", "point_type_id": r.pt, "price": 10}
			for k, v := range body {
				b[k] = v
			}
			r.do("POST", "/v1/rewards", r.keyA, b).fails(422, "validation_failed", field)
		}
		r.do("POST", "/v1/rewards", r.keyA, obj{"kind": "merchandise", "subkind": "training_seat", "name": "X", "point_type_id": r.pt, "price": 10}).
			fails(422, "validation_failed", "subkind")
		it := r.item(obj{"price": 10})
		path := "/v1/rewards/" + str(it["id"])
		r.do("PATCH", path, r.keyA, obj{"price": 0}).fails(422, "validation_failed", "price")
		r.do("PATCH", path, r.keyA, obj{"stock": 3, "unlimited_stock": true}).fails(422, "validation_failed", "stock")
		r.do("PATCH", path, r.keyA, obj{"available_from": "2026-05-01T00:00:00Z", "available_until": "2026-04-01T00:00:00Z"}).fails(422, "validation_failed", "available_until")
		r.do("PATCH", "/v1/rewards/nope", r.keyA, obj{"price": 5}).fails(404, "not_found", "")
		r.do("GET", "/v1/rewards?kind=car", r.keyA, nil).fails(422, "validation_failed", "kind")
		if r.count("/v1/rewards") != n+1 || r.count("/v1/audit-log?limit=500") != audit+1 {
			t.Fatal("refused catalog changes were written")
		}
		var got obj
		r.do("PATCH", path, r.keyA, obj{"stock": 7, "price": 12}).must(200, &got)
		if got["stock"] != float64(7) || got["price"] != float64(12) {
			t.Fatalf("patched: %v", got)
		}
		r.do("PATCH", path, r.keyA, obj{"unlimited_stock": true}).must(200, &got)
		if got["stock"] != nil {
			t.Fatalf("unlimited: %v", got["stock"])
		}
	})
}
