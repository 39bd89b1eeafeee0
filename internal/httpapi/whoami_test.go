package httpapi_test

import "testing"

func TestWhoAmI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.do("GET", "/v1/whoami", "", nil).fails(401, "missing_api_key", "")
		e.do("GET", "/v1/whoami", "lyl_acme_0000000000000_00000000000000000000000000000000", nil).fails(401, "invalid_api_key", "")
		var k struct{ ID, Key string }
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "ERP", "scope": "read"}).must(201, &k)
		var who, tenant obj
		e.do("GET", "/v1/whoami", k.Key, nil).must(200, &who)
		e.do("GET", "/v1/tenant", k.Key, nil).must(200, &tenant)
		if who["tenant_id"] != tenant["id"] || who["actor_type"] != "api_key" || who["actor_id"] != k.ID || who["scope"] != "read" || who["staff_id"] != nil {
			t.Fatalf("whoami of a read key: %v (tenant %v)", who, tenant["id"])
		}
		e.do("POST", "/v1/api-keys/"+k.ID+"/revoke", e.keyA, nil).must(200, nil)
		e.do("GET", "/v1/whoami", k.Key, nil).fails(401, "api_key_revoked", "")
	})
}
