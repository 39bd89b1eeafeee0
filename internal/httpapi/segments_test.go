package httpapi_test

import (
	"testing"
)

// TestSegments: a segment over attributes and analytics is evaluated on
// demand, materialized by a refresh, and read by rules as org.segments.
func TestSegments(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		h := buildAnalyticsHistory(e)
		// Analytics for segments cover the 365 days before now (2026-03-02
		// 09:00): D1 (dealer, north, A, low risk) is "top"; D2 (dealer,
		// north, A) is at high risk; D3 is an installer.
		var top obj
		e.do("POST", "/v1/segments", e.keyA, obj{"code": "top", "name": "Top dealers of the north", "rules": []obj{
			{"field": "type", "op": "in", "values": []string{"dealer"}},
			{"field": "region", "op": "in", "values": []string{"north"}},
			{"field": "abc", "op": "in", "values": []string{"A"}},
			{"field": "churn_risk", "op": "not_in", "values": []string{"high"}},
		}}).must(201, &top)
		id := str(top["id"])
		if top["members"].(float64) != 0 || top["refreshed_at"] != nil {
			t.Fatalf("new segment %v", top)
		}
		var page struct {
			Items []struct {
				OrganizationID string `json:"organization_id"`
				ABC            string `json:"abc"`
				ChurnRisk      string `json:"churn_risk"`
			}
			NextCursor string `json:"next_cursor"`
		}
		e.do("GET", "/v1/segments/"+id+"/organizations", e.keyA, nil).must(200, &page)
		if len(page.Items) != 1 || page.Items[0].OrganizationID != str(h.d1["id"]) || page.Items[0].ABC != "A" || page.Items[0].ChurnRisk != "low" {
			t.Fatalf("top: %+v", page)
		}
		// RFM ranges and a tier-free attribute rule; pages of one.
		var wide obj
		e.do("POST", "/v1/segments", e.keyA, obj{"code": "buyers", "name": "Any buyer", "rules": []obj{{"field": "f", "op": "between", "min": 1, "max": 5}}}).must(201, &wide)
		e.do("GET", "/v1/segments/"+str(wide["id"])+"/organizations?limit=2", e.keyA, nil).must(200, &page)
		if len(page.Items) != 2 || page.NextCursor == "" {
			t.Fatalf("buyers page 1: %+v", page)
		}
		cursor := page.NextCursor
		page.NextCursor = "" // absent on the last page
		e.do("GET", "/v1/segments/"+str(wide["id"])+"/organizations?limit=2&cursor="+cursor, e.keyA, nil).must(200, &page)
		if len(page.Items) != 1 || page.NextCursor != "" {
			t.Fatalf("buyers page 2: %+v", page)
		}
		// PATCH renames; a list shows both.
		var patched obj
		e.do("PATCH", "/v1/segments/"+str(wide["id"]), e.keyA, obj{"name": "Buyers"}).must(200, &patched)
		if patched["name"] != "Buyers" || patched["code"] != "buyers" || len(patched["rules"].([]any)) != 1 {
			t.Fatalf("patched %v", patched)
		}
		if n := e.count("/v1/segments"); n != 2 {
			t.Fatalf("%d segments", n)
		}

		// A program whose rule reads org.segments earns nothing for D1
		// until the segment is refreshed.
		newProgramIn(e, e.keyA, obj{"rules": []obj{{"id": "top", "condition": `"top" in org.segments`, "effects": []obj{{"type": "earn", "fixed": 7}}}}}, nil)
		topPoints := func(ext, org string) int64 {
			var n int64
			for _, o := range e.send(e.keyA, event("invoice", ext, org, line("X", 1, 1000))).Results {
				for _, earn := range o.Earns {
					if earn.RuleID == "top" {
						n += earn.Points
					}
				}
			}
			return n
		}
		if n := topPoints("S1", "D1"); n != 0 {
			t.Fatalf("before the refresh D1 earned %d", n)
		}
		var refreshed obj
		e.do("POST", "/v1/segments/"+id+":refresh", e.keyA, nil).must(200, &refreshed)
		if refreshed["members"].(float64) != 1 || refreshed["refreshed_at"] == nil {
			t.Fatalf("refreshed %v", refreshed)
		}
		if n := topPoints("S2", "D1"); n != 7 {
			t.Fatalf("member D1 earned %d, want 7", n)
		}
		if n := topPoints("S3", "D2"); n != 0 {
			t.Fatalf("non-member D2 earned %d", n)
		}
		// The daily job refreshes every segment.
		if n, err := e.app.Segments.RefreshAll(t0(), e.tidA); err != nil || n != 2 {
			t.Fatalf("refresh all: %d %v", n, err)
		}
		// Deleting removes the memberships: D1 no longer earns.
		e.do("DELETE", "/v1/segments/"+id, e.keyA, nil).must(204, nil)
		e.do("GET", "/v1/segments/"+id, e.keyA, nil).fails(404, "not_found", "")
		if n := topPoints("S4", "D1"); n != 0 {
			t.Fatalf("after delete D1 earned %d", n)
		}
	})
}

// TestSegmentsBadInput: faults name their field and write nothing.
func TestSegmentsBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ok := obj{"field": "type", "op": "in", "values": []string{"dealer"}}
		for _, c := range []struct {
			body  obj
			field string
		}{
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "colour", "op": "in", "values": []string{"red"}}}}, "rules[0].field"},
			{obj{"code": "x", "name": "X", "rules": []obj{ok, {"field": "region", "op": "like", "values": []string{"n"}}}}, "rules[1].op"},
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "abc", "op": "in", "values": []string{"D"}}}}, "rules[0].values"},
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "r", "op": "between", "min": 0, "max": 6}}}, "rules[0].min"},
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "tier", "op": "in", "values": []string{"gold"}}}}, "rules[0].program"},
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "tier", "op": "in", "values": []string{"gold"}, "program": "nope"}}}, "rules[0].program"},
			{obj{"code": "x", "name": "X", "rules": []obj{{"field": "region", "op": "in"}}}, "rules[0].values"},
			{obj{"code": "Top Dealers", "name": "X", "rules": []obj{ok}}, "code"},
			{obj{"code": "x", "name": "", "rules": []obj{ok}}, "name"},
		} {
			e.do("POST", "/v1/segments", e.keyA, c.body).fails(422, "validation_failed", c.field)
		}
		if n := e.count("/v1/segments"); n != 0 {
			t.Fatalf("%d segments written", n)
		}
		var sg obj
		e.do("POST", "/v1/segments", e.keyA, obj{"code": "x", "name": "X", "rules": []obj{ok}}).must(201, &sg)
		e.do("POST", "/v1/segments", e.keyA, obj{"code": "x", "name": "Y", "rules": []obj{ok}}).fails(409, "duplicate", "code")
		e.do("PATCH", "/v1/segments/"+str(sg["id"]), e.keyA, obj{"rules": []obj{{"field": "m", "op": "in"}}}).fails(422, "validation_failed", "rules[0].op")
		e.do("POST", "/v1/segments/"+str(sg["id"])+":recompute", e.keyA, nil).fails(404, "not_found", "")
		e.do("POST", "/v1/segments/nope:refresh", e.keyA, nil).fails(404, "not_found", "")
		var got obj
		e.do("GET", "/v1/segments/"+str(sg["id"]), e.keyA, nil).must(200, &got)
		if len(got["rules"].([]any)) != 1 || got["name"] != "X" {
			t.Fatalf("segment changed: %v", got)
		}
	})
}
