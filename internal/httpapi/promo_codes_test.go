package httpapi_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// Concurrent orders cannot overuse a code: the limit is enforced by a
// conditional UPDATE in each order's transaction.
func TestPromoConcurrentOrders(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{})
		shared := e.newCampaign(obj{"name": "One winner", "kind": "shared", "code": "LUCKY", "total_limit": 1, "effect": obj{"type": "percent", "percent_bp": 1000}})
		uniq := e.newCampaign(obj{"name": "Last code", "kind": "unique", "effect": obj{"type": "fixed_amount", "amount": 100}})
		e.do("POST", "/v1/promo-campaigns/"+uniq.ID+"/codes:import", e.keyA, obj{"csv": "code\nLAST-ONE-42\n"}).must(201, nil)
		// Orders of different organizations, so that no shared wallet or
		// state row serializes them before the code is checked.
		for i := range 8 {
			e.dealer(e.keyA, fmt.Sprintf("RC-%d", i))
		}
		for _, c := range []struct{ id, code string }{{shared.ID, "LUCKY"}, {uniq.ID, "last one 42"}} {
			const n = 8
			statuses, codes := make([]int, n), make([]string, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					ev := order(fmt.Sprintf("RACE-%s-%d", c.id, i), fmt.Sprintf("RC-%d", i), []string{c.code}, line("A", 1, 5000))
					r := e.do("POST", "/v1/events", e.keyA, ev)
					statuses[i], codes[i] = r.Status, string(r.Body)
				})
			}
			wg.Wait()
			ok, conflict := 0, 0
			for i, s := range statuses {
				switch {
				case s == 200:
					ok++
				case s == 409 && strings.Contains(codes[i], `"promo_code_unavailable"`) && !strings.Contains(codes[i], "budget"):
					conflict++
				}
			}
			if ok != 1 || conflict != n-1 {
				t.Errorf("%s: statuses %v, want one 200 and %d 409", c.code, statuses, n-1)
			}
			if got := e.getCampaign(c.id); got.Used != 1 {
				t.Errorf("%s: used %d, want 1", c.code, got.Used)
			}
			if r := e.count("/v1/promo-campaigns/" + c.id + "/redemptions"); r != 1 {
				t.Errorf("%s: %d redemptions, want 1", c.code, r)
			}
		}
		events := 0
		for i := range 8 {
			events += e.count(fmt.Sprintf("/v1/organizations/ext:RC-%d/events", i))
		}
		if events != 2 {
			t.Errorf("%d events stored, want the 2 accepted orders", events)
		}
	})
}

// Unique codes: generated from a pattern, imported, listed and exported.
func TestPromoCodeBatches(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		c := e.newCampaign(obj{"name": "Mailing", "kind": "unique", "effect": obj{"type": "percent", "percent_bp": 500}})
		var g struct {
			Generated int64
			Campaign  campaign
		}
		e.do("POST", "/v1/promo-campaigns/"+c.ID+"/codes:generate", e.keyA, obj{"pattern": "ATLAS-####-####", "count": 1200}).must(201, &g)
		if g.Generated != 1200 || g.Campaign.Codes != 1200 || e.getCampaign(c.ID).Codes != 1200 {
			t.Fatalf("generate: %+v", g)
		}
		shape := regexp.MustCompile(`^ATLAS[2-9A-HJ-NP-Z]{8}$`)
		var page list
		e.do("GET", "/v1/promo-campaigns/"+c.ID+"/codes?limit=500", e.keyA, nil).must(200, &page)
		for _, it := range page.Items {
			if !shape.MatchString(str(it["code"])) {
				t.Fatalf("code %q does not follow the pattern over the unambiguous alphabet", it["code"])
			}
		}
		if n := e.count("/v1/promo-campaigns/" + c.ID + "/codes"); n != 1200 {
			t.Fatalf("%d codes listed, want 1200", n)
		}
		r := e.do("GET", "/v1/promo-campaigns/"+c.ID+"/codes.csv", e.keyA, nil).must(200, nil)
		rows := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") || len(rows) != 1201 || !strings.HasPrefix(rows[0], "code,") {
			t.Fatalf("export: %q, %d rows, first %q", r.Header.Get("Content-Type"), len(rows), rows[0])
		}
		// Import: JSON and CSV, normalized; a code that exists is a row error and nothing is stored.
		e.do("POST", "/v1/promo-campaigns/"+c.ID+"/codes:import", e.keyA, obj{"codes": []string{"vip 001", "VIP-002"}}).must(201, nil)
		e.do("POST", "/v1/promo-campaigns/"+c.ID+"/codes:import", e.keyA, obj{"csv": "code\nvip-003\n"}).must(201, nil)
		e.do("POST", "/v1/promo-campaigns/"+c.ID+"/codes:import", e.keyA, obj{"codes": []string{"VIP004", "VIP001", "bad!", "VIP004"}}).
			fails(422, "validation_failed", "codes[1]")
		if got := e.getCampaign(c.ID).Codes; got != 1203 {
			t.Fatalf("codes %d after the imports, want 1203", got)
		}
		q := e.do("GET", "/v1/promo-campaigns/"+c.ID+"/codes?limit=500", e.keyA, nil)
		if strings.Contains(string(q.Body), "VIP004") {
			t.Fatal("a refused import stored a code")
		}
	})
}

// Bad campaigns and batches are refused naming the field; nothing is written.
func TestPromoBadInput(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		shared := e.newCampaign(obj{"name": "S", "kind": "shared", "code": "TAKEN", "effect": obj{"type": "percent", "percent_bp": 500}})
		uniq := e.newCampaign(obj{"name": "U", "kind": "unique", "effect": obj{"type": "percent", "percent_bp": 500}})
		ok := obj{"name": "X", "kind": "shared", "code": "FRESH", "effect": obj{"type": "percent", "percent_bp": 500}}
		with := func(k string, v any) obj {
			b := obj{}
			for kk, vv := range ok {
				b[kk] = vv
			}
			b[k] = v
			return b
		}
		before := [2]int{e.count("/v1/promo-campaigns"), e.count("/v1/audit-log")}
		cases := []struct {
			name, field string
			body        obj
		}{
			{"end before start", "ends_at", with("ends_at", epoch.Add(-time.Hour).Format(time.RFC3339))},
			{"percent over 100%", "effect.percent_bp", with("effect", obj{"type": "percent", "percent_bp": 10001})},
			{"unknown program", "program_id", with("program_id", "prg_nope")},
			{"code taken", "code", with("code", "taken")},
			{"bad code", "code", with("code", "€€")},
			{"no effect type", "effect.type", with("effect", obj{})},
			{"negative limit", "total_limit", with("total_limit", -1)},
			{"bonus without program", "program_id", with("effect", obj{"type": "bonus_points", "points": 10})},
			{"empty scope name", "scope.skus[0]", with("scope", obj{"skus": []string{""}})},
		}
		for _, c := range cases {
			r := e.do("POST", "/v1/promo-campaigns", e.keyA, c.body)
			if r.Status != 422 && r.Status != 400 {
				t.Errorf("%s: status %d: %s", c.name, r.Status, r.Body)
				continue
			}
			var p problem
			r.must(r.Status, &p)
			if !p.hasField(c.field) {
				t.Errorf("%s: no error for %s: %s", c.name, c.field, r.Body)
			}
		}
		gen := "/v1/promo-campaigns/" + uniq.ID + "/codes:generate"
		e.do("POST", gen, e.keyA, obj{"pattern": "ATLAS-###-####", "count": 10}).fails(422, "validation_failed", "pattern")
		e.do("POST", gen, e.keyA, obj{"pattern": "ATLAS-####-####!", "count": 10}).fails(422, "validation_failed", "pattern")
		e.do("POST", gen, e.keyA, obj{"pattern": "ATLAS-####-####", "count": 100001}).fails(422, "validation_failed", "count")
		e.do("POST", "/v1/promo-campaigns/"+shared.ID+"/codes:generate", e.keyA, obj{"pattern": "ATLAS-####-####", "count": 1}).fails(409, "shared_campaign", "")
		e.do("POST", "/v1/promo-campaigns/"+uniq.ID+"/status", e.keyA, obj{"status": "deleted"}).must(422, nil)
		if after := [2]int{e.count("/v1/promo-campaigns"), e.count("/v1/audit-log")}; after != before || e.getCampaign(uniq.ID).Codes != 0 {
			t.Fatalf("refused requests wrote: campaigns/audit %v → %v", before, after)
		}
	})
}

// Unknown codes are limited per API key: the 31st in a minute is a 429.
func TestPromoRateLimit(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{})
		quote := func(key string, codes []string) *resp {
			return e.do("POST", "/v1/quote", key, obj{"organization": "ext:R-1", "currency": "EUR", "lines": []obj{line("A", 1, 100)}, "codes": codes})
		}
		ten := func(round int) []string {
			var cs []string
			for i := range 10 {
				cs = append(cs, fmt.Sprintf("GUESS%d%d", round, i))
			}
			return cs
		}
		for round := range 3 {
			quote(e.keyA, ten(round)).must(200, nil)
		}
		p := quote(e.keyA, []string{"GUESS99"}).fails(429, "too_many_code_attempts", "")
		if !strings.Contains(p.Detail, "too many unknown promo codes") {
			t.Errorf("429 detail %q", p.Detail)
		}
		// Another key of the tenant has its own count; a minute later the first may try again.
		quote(e.key(e.tidA, "read", ""), []string{"GUESS99"}).must(200, nil)
		e.clock.Advance(61 * time.Second)
		quote(e.keyA, []string{"GUESS99"}).must(200, nil)
	})
}

// Thirty orders of thirty organizations at once, against each limit a code
// can have: a total of five uses, a budget of five bonuses (the points
// credited exactly five times), and one organization's thirty orders
// against a limit of two per organization. Each limit holds exactly, and
// twenty pauses of one campaign at once record one change.
func TestPromoLimitsUnderLoad(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newProgram(e, obj{})
		total := e.newCampaign(obj{"name": "Five", "kind": "shared", "code": "FIVE", "total_limit": 5, "effect": obj{"type": "percent", "percent_bp": 1000}})
		budget := e.newCampaign(obj{"name": "Bonus", "program_id": f.program["id"], "kind": "shared", "code": "BONUS",
			"budget": 500, "effect": obj{"type": "bonus_points", "points": 100}})
		perOrg := e.newCampaign(obj{"name": "Twice", "kind": "shared", "code": "TWICE", "per_org_limit": 2, "effect": obj{"type": "percent", "percent_bp": 500}})
		for i := range 30 {
			e.dealer(e.keyA, fmt.Sprintf("L-%d", i))
		}
		for _, c := range []struct {
			camp  campaign
			code  string
			org   func(i int) string
			limit int
		}{
			{total, "FIVE", func(i int) string { return fmt.Sprintf("L-%d", i) }, 5},
			{budget, "BONUS", func(i int) string { return fmt.Sprintf("L-%d", i) }, 5},
			{perOrg, "TWICE", func(int) string { return "L-0" }, 2},
		} {
			status, _ := parallel(30, func(i int) *resp {
				return e.do("POST", "/v1/events", e.keyA, order(fmt.Sprintf("%s-%d", c.code, i), c.org(i), []string{c.code}, line("A", 1, 5000)))
			})
			if got := e.getCampaign(c.camp.ID); count(status, 200) != c.limit || count(status, 409) != 30-c.limit || got.Used != int64(c.limit) {
				t.Fatalf("%s: statuses %v, used %d; want %d orders accepted", c.code, status, got.Used, c.limit)
			}
		}
		bonus := int64(0)
		for i := range 30 {
			bonus += e.balanceOf(e.keyA, fmt.Sprintf("L-%d", i))
		}
		if got := e.getCampaign(budget.ID); got.BudgetUsed != 500 || bonus != 500 {
			t.Fatalf("bonus budget used %d, %d points credited; want 500 and 500", got.BudgetUsed, bonus)
		}
		status, _ := parallel(20, func(int) *resp {
			return e.do("POST", "/v1/promo-campaigns/"+total.ID+"/status", e.keyA, obj{"status": "paused"})
		})
		if n := e.count("/v1/audit-log?entity_type=promo_campaign&entity_id=" + total.ID); count(status, 200) != 20 || n != 2 {
			t.Fatalf("pauses: statuses %v, %d audit entries; want twenty 200 and the creation plus one change", status, n)
		}
		e.ledgerOK(e.tidA)
	})
}
