package httpapi_test

import (
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
)

// GET /v1/message-campaigns/{id}/reach counts the audience as sent, per
// role; a campaign not sent has none; another tenant's is not found; CSV
// has a row per total and role.
func TestCampaignReachAPI(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{})
		e.createMember(obj{"organization_id": f.org["id"], "name": "Ann Owner", "roles": []string{"owner"}})
		e.createMember(obj{"organization_id": f.org["id"], "name": "Boris Foreman", "roles": []string{"foreman"}})
		e.createMember(obj{"organization_id": f.org["id"], "name": "Cleo Sales", "roles": []string{"sales"}})
		var c notify.Campaign
		e.do("POST", "/v1/message-campaigns", e.keyA, obj{"name": "Spring", "template": "spring", "roles": []string{"owner", "foreman"}}).must(201, &c)
		var r notify.Reach
		e.do("GET", "/v1/message-campaigns/"+c.ID+"/reach", e.keyA, nil).must(200, &r)
		if r.Total.Audience != 0 {
			t.Fatalf("before sending: %+v", r)
		}
		e.do("POST", "/v1/message-campaigns/"+c.ID+":send", e.keyA, nil).must(200, nil)
		e.drainRelay()
		e.do("GET", "/v1/message-campaigns/"+c.ID+"/reach", e.keyA, nil).must(200, &r)
		if r.Total != (notify.Counts{Audience: 2, Delivered: 2}) || len(r.ByRole) != 2 || r.ByRole[0].Role != "foreman" || r.ByRole[1].Audience != 1 {
			t.Fatalf("after sending: %+v", r)
		}
		e.do("GET", "/v1/message-campaigns/"+c.ID+"/reach", e.keyB, nil).must(404, nil)
		e.do("GET", "/v1/message-campaigns/nope/reach", e.keyA, nil).must(404, nil)
		csv := e.do("GET", "/v1/message-campaigns/"+c.ID+"/reach?format=csv", e.keyA, nil).must(200, nil)
		want := "segment_id,segment,role,audience,delivered,opened,clicked\n,,,2,2,0,0\n,,foreman,1,1,0,0\n,,owner,1,1,0,0\n"
		if string(csv.Body) != want || !strings.HasPrefix(csv.Header.Get("Content-Type"), "text/csv") {
			t.Fatalf("CSV %q", csv.Body)
		}
	})
}
