package httpapi_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// tieredStamps earns a point per 10.00, gives a stamp per purchase and
// moves to Silver at 6,000.00.
var tieredStamps = obj{
	"rules":  []obj{{"id": "base", "name": "1 point per 10.00", "effects": []obj{{"type": "earn", "per_amount": obj{"points": 1, "per": 1000}}}}},
	"stamps": obj{"needed": 5, "reward": obj{"type": "coupon", "reward_id": "gift"}},
	"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
		{"code": "base", "name": "Base", "threshold": 0},
		{"code": "silver", "name": "Silver", "threshold": 600000},
	}},
}

type cardState struct {
	Card  card.Card  `json:"card"`
	State card.State `json:"state"`
}

func TestCardIssueAndState(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, tieredStamps)
		pid := str(f.program["id"])
		var c struct {
			card.Card
			Issued bool `json:"issued"`
		}
		e.do("POST", "/v1/cards", e.keyA, obj{"program_id": pid, "owner_type": "organization", "owner": "ext:R-1"}).must(200, &c)
		if !c.Issued || !card.ValidNumber(c.Number) || len(c.Serial) < 20 || c.OrganizationID != str(f.org["id"]) {
			t.Fatalf("issued card: %+v", c)
		}
		var again struct {
			card.Card
			Issued bool `json:"issued"`
		}
		e.do("POST", "/v1/cards", e.keyA, obj{"program_id": pid, "owner_type": "organization", "owner": str(f.org["id"])}).must(200, &again)
		if again.Issued || again.ID != c.ID || again.Number != c.Number {
			t.Fatalf("second issue: %+v, want the first card %s", again, c.ID)
		}
		var st cardState
		e.do("GET", "/v1/cards/"+c.ID+"/state", e.keyA, nil).must(200, &st)
		if st.State.Kind != card.KindStamps || st.State.Tier == nil || st.State.Tier.Code != "base" || len(st.State.Balances) != 1 || st.State.Balances[0].Available != 0 {
			t.Fatalf("new card's state: %+v", st.State)
		}
		e.send(e.keyA, invoice("INV-1", line("CEMENT", 100, 6500))) // 6,500.00
		e.do("GET", "/v1/cards/"+c.ID+"/state", e.keyA, nil).must(200, &st)
		if st.State.Balances[0].Available != 650 || st.State.Tier.Code != "silver" || st.State.Stamps.Have != 1 || st.State.Stamps.Needed != 5 {
			t.Fatalf("after 6,500.00: %+v %+v %+v", st.State.Balances, st.State.Tier, st.State.Stamps)
		}
		e.do("GET", "/v1/cards/"+c.ID, e.keyB, nil).must(404, nil) // another tenant's card
		var found card.Card
		e.do("GET", "/v1/cards?number="+c.Number, e.keyA, nil).must(200, &found)
		if found.ID != c.ID {
			t.Fatalf("found by number: %+v", found)
		}
		typo := c.Number[:15] + string('0'+(c.Number[15]-'0'+1)%10)
		e.do("GET", "/v1/cards?number="+typo, e.keyA, nil).must(422, nil) // a mistyped check digit
	})
}

func TestCardIssueBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, tieredStamps)
		pid := str(f.program["id"])
		e.do("POST", "/v1/cards", e.keyA, obj{"program_id": pid, "owner_type": "member", "owner": "ext:nobody"}).must(422, nil)
		e.do("POST", "/v1/cards", e.keyA, obj{"program_id": "nope", "owner_type": "organization", "owner": "ext:R-1"}).must(422, nil)
		e.do("POST", "/v1/cards", e.keyB, obj{"program_id": pid, "owner_type": "organization", "owner": "ext:R-1"}).must(422, nil)
		if n := e.count("/v1/audit-log?entity_type=card"); n != 0 {
			t.Fatalf("%d cards audited after refusals", n)
		}
	})
}

// TestCardIssueParallel: twenty callers asking at once get one card.
func TestCardIssueParallel(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, tieredStamps)
		m := e.createMember(obj{"organization_id": f.org["id"], "name": "Ivan Foreman", "roles": []string{"foreman"}})
		ctx, p := context.Background(), access.System(e.tidA)
		got := make([]card.Card, 20)
		var wg sync.WaitGroup
		for i := range got {
			wg.Go(func() {
				c, _, err := e.app.Cards.Issue(ctx, p, card.IssueInput{ProgramID: str(f.program["id"]), OwnerType: "member", Owner: str(m["id"])})
				if err != nil {
					t.Error(err)
				}
				got[i] = c
			})
		}
		wg.Wait()
		for _, c := range got {
			if c.ID != got[0].ID || c.OrganizationID != str(f.org["id"]) {
				t.Fatalf("parallel issue gave %+v and %+v", got[0], c)
			}
		}
		// UpdatedSince lists the card once its owner's wallet changes.
		since := e.clock.Now()
		e.clock.Advance(time.Minute)
		pg, err := e.app.Cards.UpdatedSince(ctx, p, since, page.Request{Limit: 10})
		if err != nil || len(pg.Items) != 0 {
			t.Fatalf("nothing changed yet: %+v %v", pg.Items, err)
		}
		ev := invoice("INV-1", line("CEMENT", 1, 5000))
		ev["member"] = str(m["id"])
		e.send(e.keyA, ev)
		pg, err = e.app.Cards.UpdatedSince(ctx, p, since, page.Request{Limit: 10})
		if err != nil || len(pg.Items) != 1 || pg.Items[0].ID != got[0].ID {
			t.Fatalf("after an earn: %+v %v", pg.Items, err)
		}
	})
}
