package httpapi_test

import (
	"fmt"
	"strings"
	"testing"
)

func TestOrganizationLifecycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		holding := e.createOrg(obj{"type": "distributor", "name": "  Northern Supply Group ", "external_id": "D-1", "tags": []string{"Key-Account", "holding", "holding"},
			"country": "gb", "size": "enterprise", "region": "North", "tax_id": "GB123456789"})
		if holding["name"] != "Northern Supply Group" || holding["country"] != "GB" || holding["status"] != "active" {
			t.Fatalf("not normalized: %v", holding)
		}
		if fmt.Sprint(holding["tags"]) != "[holding key-account]" {
			t.Fatalf("tags %v, want sorted, lower-cased, de-duplicated", holding["tags"])
		}
		branch := e.createOrg(obj{"type": "distributor", "name": "Northern Supply Leeds", "parent_id": holding["id"], "region": "North"})
		dealer := e.createOrg(obj{"type": "dealer", "name": "Brick & Beam", "external_id": "R-7", "region": "West", "tags": []string{"pilot"}})

		var got obj
		e.do("GET", "/v1/organizations/"+str(branch["id"]), e.keyA, nil).must(200, &got)
		if got["parent_id"] != holding["id"] {
			t.Fatalf("parent %v, want %v", got["parent_id"], holding["id"])
		}

		for q, want := range map[string]int{
			"type=dealer": 1, "region=North": 2, "tag=pilot": 1, "tag=holding": 1, "parent_id=" + str(holding["id"]): 1,
			"q=northern": 2, "q=r-7": 1, "q=BEAM": 1, "q=%25": 0, "status=closed": 0, "country=GB": 1,
		} {
			if n := e.count("/v1/organizations?" + q); n != want {
				t.Errorf("filter %s: %d organizations, want %d", q, n, want)
			}
		}

		var patched obj
		e.do("PATCH", "/v1/organizations/"+str(dealer["id"]), e.keyA, obj{"region": "", "tags": []string{"pilot", "roofing"}, "status": "suspended"}).must(200, &patched)
		if patched["region"] != "" || patched["status"] != "suspended" || fmt.Sprint(patched["tags"]) != "[pilot roofing]" || patched["name"] != "Brick & Beam" {
			t.Fatalf("patch result %v", patched)
		}
		e.do("PATCH", "/v1/organizations/"+str(branch["id"]), e.keyA, obj{"parent_id": ""}).must(200, &patched)
		if patched["parent_id"] != "" {
			t.Fatalf("parent not cleared: %v", patched)
		}

		e.do("DELETE", "/v1/organizations/"+str(dealer["id"]), e.keyA, nil).must(204, nil)
		e.do("GET", "/v1/organizations/"+str(dealer["id"]), e.keyA, nil).fails(404, "not_found", "")
	})
}

func TestOrganizationPagination(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		want := map[string]bool{}
		for i := range 7 {
			o := e.createOrg(obj{"type": "installer", "name": fmt.Sprintf("Installer %d", i)})
			want[str(o["id"])] = true
		}
		seen := map[string]bool{}
		cursor, pages := "", 0
		for {
			path := "/v1/organizations?limit=3"
			if cursor != "" {
				path += "&cursor=" + cursor
			}
			var l list
			e.do("GET", path, e.keyA, nil).must(200, &l)
			pages++
			for _, it := range l.Items {
				if seen[str(it["id"])] {
					t.Fatalf("item %s on two pages", it["id"])
				}
				seen[str(it["id"])] = true
			}
			if l.NextCursor == "" {
				break
			}
			cursor = l.NextCursor
		}
		if pages != 3 || len(seen) != 7 {
			t.Fatalf("%d pages, %d items; want 3 pages, 7 items", pages, len(seen))
		}
		e.do("GET", "/v1/organizations?cursor=!!!", e.keyA, nil).fails(422, "validation_failed", "cursor")
		e.do("GET", "/v1/organizations?limit=0", e.keyA, nil).fails(422, "validation_failed", "limit")
		e.do("GET", "/v1/organizations?limit=501", e.keyA, nil).fails(422, "validation_failed", "limit")
		e.do("GET", "/v1/organizations?colour=red", e.keyA, nil).fails(422, "validation_failed", "colour")
	})
}

// A holding hierarchy may not become a cycle, directly or through branches.
func TestOrganizationParentCycle(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		a := e.createOrg(obj{"type": "distributor", "name": "A"})
		b := e.createOrg(obj{"type": "distributor", "name": "B", "parent_id": a["id"]})
		c := e.createOrg(obj{"type": "distributor", "name": "C", "parent_id": b["id"]})
		before := e.snapshot()
		e.do("PATCH", "/v1/organizations/"+str(a["id"]), e.keyA, obj{"parent_id": c["id"]}).fails(422, "validation_failed", "parent_id")
		e.do("PATCH", "/v1/organizations/"+str(a["id"]), e.keyA, obj{"parent_id": a["id"]}).fails(422, "validation_failed", "parent_id")
		if after := e.snapshot(); after != before {
			t.Fatalf("a refused change wrote something: %v → %v", before, after)
		}
		var got obj
		e.do("GET", "/v1/organizations/"+str(a["id"]), e.keyA, nil).must(200, &got)
		if got["parent_id"] != "" {
			t.Fatal("cycle stored")
		}
	})
}

func TestOrganizationDeleteRefusedWhenInUse(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		h := e.createOrg(obj{"type": "distributor", "name": "Holding"})
		e.createOrg(obj{"type": "distributor", "name": "Branch", "parent_id": h["id"]})
		o := e.createOrg(obj{"type": "dealer", "name": "With people"})
		e.createMember(obj{"organization_id": o["id"], "name": "Ann", "roles": []string{"sales"}})
		e.do("DELETE", "/v1/organizations/"+str(h["id"]), e.keyA, nil).fails(409, "organization_in_use", "")
		e.do("DELETE", "/v1/organizations/"+str(o["id"]), e.keyA, nil).fails(409, "organization_in_use", "")
		if n := e.count("/v1/organizations"); n != 3 {
			t.Fatalf("%d organizations after refused deletes, want 3", n)
		}
	})
}

func TestOrganizationBulkUpsert(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		items := []obj{
			{"external_id": "H-1", "type": "distributor", "name": "Holding"},
			{"external_id": "B-1", "type": "distributor", "name": "Branch", "parent_external_id": "H-1"},
			{"external_id": "R-1", "type": "dealer", "name": "Dealer", "tags": []string{"pilot"}},
		}
		var res struct {
			Created, Updated, Unchanged int
			Results                     []struct {
				ID               string `json:"id"`
				Created, Changed bool
			}
		}
		e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": items}).must(200, &res)
		if res.Created != 3 || res.Updated != 0 || len(res.Results) != 3 {
			t.Fatalf("first upsert: %+v", res)
		}
		if n := e.count("/v1/organizations?parent_id=" + res.Results[0].ID); n != 1 {
			t.Fatalf("branch not linked to holding by external id: %d branches", n)
		}
		items[2]["name"] = "Dealer Renamed"
		e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": items}).must(200, &res)
		if res.Created != 0 || res.Updated != 1 || res.Unchanged != 2 {
			t.Fatalf("second upsert: %+v", res)
		}
		audits := e.count("/v1/audit-log?entity_type=organization")
		e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": items}).must(200, &res)
		if res.Unchanged != 3 || e.count("/v1/audit-log?entity_type=organization") != audits {
			t.Fatalf("an unchanged upsert changed something: %+v", res)
		}

		// One bad item refuses the whole batch, naming it.
		before := e.snapshot()
		bad := []obj{
			{"external_id": "N-1", "type": "dealer", "name": "New"},
			{"external_id": "N-2", "type": "dealer", "name": "Bad", "parent_external_id": "NOPE"},
			{"external_id": "N-1", "type": "dealer", "name": "Twice"},
			{"type": "dealer", "name": "No id"},
		}
		p := e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": bad}).fails(422, "validation_failed", "items[1].parent_external_id")
		for _, f := range []string{"items[2].external_id", "items[3].external_id"} {
			if !p.hasField(f) {
				t.Errorf("no error for %s", f)
			}
		}
		if after := e.snapshot(); after != before {
			t.Fatalf("refused batch wrote: %v → %v", before, after)
		}
		e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": []obj{}}).fails(422, "validation_failed", "items")
	})
}

// Every kind of bad input gets a 4xx naming the problem, and writes nothing.
func TestOrganizationBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		existing := e.createOrg(obj{"type": "dealer", "name": "Existing", "external_id": "X-1"})
		e.createOrg(obj{"type": "dealer", "name": "Other", "external_id": "Y-1"})
		_, keyOther := e.tenantWithKey("other", "admin")
		var foreign obj
		e.do("POST", "/v1/organizations", keyOther, obj{"type": "dealer", "name": "Foreign"}).must(201, &foreign)
		cases := []struct {
			name, method, path string
			body               any
			status             int
			code, field        string
		}{
			{"malformed JSON", "POST", "/v1/organizations", `{"name": "x",`, 400, "malformed_json", ""},
			{"not an object", "POST", "/v1/organizations", `[1,2]`, 422, "validation_failed", ""},
			{"unknown field", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "colour": "red"}, 422, "validation_failed", "colour"},
			{"wrong type", "POST", "/v1/organizations", obj{"type": "dealer", "name": 42}, 422, "validation_failed", "name"},
			{"missing required", "POST", "/v1/organizations", obj{"name": "A"}, 422, "validation_failed", "type"},
			{"bad enum", "POST", "/v1/organizations", obj{"type": "shop", "name": "A"}, 422, "validation_failed", "type"},
			{"over-long name", "POST", "/v1/organizations", obj{"type": "dealer", "name": strings.Repeat("n", 201)}, 422, "validation_failed", "name"},
			{"blank name", "POST", "/v1/organizations", obj{"type": "dealer", "name": "   "}, 422, "validation_failed", "name"},
			{"control characters", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A\tB"}, 422, "validation_failed", "name"},
			{"bad tag", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "tags": []string{"no spaces"}}, 422, "validation_failed", "tags[0]"},
			{"bad country", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "country": "G1"}, 422, "validation_failed", "country"},
			{"bad external id", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "external_id": "has space"}, 422, "validation_failed", "external_id"},
			{"duplicate external id", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "external_id": "X-1"}, 409, "duplicate", "external_id"},
			{"unknown parent", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "parent_id": "01900000-0000-7000-8000-000000000000"}, 422, "validation_failed", "parent_id"},
			{"other tenant's parent", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "parent_id": foreign["id"]}, 422, "validation_failed", "parent_id"},
			{"unknown account manager", "POST", "/v1/organizations", obj{"type": "dealer", "name": "A", "account_manager_id": "nobody"}, 422, "validation_failed", "account_manager_id"},
			{"patch unknown id", "PATCH", "/v1/organizations/nope", obj{"name": "B"}, 404, "not_found", ""},
			{"patch other tenant", "PATCH", "/v1/organizations/" + str(foreign["id"]), obj{"name": "B"}, 404, "not_found", ""},
			{"patch empty name", "PATCH", "/v1/organizations/" + str(existing["id"]), obj{"name": ""}, 422, "validation_failed", "name"},
			{"patch duplicate external id", "PATCH", "/v1/organizations/" + str(existing["id"]), obj{"external_id": "Y-1"}, 409, "duplicate", "external_id"},
			{"delete other tenant", "DELETE", "/v1/organizations/" + str(foreign["id"]), nil, 404, "not_found", ""},
			{"empty body", "POST", "/v1/organizations", "", 400, "bad_request", ""},
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

func TestBulkUpsertBodyTooLarge(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		items := make([]obj, 1001)
		for i := range items {
			items[i] = obj{"external_id": fmt.Sprint("E-", i), "type": "dealer", "name": "x"}
		}
		e.do("POST", "/v1/organizations:bulk-upsert", e.keyA, obj{"items": items}).fails(422, "validation_failed", "items")
		huge := `{"type":"dealer","name":"` + strings.Repeat("x", 2<<20) + `"}`
		r := e.do("POST", "/v1/organizations", e.keyA, huge)
		if r.Status != 413 {
			t.Fatalf("2 MiB body: status %d, want 413", r.Status)
		}
	})
}

// Organizations and members can be addressed by external id: ext:<id>.
func TestExternalReferences(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "ERP Dealer", "external_id": "R-3001"})
		m := e.createMember(obj{"organization_id": "ext:R-3001", "name": "Owner", "roles": []string{"owner"}, "external_id": "P-9"})
		var got obj
		e.do("GET", "/v1/organizations/ext:R-3001", e.keyA, nil).must(200, &got)
		if got["id"] != o["id"] || m["organization_id"] != o["id"] {
			t.Fatalf("ext: lookup %v, member %v", got, m)
		}
		e.do("PATCH", "/v1/organizations/ext:R-3001", e.keyA, obj{"region": "North"}).must(200, &got)
		e.do("GET", "/v1/members/ext:P-9", e.keyA, nil).must(200, &got)
		if got["id"] != m["id"] {
			t.Fatalf("member by ext: %v", got)
		}
		var st obj
		e.do("GET", "/v1/organizations/ext:R-3001/consents", e.keyA, nil).must(200, &st)
		if st["organization_id"] != o["id"] {
			t.Fatalf("consents by ext: %v", st)
		}
		e.do("GET", "/v1/organizations/ext:NOPE", e.keyA, nil).fails(404, "not_found", "")
		e.do("GET", "/v1/organizations/ext:R-3001", e.keyB, nil).fails(404, "not_found", "")
	})
}
