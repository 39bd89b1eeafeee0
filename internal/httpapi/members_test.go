package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestMemberLifecycleAndMove(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		dealer := e.createOrg(obj{"type": "dealer", "name": "Brick & Beam"})
		installer := e.createOrg(obj{"type": "installer", "name": "Fischer Roofing"})
		m := e.createMember(obj{"organization_id": dealer["id"], "name": "Ivan Petrov", "roles": []string{"Foreman", "sales"},
			"phone": "+44 (7700) 900-103", "locale": "ru-ru", "birthday": "1985-04-23", "external_id": "P-11"})
		if m["phone"] != "+447700900103" || m["locale"] != "ru-RU" || m["preferred_channel"] != "sms" || fmt.Sprint(m["roles"]) != "[foreman sales]" {
			t.Fatalf("member not normalized: %v", m)
		}
		id := str(m["id"])

		if n := e.count("/v1/members?role=foreman"); n != 1 {
			t.Errorf("role filter: %d", n)
		}
		if n := e.count("/v1/members?organization_id=" + str(installer["id"])); n != 0 {
			t.Errorf("organization filter: %d", n)
		}
		if n := e.count("/v1/members?q=petrov"); n != 1 {
			t.Errorf("search: %d", n)
		}

		e.clock.Advance(24 * time.Hour)
		var patched obj
		e.do("PATCH", "/v1/members/"+id, e.keyA, obj{"roles": []string{"engineer"}, "email": "Ivan@Example.COM", "preferred_channel": "email"}).must(200, &patched)
		if patched["email"] != "ivan@example.com" || patched["preferred_channel"] != "email" {
			t.Fatalf("patch: %v", patched)
		}
		e.clock.Advance(24 * time.Hour)
		var moved obj
		e.do("POST", "/v1/members/"+id+"/move", e.keyA, obj{"organization_id": installer["id"]}).must(200, &moved)
		if moved["organization_id"] != installer["id"] || moved["id"] != id || fmt.Sprint(moved["roles"]) != "[engineer]" {
			t.Fatalf("move: %v", moved)
		}
		e.do("POST", "/v1/members/"+id+"/move", e.keyA, obj{"organization_id": installer["id"]}).fails(422, "validation_failed", "organization_id")

		var hist struct{ Items []obj }
		e.do("GET", "/v1/members/"+id+"/affiliations", e.keyA, nil).must(200, &hist)
		if len(hist.Items) != 3 {
			t.Fatalf("affiliations: %v, want 3 periods (sales/foreman at dealer, engineer at dealer, engineer at installer)", hist.Items)
		}
		first, last := hist.Items[0], hist.Items[2]
		if first["organization_id"] != dealer["id"] || fmt.Sprint(first["roles"]) != "[foreman sales]" || first["to"] == nil {
			t.Errorf("first period: %v", first)
		}
		if last["organization_id"] != installer["id"] || last["to"] != nil {
			t.Errorf("current period: %v", last)
		}
		if hist.Items[0]["to"] != hist.Items[1]["from"] || hist.Items[1]["to"] != hist.Items[2]["from"] {
			t.Errorf("periods do not join up: %v", hist.Items)
		}

		e.do("DELETE", "/v1/members/"+id, e.keyA, nil).must(204, nil)
		e.do("GET", "/v1/members/"+id, e.keyA, nil).fails(404, "not_found", "")
	})
}

func TestMemberBulkUpsert(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		e.createOrg(obj{"type": "dealer", "name": "A", "external_id": "ORG-A"})
		b := e.createOrg(obj{"type": "dealer", "name": "B", "external_id": "ORG-B"})
		items := []obj{
			{"external_id": "M-1", "organization_external_id": "ORG-A", "name": "Anna", "roles": []string{"owner"}, "email": "anna@a.example"},
			{"external_id": "M-2", "organization_external_id": "ORG-A", "name": "Bob", "roles": []string{"sales"}},
		}
		var res struct{ Created, Updated, Unchanged int }
		e.do("POST", "/v1/members:bulk-upsert", e.keyA, obj{"items": items}).must(200, &res)
		if res.Created != 2 {
			t.Fatalf("%+v", res)
		}
		items[1]["organization_external_id"] = "ORG-B" // Bob moved
		e.do("POST", "/v1/members:bulk-upsert", e.keyA, obj{"items": items}).must(200, &res)
		if res.Updated != 1 || res.Unchanged != 1 {
			t.Fatalf("%+v", res)
		}
		if n := e.count("/v1/members?organization_id=" + str(b["id"])); n != 1 {
			t.Fatalf("Bob not moved: %d members at B", n)
		}
		if n := e.count("/v1/audit-log?entity_type=member"); n != 3 {
			t.Fatalf("audit entries for members: %d, want 3 (2 created, 1 moved)", n)
		}

		before := e.snapshot()
		cleo := obj{"external_id": "M-3", "organization_external_id": "ORG-A", "name": "Cleo", "roles": []string{"sales"}}
		bad := []obj{cleo,
			{"external_id": "M-4", "organization_external_id": "ORG-Z", "name": "Dan", "roles": []string{"sales"}},
			{"external_id": "M-5", "organization_external_id": "ORG-A", "name": "Eve", "roles": []string{"ceo"}},
		}
		p := e.do("POST", "/v1/members:bulk-upsert", e.keyA, obj{"items": bad}).fails(422, "validation_failed", "items[1].organization_external_id")
		if !p.hasField("items[2].roles[0]") {
			t.Errorf("every invalid item should be named: %+v", p)
		}
		// A duplicate found by the database stops the batch at that item.
		dup := []obj{cleo, {"external_id": "M-5", "organization_external_id": "ORG-A", "name": "Eve", "roles": []string{"sales"}, "email": "anna@a.example"}}
		e.do("POST", "/v1/members:bulk-upsert", e.keyA, obj{"items": dup}).fails(409, "duplicate", "items[1].email")
		if after := e.snapshot(); after != before {
			t.Fatalf("refused batches wrote: %v → %v", before, after)
		}
	})
}

func TestMemberBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Org"})
		m := e.createMember(obj{"organization_id": o["id"], "name": "Ann", "roles": []string{"sales"}, "email": "ann@org.example", "external_id": "P-1"})
		_, keyOther := e.tenantWithKey("other", "admin")
		var foreignOrg obj
		e.do("POST", "/v1/organizations", keyOther, obj{"type": "dealer", "name": "Foreign"}).must(201, &foreignOrg)
		base := func(kv ...any) obj {
			b := obj{"organization_id": o["id"], "name": "Bo", "roles": []string{"sales"}}
			for i := 0; i+1 < len(kv); i += 2 {
				if kv[i+1] == nil {
					delete(b, kv[i].(string))
				} else {
					b[kv[i].(string)] = kv[i+1]
				}
			}
			return b
		}
		cases := []struct {
			name        string
			method      string
			path        string
			body        any
			status      int
			code, field string
		}{
			{"invalid email", "POST", "/v1/members", base("email", "not-an-email"), 422, "validation_failed", "email"},
			{"email with display name", "POST", "/v1/members", base("email", "Bo <bo@x.example>"), 422, "validation_failed", "email"},
			{"invalid phone", "POST", "/v1/members", base("phone", "12345"), 422, "validation_failed", "phone"},
			{"phone with letters", "POST", "/v1/members", base("phone", "+44 call me"), 422, "validation_failed", "phone"},
			{"no roles", "POST", "/v1/members", base("roles", []string{}), 422, "validation_failed", "roles"},
			{"unknown role", "POST", "/v1/members", base("roles", []string{"ceo"}), 422, "validation_failed", "roles[0]"},
			{"missing organization", "POST", "/v1/members", base("organization_id", nil), 422, "validation_failed", "organization_id"},
			{"unknown organization", "POST", "/v1/members", base("organization_id", "nope"), 422, "validation_failed", "organization_id"},
			{"other tenant's organization", "POST", "/v1/members", base("organization_id", foreignOrg["id"]), 422, "validation_failed", "organization_id"},
			{"channel without contact", "POST", "/v1/members", base("preferred_channel", "sms"), 422, "validation_failed", "preferred_channel"},
			{"birthday in future", "POST", "/v1/members", base("birthday", "2099-01-01"), 422, "validation_failed", "birthday"},
			{"birthday not a date", "POST", "/v1/members", base("birthday", "1985-02-30"), 422, "validation_failed", "birthday"},
			{"bad locale", "POST", "/v1/members", base("locale", "xx_!!"), 422, "validation_failed", "locale"},
			{"messenger without handle", "POST", "/v1/members", base("messenger", obj{"app": "telegram"}), 422, "validation_failed", "messenger.handle"},
			{"duplicate email", "POST", "/v1/members", base("email", "ANN@org.example"), 409, "duplicate", "email"},
			{"duplicate external id", "POST", "/v1/members", base("external_id", "P-1"), 409, "duplicate", "external_id"},
			{"over-long name", "POST", "/v1/members", base("name", strings.Repeat("x", 201)), 422, "validation_failed", "name"},
			{"move to unknown organization", "POST", "/v1/members/" + str(m["id"]) + "/move", obj{"organization_id": "nope"}, 422, "validation_failed", "organization_id"},
			{"move to other tenant's organization", "POST", "/v1/members/" + str(m["id"]) + "/move", obj{"organization_id": foreignOrg["id"]}, 422, "validation_failed", "organization_id"},
			{"patch unknown member", "PATCH", "/v1/members/nope", obj{"name": "X"}, 404, "not_found", ""},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				e.t = t
				before := e.snapshot()
				e.do(c.method, c.path, e.keyA, c.body).fails(c.status, c.code, c.field)
				if after := e.snapshot(); after != before {
					t.Fatalf("refused request wrote: %v → %v", before, after)
				}
			})
		}
	})
}
