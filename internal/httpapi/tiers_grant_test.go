package httpapi_test

import (
	"context"
	"testing"
	"time"
)

// grantTiers are Base, Silver from 10,000.00 (2% off), Gold from
// 50,000.00 (5%) of the calendar year's spend, reviewed monthly, and Elite,
// invitation-only (8%), with perks shown to participants.
var grantTiers = obj{"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "month", "levels": []obj{
	{"code": "base", "name": "Base", "threshold": 0},
	{"code": "silver", "name": "Silver", "threshold": 1000000, "discount_bp": 200},
	{"code": "gold", "name": "Gold", "threshold": 5000000, "discount_bp": 500},
	{"code": "elite", "name": "Elite", "invitation_only": true, "discount_bp": 800,
		"perks": []string{"a seat at the annual dealer summit", "a dedicated account manager"}}}}}

type grantStanding struct {
	Tier struct {
		Level struct {
			Code  string
			Perks []string
		}
		Next     *struct{ Code string }
		Override *struct {
			Level, Previous, Reason, By string
			Until                       *time.Time
		}
	}
}

// grantStanding reads a participant's standing afresh.
func (e *env) grantStanding(path string) grantStanding {
	e.t.Helper()
	var st grantStanding
	e.do("GET", path, e.keyA, nil).must(200, &st)
	return st
}

// TestGrantedAndInvitationOnlyTiers: a dealer at Silver (12,000.00 this
// year) is invited to Elite until 30 June: it quotes 8% (80.00 of
// 1,000.00), sees Elite's perks, and the review of 1 April does not move
// it down. From 30 June it is Silver again (its metric), quotes 2%, before
// any job runs. Spending 50,000.00 more reaches Gold, never Elite. A grant
// without end is ended by hand and the dealer returns to Gold. Every
// grant is in the audit log; only the operator grants.
func TestGrantedAndInvitationOnlyTiers(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, grantTiers)
		path := "/v1/programs/" + str(f.program["id"]) + "/participants/ext:R-1"
		e.send(e.keyA, invoice("INV-1", line("TILE", 100, 12000)))
		until := time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
		var st grantStanding
		e.do("POST", path+"/tier", e.keyA, obj{"level": "elite", "until": until, "reason": "Strategic partner 2026"}).must(200, &st)
		if st.Tier.Level.Code != "elite" || len(st.Tier.Level.Perks) != 2 || st.Tier.Override == nil || st.Tier.Override.Previous != "silver" ||
			st.Tier.Next != nil {
			t.Fatalf("granted: %+v", st.Tier)
		}
		if q := e.quote("R-1", line("CEM", 10, 10000)); q.Tier != "elite" || q.Discount != 8000 {
			t.Fatalf("elite quote: %+v", q)
		}
		var log struct {
			Items []struct {
				Action        string
				Before, After obj
			}
		}
		e.do("GET", "/v1/audit-log?entity_type=organization&limit=5", e.keyA, nil).must(200, &log)
		if len(log.Items) == 0 || log.Items[0].Action != "program.tier_granted" || log.Items[0].Before["tier"] != "silver" || log.Items[0].After["tier"] != "elite" {
			t.Errorf("audit: %+v", log.Items)
		}
		ctx := context.Background()
		review := func(at time.Time) {
			e.clock.Set(at)
			if _, err := e.app.Events.ReviewDue(ctx, e.tidA, at); err != nil {
				t.Fatal(err)
			}
		}
		review(time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
		if st = e.grantStanding(path); st.Tier.Level.Code != "elite" {
			t.Fatalf("after the April review: %+v", st.Tier)
		}
		e.clock.Set(until.Add(time.Hour))
		if q := e.quote("R-1", line("CEM", 10, 10000)); q.Tier != "silver" || q.Discount != 2000 {
			t.Fatalf("after the grant: %+v", q)
		}
		review(time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
		if st = e.grantStanding(path); st.Tier.Level.Code != "silver" || st.Tier.Override != nil {
			t.Fatalf("after the July review: %+v", st.Tier)
		}
		ev := invoice("INV-2", line("TILE", 400, 12500))
		ev["occurred_at"] = e.clock.Now().Format(time.RFC3339)
		if o := e.send(e.keyA, ev).only(e); o.Tier == nil || o.Tier.To != "gold" {
			t.Fatalf("62,000.00 this year: %+v", o.Tier)
		}
		e.do("POST", path+"/tier", e.keyA, obj{"level": "elite", "reason": "Board decision"}).must(200, &st)
		st = grantStanding{}
		e.do("DELETE", path+"/tier", e.keyA, nil).must(200, &st)
		if st.Tier.Level.Code != "gold" || st.Tier.Override != nil {
			t.Fatalf("ended by hand: %+v", st.Tier)
		}
		e.do("DELETE", path+"/tier", e.keyA, nil).fails(409, "no_override", "")
		e.do("POST", path+"/tier", e.keyA, obj{"level": "platinum", "reason": "x"}).fails(422, "validation_failed", "level")
		e.do("POST", path+"/tier", e.keyA, obj{"level": "gold", "until": "2026-01-01T00:00:00Z", "reason": "x"}).fails(422, "validation_failed", "until")
		e.do("POST", path+"/tier", e.keyA, obj{"level": "gold"}).fails(422, "validation_failed", "reason")
		e.do("POST", path+"/tier", e.key(e.tidA, "write", ""), obj{"level": "elite", "reason": "x"}).fails(403, "operator_only", "")
		bad := obj{"currency": "EUR", "tiers": obj{"metric": "spend", "window": "lifetime", "review": "year", "levels": []obj{
			{"code": "base", "name": "Base", "invitation_only": true}, {"code": "x", "name": "X", "threshold": 5, "perks": []string{""}}}}}
		p := e.do("POST", "/v1/programs/"+str(f.program["id"])+"/versions", e.keyA, obj{"definition": bad}).fails(422, "validation_failed", "definition.tiers.levels[0].invitation_only")
		if !p.hasField("definition.tiers.levels[1].perks[0]") {
			t.Errorf("empty perk not refused: %+v", p.Errors)
		}
	})
}
