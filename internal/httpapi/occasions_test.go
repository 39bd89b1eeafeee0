package httpapi_test

import (
	"context"
	"testing"
	"time"
)

// storedEvent is an event of an organization's history.
type storedEvent struct {
	ID       string `json:"id"`
	MemberID string `json:"member_id"`
	Event    struct {
		Type       string            `json:"type"`
		Source     string            `json:"source"`
		ExternalID string            `json:"external_id"`
		Attributes map[string]string `json:"attributes"`
	} `json:"event"`
	Results []outcome `json:"results"`
}

func (e *env) history(org string) []storedEvent {
	e.t.Helper()
	var l struct{ Items []storedEvent }
	e.do("GET", "/v1/organizations/"+org+"/events?limit=500", e.keyA, nil).must(200, &l)
	return l.Items
}

// The occasions job: a member born on the day earns a birthday rule's
// points once however often the job runs; an organization created three
// years before to the day gets an anniversary event with years = 3; with
// no program running nothing is ingested.
func TestOccasions(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		ctx := context.Background()
		// An organization of 2023, and today's ones.
		e.clock.Set(time.Date(2023, 3, 2, 15, 0, 0, 0, time.UTC))
		old := e.createOrg(obj{"type": "dealer", "name": "Old Timers", "external_id": "OLD"})
		e.clock.Set(epoch)
		shop := e.createOrg(obj{"type": "dealer", "name": "Shop", "external_id": "SHOP"})
		ann := e.createMember(obj{"organization_id": shop["id"], "name": "Ann", "roles": []string{"sales"}, "birthday": "1985-03-02", "external_id": "ANN"})
		e.createMember(obj{"organization_id": shop["id"], "name": "Bob", "roles": []string{"sales"}, "birthday": "1985-03-03"})
		gone := e.createMember(obj{"organization_id": shop["id"], "name": "Cid", "roles": []string{"sales"}, "birthday": "1990-03-02"})
		e.do("PATCH", "/v1/members/"+str(gone["id"]), e.keyA, obj{"status": "left"}).must(200, nil)
		// Birthdays in the future are refused.
		e.do("POST", "/v1/members", e.keyA, obj{"organization_id": shop["id"], "name": "Dan", "roles": []string{"sales"}, "birthday": "2027-01-01"}).fails(422, "validation_failed", "birthday")

		c, err := e.app.Occasions.RunDay(ctx, e.tidA, epoch)
		if err != nil || !c.NoProgram || c.Birthdays+c.Anniversaries != 0 || len(e.history(str(shop["id"]))) != 0 {
			t.Fatalf("without a program: %+v %v", c, err)
		}

		f := newProgramIn(e, e.keyA, obj{"rules": []obj{
			{"id": "bday", "events": []string{"birthday"}, "effects": []obj{{"type": "earn", "fixed": 25, "to": "member"}, {"type": "message", "template": "birthday_greeting"}}},
			{"id": "years", "events": []string{"anniversary"}, "condition": `event.attributes["years"] == "3"`, "effects": []obj{{"type": "earn", "fixed": 100}}},
		}}, nil)
		// Personal points need the shop's management to have accepted the
		// terms by the time of the birthday event (the day's start).
		boss := e.createMember(obj{"organization_id": shop["id"], "name": "Boss", "roles": []string{"owner"}})
		e.do("POST", "/v1/programs/"+str(f.program["id"])+"/terms", e.keyA, obj{"title": "Terms", "body": "Points for staff"}).must(201, nil)
		e.do("POST", "/v1/organizations/"+str(shop["id"])+"/consents", e.keyA, obj{"program_id": f.program["id"], "decision": "accepted",
			"method": "portal", "member_id": boss["id"], "decided_at": "2026-03-01T09:00:00Z"}).must(201, nil)
		for run := range 2 {
			c, err = e.app.Occasions.RunDay(ctx, e.tidA, epoch.Add(5*time.Hour))
			want := [3]int{1, 1, 0}
			if run == 1 {
				want = [3]int{0, 0, 2}
			}
			if err != nil || c.NoProgram || [3]int{c.Birthdays, c.Anniversaries, c.Repeats} != want || c.Refused != 0 {
				t.Fatalf("run %d: %+v %v", run, c, err)
			}
		}
		if b := e.available("/v1/members/ext:ANN/wallet"); b != 25 {
			t.Fatalf("Ann's balance %d, want 25 once", b)
		}
		if b := e.balanceOf(e.keyA, "OLD"); b != 100 {
			t.Fatalf("anniversary balance %d", b)
		}
		evs := e.history(str(shop["id"]))
		if len(evs) != 1 || evs[0].Event.Type != "birthday" || evs[0].MemberID != str(ann["id"]) || evs[0].Event.Source != "occasions" ||
			evs[0].Event.ExternalID != "birthday:"+str(ann["id"])+":2026" {
			t.Fatalf("shop's events: %+v", evs)
		}
		evs = e.history(str(old["id"]))
		if len(evs) != 1 || evs[0].Event.Type != "anniversary" || evs[0].Event.Attributes["years"] != "3" ||
			evs[0].Event.ExternalID != "anniversary:"+str(old["id"])+":2026" {
			t.Fatalf("old dealer's events: %+v", evs)
		}
		// The next day is nobody's occasion.
		e.clock.Set(epoch.Add(24 * time.Hour))
		if c, err = e.app.Occasions.RunDay(ctx, e.tidA, epoch.Add(24*time.Hour)); err != nil || c.Birthdays != 1 || c.Anniversaries != 0 {
			t.Fatalf("3 March (Bob's birthday): %+v %v", c, err)
		}
		e.ledgerOK(e.tidA)
	})
}
