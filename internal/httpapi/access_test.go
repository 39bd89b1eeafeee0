package httpapi_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

func TestAuthentication(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.do("GET", "/v1/organizations", "", nil).fails(401, "missing_api_key", "")
		e.do("GET", "/v1/organizations", "", nil, "Authorization", "Basic dXNlcjpwYXNz").fails(401, "missing_api_key", "")
		e.do("GET", "/v1/organizations", "not-a-key", nil).fails(401, "invalid_api_key", "")
		// Right tenant and key id, wrong secret.
		parts := strings.Split(e.keyA, "_")
		forged := strings.Join(append(parts[:3], ids.Token(20)), "_")
		e.do("GET", "/v1/organizations", forged, nil).fails(401, "invalid_api_key", "")
		// Another tenant's slug with this key's id and secret.
		e.do("GET", "/v1/organizations", strings.Replace(e.keyA, "_acme_", "_bravo_", 1), nil).fails(401, "invalid_api_key", "")
		r := e.do("GET", "/v1/organizations", e.keyA, nil).must(200, nil)
		if r.Header.Get("X-Request-Id") == "" {
			t.Fatal("no X-Request-Id")
		}
	})
}

func TestAPIKeyLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var k struct {
			ID, Key, Scope string
		}
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "ERP integration", "scope": "write"}).must(201, &k)
		if !strings.HasPrefix(k.Key, "lyl_acme_"+k.ID+"_") {
			t.Fatalf("key %q does not name its tenant and id", k.Key)
		}
		e.do("GET", "/v1/organizations", k.Key, nil).must(200, nil)

		// The secret is never shown again, and stored only as a hash.
		got := e.do("GET", "/v1/api-keys/"+k.ID, e.keyA, nil).must(200, nil)
		listed := e.do("GET", "/v1/api-keys", e.keyA, nil).must(200, nil)
		secret := k.Key[strings.LastIndexByte(k.Key, '_')+1:]
		for _, body := range [][]byte{got.Body, listed.Body} {
			if strings.Contains(string(body), secret) {
				t.Fatal("secret shown after creation")
			}
		}
		stored, err := e.app.Tenants.GetKey(context.Background(), access.System(e.tidA), k.ID)
		if err != nil || stored.SecretHash == secret || stored.SecretHash != ids.Hash(secret) {
			t.Fatalf("stored hash %q (%v)", stored.SecretHash, err)
		}
		var meta obj
		e.do("GET", "/v1/api-keys/"+k.ID, e.keyA, nil).must(200, &meta)
		if meta["last_used_at"] == nil {
			t.Fatal("last_used_at not recorded")
		}

		e.clock.Advance(time.Minute)
		e.do("POST", "/v1/api-keys/"+k.ID+"/revoke", e.keyA, nil).must(200, &meta)
		if meta["revoked_at"] == nil {
			t.Fatal("revoked_at missing")
		}
		e.do("GET", "/v1/organizations", k.Key, nil).fails(401, "api_key_revoked", "")
		e.do("POST", "/v1/api-keys/"+k.ID+"/revoke", e.keyA, nil).fails(409, "already_revoked", "")
	})
}

func TestScopes(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		read := e.key(e.tidA, access.ScopeRead, "")
		write := e.key(e.tidA, access.ScopeWrite, "")
		e.do("GET", "/v1/organizations", read, nil).must(200, nil)
		e.do("POST", "/v1/organizations", read, obj{"type": "dealer", "name": "X"}).fails(403, "insufficient_scope", "")
		e.do("POST", "/v1/organizations", write, obj{"type": "dealer", "name": "X"}).must(201, nil)
		e.do("POST", "/v1/api-keys", write, obj{"name": "more", "scope": "admin"}).fails(403, "insufficient_scope", "")
		e.do("GET", "/v1/api-keys", write, nil).fails(403, "insufficient_scope", "")
		e.do("POST", "/v1/staff", write, obj{"email": "a@b.example", "name": "A", "role": "admin"}).fails(403, "insufficient_scope", "")
	})
}

// A key acting for a staff user never has more power than the user's role,
// and stops working when the user is disabled.
func TestStaffKeys(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var fin, adm obj
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "Mark.Ellis@Atlas.example", "name": "Mark Ellis", "role": "finance"}).must(201, &fin)
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "alex@atlas.example", "name": "Alex", "role": "admin"}).must(201, &adm)
		if fin["email"] != "mark.ellis@atlas.example" {
			t.Fatalf("email not normalized: %v", fin["email"])
		}
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "mark.ellis@atlas.example", "name": "Again", "role": "finance"}).fails(409, "duplicate", "email")
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "x@y", "name": "X", "role": "finance"}).fails(422, "validation_failed", "email")
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "k", "scope": "admin", "staff_id": fin["id"]}).fails(422, "validation_failed", "scope")
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "k", "scope": "write", "staff_id": "nobody"}).fails(422, "validation_failed", "staff_id")

		var k struct{ Key string }
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "alex's key", "scope": "admin", "staff_id": adm["id"]}).must(201, &k)
		e.do("GET", "/v1/api-keys", k.Key, nil).must(200, nil)
		// Demoting Alex demotes the key.
		e.do("PATCH", "/v1/staff/"+str(adm["id"]), e.keyA, obj{"role": "program_manager"}).must(200, nil)
		e.do("GET", "/v1/api-keys", k.Key, nil).fails(403, "insufficient_scope", "")
		e.do("GET", "/v1/organizations", k.Key, nil).must(200, nil)
		e.do("PATCH", "/v1/staff/"+str(adm["id"]), e.keyA, obj{"status": "disabled"}).must(200, nil)
		e.do("GET", "/v1/organizations", k.Key, nil).fails(401, "staff_disabled", "")

		var mine obj
		e.do("GET", "/v1/tenant", e.keyA, nil).must(200, &mine)
		if mine["slug"] != "acme" {
			t.Fatalf("tenant: %v", mine)
		}
		if n := e.count("/v1/staff"); n != 2 {
			t.Fatalf("staff count %d", n)
		}
	})
}

func TestAuditLog(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Before"})
		e.clock.Advance(time.Second)
		e.do("PATCH", "/v1/organizations/"+str(o["id"]), e.keyA, obj{"name": "After"}, "X-Request-Id", "req-42").must(200, nil)
		var l list
		e.do("GET", "/v1/audit-log?entity_type=organization&entity_id="+str(o["id"]), e.keyA, nil).must(200, &l)
		if len(l.Items) != 2 {
			t.Fatalf("audit entries: %v", l.Items)
		}
		upd := l.Items[0] // newest first
		before, _ := upd["before"].(obj)
		after, _ := upd["after"].(obj)
		if upd["action"] != "organization.updated" || upd["actor_type"] != "api_key" || upd["request_id"] != "req-42" ||
			before["name"] != "Before" || after["name"] != "After" {
			t.Fatalf("update entry: %v", upd)
		}
		if l.Items[1]["action"] != "organization.created" || l.Items[1]["before"] != nil {
			t.Fatalf("create entry: %v", l.Items[1])
		}
		e.do("GET", "/v1/audit-log?entity_id=x", e.keyA, nil).fails(422, "validation_failed", "entity_type")
	})
}
