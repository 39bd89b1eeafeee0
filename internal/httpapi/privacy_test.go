package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// A person's export holds their profile, wallet and events; erasing them
// leaves none of their personal values anywhere the API or the audit log
// shows, while their points, events and the ledger stay as they were.
func TestExportAndErasePerson(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "ten", "effects": []obj{{"type": "earn", "percent_bp": 1000}}}}})
		personal := []string{"Katherine Rowe", "kate.rowe@riverside.example", "+44 7700 900555", "1984-07-19", "P-9001", "kate_rowe_tg"}
		m := e.createMember(obj{"organization_id": f.org["id"], "name": personal[0], "roles": []string{"owner"}, "email": personal[1],
			"phone": personal[2], "birthday": personal[3], "external_id": personal[4], "messenger": obj{"app": "telegram", "handle": personal[5]}})
		id := str(m["id"])
		e.do("PATCH", "/v1/members/"+id, e.keyA, obj{"name": personal[0] + " Jr"}).must(200, nil)
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": obj{"type": "member", "id": id}, "point_type_id": f.pt["id"], "amount": 250},
			"Idempotency-Key", "kate-1").must(201, nil)
		seedPersonRows(e, f, id, personal)
		e.send(e.keyA, obj{"type": "invoice", "source": "erp", "external_id": "INV-1", "occurred_at": epoch.Format("2006-01-02T15:04:05Z"),
			"organization": "ext:R-1", "member": "ext:P-9001", "currency": "EUR", "lines": []obj{line("A", 1, 1000)}})

		var ex struct {
			MemberID string                      `json:"member_id"`
			Data     map[string][]map[string]any `json:"data"`
		}
		e.do("GET", "/v1/people/ext:P-9001/export", e.keyB, nil).must(404, nil) // another tenant's person
		readKey := e.key(e.tidA, access.ScopeRead, "")
		e.do("GET", "/v1/people/"+id+"/export", readKey, nil).must(403, nil)
		e.do("GET", "/v1/people/ext:P-9001/export", e.keyA, nil).must(200, &ex)
		if ex.MemberID != id || len(ex.Data["profile"]) != 1 || ex.Data["profile"][0]["email"] != personal[1] ||
			len(ex.Data["wallets"]) != 1 || len(ex.Data["events"]) != 1 || len(ex.Data["statement"]) == 0 || len(ex.Data["audit_log"]) < 2 {
			t.Fatalf("export: %+v", ex)
		}
		for _, sec := range []string{"messages", "message_sends", "message_optouts", "outbox", "cards", "wallet_registrations", "registrations", "sign_in_codes", "sessions"} {
			if len(ex.Data[sec]) != 1 {
				t.Errorf("export's %s: %v, want the person's one row", sec, ex.Data[sec])
			}
		}
		before := e.available("/v1/members/" + id + "/wallet")

		e.do("POST", "/v1/people/"+id+"/erase", readKey, nil).must(403, nil)
		var er struct{ Pseudonym string }
		e.do("POST", "/v1/people/"+id+"/erase", e.keyA, nil).must(200, &er)
		if !strings.HasPrefix(er.Pseudonym, "erased-") {
			t.Fatalf("erasure: %+v", er)
		}
		e.do("GET", "/v1/people/"+id+"/export", e.keyA, nil).must(200, &ex)
		got, _ := json.Marshal(ex)
		entries, err := e.app.Audit.List(context.Background(), access.System(e.tidA), audit.Filter{}, page.Request{Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		all, _ := json.Marshal(entries)
		for _, v := range personal {
			if strings.Contains(string(got), v) || strings.Contains(string(all), v) {
				t.Errorf("%q is still stored after the erasure", v)
			}
		}
		if left := survivors(e, append(personal, contact...)); len(left) != 0 {
			t.Errorf("personal values survive the erasure: %v", left)
		}
		if !strings.Contains(string(got), er.Pseudonym) {
			t.Error("the export should carry the pseudonym")
		}
		if after := e.available("/v1/members/" + id + "/wallet"); after != before || len(ex.Data["events"]) != 1 {
			t.Errorf("points %d → %d, events %d: the erasure must leave them", before, after, len(ex.Data["events"]))
		}
		e.ledgerOK(e.tidA)
	})
}
