package httpapi_test

import (
	"fmt"
	"testing"
)

// Edits of different fields of one organization at once, round after
// round: every edit starts from the one before, so none is undone.
func TestOrganizationEditsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		o := e.createOrg(obj{"type": "dealer", "name": "Brick & Beam", "region": "north"})
		for round := range 5 {
			edits := []obj{{"name": fmt.Sprint("Brick & Beam ", round)}, {"tax_id": fmt.Sprint("GB-", round)}, {"industry": fmt.Sprint("industry-", round)},
				{"region": fmt.Sprint("region-", round)}, {"tags": []string{fmt.Sprint("tag-", round)}}, {"external_id": fmt.Sprint("X-", round)}}
			status, _ := parallel(len(edits), func(i int) *resp { return e.do("PATCH", "/v1/organizations/"+str(o["id"]), e.keyA, edits[i]) })
			var got obj
			e.do("GET", "/v1/organizations/"+str(o["id"]), e.keyA, nil).must(200, &got)
			wantEdits(t, round, status, got, edits)
		}
	})
}

// Two organizations each put under the other at the same moment, ten
// times: one move wins and the other is refused as a cycle, never both.
func TestHoldingCycleConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		for round := range 10 {
			a := e.createOrg(obj{"type": "distributor", "name": fmt.Sprint("A", round)})
			b := e.createOrg(obj{"type": "distributor", "name": fmt.Sprint("B", round)})
			pair := []obj{a, b}
			status, codes := parallel(2, func(i int) *resp {
				return e.do("PATCH", "/v1/organizations/"+str(pair[i]["id"]), e.keyA, obj{"parent_id": pair[1-i]["id"]})
			})
			if count(status, 200) != 1 || count(status, 422) != 1 {
				t.Fatalf("round %d: statuses %v codes %v; want one move and one refused cycle", round, status, codes)
			}
		}
	})
}

// Edits of different fields of one member at once, and moves between two
// organizations, round after round: no edit undoes another, and exactly
// one affiliation stays open, at the member's organization.
func TestMemberEditsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		x := e.createOrg(obj{"type": "dealer", "name": "X"})
		y := e.createOrg(obj{"type": "dealer", "name": "Y"})
		m := e.createMember(obj{"organization_id": x["id"], "name": "Ivan", "roles": []string{"sales"}})
		for round := range 5 {
			edits := []obj{{"name": fmt.Sprint("Ivan ", round)}, {"email": fmt.Sprintf("ivan%d@x.example", round)},
				{"phone": fmt.Sprintf("+4477009000%02d", round)}, {"locale": []string{"en", "ru"}[round%2]}}
			to := []obj{y, x}[round%2]
			status, _ := parallel(len(edits)+1, func(i int) *resp {
				if i == len(edits) {
					return e.do("POST", "/v1/members/"+str(m["id"])+"/move", e.keyA, obj{"organization_id": to["id"]})
				}
				return e.do("PATCH", "/v1/members/"+str(m["id"]), e.keyA, edits[i])
			})
			var got obj
			e.do("GET", "/v1/members/"+str(m["id"]), e.keyA, nil).must(200, &got)
			wantEdits(t, round, status, got, edits)
			if got["organization_id"] != to["id"] {
				t.Fatalf("round %d: statuses %v; the member is at %v, want %v", round, status, got["organization_id"], to["id"])
			}
		}
		var aff struct {
			Items []struct {
				OrganizationID string `json:"organization_id"`
				To             *string
			}
		}
		e.do("GET", "/v1/members/"+str(m["id"])+"/affiliations", e.keyA, nil).must(200, &aff)
		open := 0
		for _, a := range aff.Items {
			if a.To == nil {
				open++
			}
		}
		if open != 1 || len(aff.Items) != 6 {
			t.Fatalf("%d affiliations, %d open; want the first and one per move, one open", len(aff.Items), open)
		}
	})
}

// wantEdits checks that every field edited in a round has its new value.
func wantEdits(t *testing.T, round int, status []int, got obj, edits []obj) {
	t.Helper()
	for _, ed := range edits {
		for k, v := range ed {
			if fmt.Sprint(got[k]) != fmt.Sprint(v) {
				t.Fatalf("round %d: statuses %v; %s is %v, want %v: an edit undid another", round, status, k, got[k], v)
			}
		}
	}
}
