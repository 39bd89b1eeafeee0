package httpapi_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
)

// TestAttackAuditScope: a read-scope key listed API keys (ids, names,
// scopes) and staff through the audit log. It sees neither now, filtered
// or not; an admin sees both.
func TestAttackAuditScope(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		var staff obj
		e.do("POST", "/v1/staff", e.keyA, obj{"email": "tom@a.example", "name": "Tom", "role": "support"}).must(201, &staff)
		e.do("POST", "/v1/api-keys", e.keyA, obj{"name": "ERP", "scope": "write"}).must(201, nil)
		e.createOrg(obj{"type": "dealer", "name": "Visible"})
		read := e.key(e.tidA, access.ScopeRead, "")
		write := e.key(e.tidA, access.ScopeWrite, "")

		for _, key := range []string{read, write} {
			for _, typ := range []string{"api_key", "staff"} {
				e.do("GET", "/v1/audit-log?entity_type="+typ, key, nil).fails(403, "insufficient_scope", "")
			}
			e.do("GET", "/v1/audit-log?entity_type=staff&entity_id="+str(staff["id"]), key, nil).fails(403, "insufficient_scope", "")
			e.do("GET", "/v1/staff", key, nil).fails(403, "insufficient_scope", "")
			e.do("GET", "/v1/staff/"+str(staff["id"]), key, nil).fails(403, "insufficient_scope", "")
			e.do("GET", "/v1/api-keys", key, nil).fails(403, "insufficient_scope", "")
			types := auditTypes(e, key)
			if types["api_key"] || types["staff"] || !types["organization"] {
				t.Errorf("a %s key sees entries of %v", key[:8], types)
			}
		}
		if types := auditTypes(e, e.keyA); !types["api_key"] || !types["staff"] || !types["organization"] {
			t.Errorf("an admin sees entries of %v", types)
		}
	})
}

// auditTypes lists the entity types of every audit entry a key sees.
func auditTypes(e *env, key string) map[string]bool {
	e.t.Helper()
	out := map[string]bool{}
	cursor := ""
	for {
		var l list
		e.do("GET", "/v1/audit-log?limit=500&cursor="+cursor, key, nil).must(200, &l)
		for _, it := range l.Items {
			out[str(it["entity_type"])] = true
		}
		if cursor = l.NextCursor; cursor == "" {
			return out
		}
	}
}
