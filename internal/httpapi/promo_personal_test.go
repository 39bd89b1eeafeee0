package httpapi_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// TestPersonalCodesOnPurchase: every order issues its organization a code
// of its own — printed on the order's documents — giving 10% off, valid
// 2.5 months (2 months and 15 days).
//
// The order of 2 March 09:00 issues a code valid until 17 May 09:00. It
// takes 10% off the next cart of 1,250.00 (125.00) for its organization;
// another organization typing it gets "unknown promo code". Used once,
// it is "already used"; an unused one is refused from 17 May. The export
// lists each code with its organization, end and issuing event.
func TestPersonalCodesOnPurchase(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "r", "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "fixed": 1}}}}})
		e.dealer(e.keyA, "R-2")
		c := e.newCampaign(obj{"name": "Next order", "program_id": f.program["id"], "kind": "personal",
			"effect": obj{"type": "percent", "percent_bp": 1000},
			"issue":  obj{"on": "purchase", "pattern": "ATL-####-####", "valid_months": 2, "valid_days": 15}})
		var r struct {
			ID    string
			Event struct {
				CodesIssued []string `json:"codes_issued"`
			}
		}
		e.do("POST", "/v1/events", e.keyA, order("SO-1", "R-1", nil, line("CEM", 10, 12500))).must(200, &r)
		if len(r.Event.CodesIssued) != 1 || !strings.HasPrefix(r.Event.CodesIssued[0], "ATL") {
			t.Fatalf("codes issued: %+v", r.Event)
		}
		code := r.Event.CodesIssued[0]
		if q := e.quoteCodes("R-1", []string{code}, line("CEM", 10, 12500)); q.Discount != 12500 {
			t.Fatalf("own code: %+v", q)
		}
		if q := e.quoteCodes("R-2", []string{code}, line("CEM", 10, 12500)); q.refusal("code:"+code) != "unknown promo code" {
			t.Fatalf("another organization's code: %+v", q.NotApplied)
		}
		// The repeat of an event shows the code it issued; it issues none.
		var again struct {
			Duplicate bool
			Event     struct {
				CodesIssued []string `json:"codes_issued"`
			}
		}
		e.do("POST", "/v1/events", e.keyA, order("SO-1", "R-1", nil, line("CEM", 10, 12500))).must(200, &again)
		if !again.Duplicate || len(again.Event.CodesIssued) != 1 || again.Event.CodesIssued[0] != code {
			t.Fatalf("repeat: %+v", again)
		}
		e.send(e.keyA, order("SO-2", "R-1", []string{code}, line("CEM", 10, 12500)))
		if q := e.quoteCodes("R-1", []string{code}, line("CEM", 1, 12500)); q.refusal("code:"+code) != "code already used" && q.refusal("code:"+code) != "already used by your organization" {
			t.Fatalf("used code: %+v", q.NotApplied)
		}
		var l struct {
			Items []struct{ Code, Organization string }
		}
		e.do("GET", "/v1/promo-campaigns/"+c.ID+"/codes", e.keyA, nil).must(200, &l)
		if len(l.Items) != 2 {
			t.Fatalf("codes %+v, want one per order", l.Items)
		}
		unused := l.Items[0].Code
		if unused == code {
			unused = l.Items[1].Code
		}
		e.clock.Set(time.Date(2026, 5, 17, 9, 0, 0, 0, time.UTC))
		if q := e.quoteCodes("R-1", []string{unused}, line("CEM", 1, 12500)); q.refusal("code:"+unused) != "expired on 2026-05-17 09:00 UTC" {
			t.Fatalf("past its end: %+v", q.NotApplied)
		}
		csv := string(e.do("GET", "/v1/promo-campaigns/"+c.ID+"/codes.csv", e.keyA, nil).must(200, nil).Body)
		if !strings.HasPrefix(csv, "code,redeemed_at,redeemed_organization,redeemed_event,organization,expires_at,issued_event\n") ||
			!strings.Contains(csv, ",2026-05-17T09:00:00Z,"+r.ID) {
			t.Errorf("export:\n%s", csv)
		}
		e.do("POST", "/v1/promo-campaigns/"+c.ID+"/codes:generate", e.keyA, obj{"pattern": "X-########", "count": 1}).fails(409, "personal_campaign", "")
	})
}

// TestPersonalCodesMonthly: a monthly campaign gives each organization
// enrolled in its program one code per month, once however often the job
// runs; bad definitions are refused with their fields.
func TestPersonalCodesMonthly(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{"rules": []obj{{"id": "r", "effects": []obj{{"type": "earn", "fixed": 1}}}}})
		e.dealer(e.keyA, "R-2")
		e.dealer(e.keyA, "R-3") // never bought: not enrolled
		e.send(e.keyA, invoice("INV-1", line("A", 1, 1000)))
		e.send(e.keyA, event("invoice", "INV-2", "R-2", line("A", 1, 1000)))
		c := e.newCampaign(obj{"name": "Monthly", "program_id": f.program["id"], "kind": "personal", "effect": obj{"type": "fixed_amount", "amount": 5000},
			"issue": obj{"on": "month", "pattern": "M-########", "valid_days": 30}})
		ctx := context.Background()
		for i, want := range []int{2, 0} {
			n, err := e.app.Promo.IssueMonthly(ctx, e.tidA, time.Date(2026, 4, 1, 0, 0, 0, 0, time.UTC))
			if err != nil || n != want {
				t.Fatalf("run %d: %d codes, %v; want %d", i, n, err, want)
			}
		}
		if n, _ := e.app.Promo.IssueMonthly(ctx, e.tidA, time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)); n != 2 {
			t.Errorf("May: %d codes, want 2", n)
		}
		var got campaign
		e.do("GET", "/v1/promo-campaigns/"+c.ID, e.keyA, nil).must(200, &got)
		if got.Codes != 4 {
			t.Errorf("campaign holds %d codes, want 4", got.Codes)
		}
		var raw map[string]json.RawMessage
		e.do("GET", "/v1/promo-campaigns/"+c.ID, e.keyA, nil).must(200, &raw)
		if !strings.Contains(string(raw["issue"]), `"on":"month"`) {
			t.Errorf("issue not shown: %s", raw["issue"])
		}
		e.do("POST", "/v1/promo-campaigns", e.keyA, obj{"name": "x", "kind": "personal", "effect": obj{"type": "percent", "percent_bp": 100}}).
			fails(422, "validation_failed", "issue")
		p := e.do("POST", "/v1/promo-campaigns", e.keyA, obj{"name": "x", "kind": "personal", "effect": obj{"type": "percent", "percent_bp": 100},
			"issue": obj{"on": "month", "pattern": "X-##"}}).fails(422, "validation_failed", "issue.pattern")
		if !p.hasField("program_id") || !p.hasField("issue.valid_days") {
			t.Errorf("fields %+v", p.Errors)
		}
	})
}
