package httpapi_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// replayProgram earns on invoices, orders and trainings, with tiers and a
// stamp card, so that outcomes depend on the order of events.
var replayProgram = obj{
	"rules": []obj{
		{"id": "cashback", "name": "5% back", "effects": []obj{{"type": "earn", "percent_bp": 500}}},
		{"id": "big-order", "name": "2 points a unit on big orders", "events": []string{"order"}, "condition": "event.amount >= 20000",
			"effects": []obj{{"type": "earn", "per_unit": 2}}},
		{"id": "training", "name": "Training", "events": []string{"training"}, "effects": []obj{{"type": "earn", "fixed": 50}}},
	},
	"tiers": obj{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []obj{
		{"code": "base", "name": "Base", "threshold": 0},
		{"code": "silver", "name": "Silver", "threshold": 100000, "earn_multiplier_bp": 15000},
	}},
	"stamps": obj{"needed": 4, "reward": obj{"type": "earn", "fixed": 25}},
}

// replayEvents are 30 events of three dealers: invoices, orders,
// trainings and, last, a partial return of the first invoice.
func replayEvents() []obj {
	var evs []obj
	for i := range 29 {
		org := fmt.Sprintf("R-%d", i%3+1)
		var ev obj
		switch {
		case i%7 == 6:
			ev = obj{"type": "training", "source": "lms", "external_id": fmt.Sprintf("TR-%d", i), "organization": "ext:" + org}
		case i%5 == 4:
			ev = event("order", fmt.Sprintf("ORD-%d", i), org, line("KIT", int64(i%4+1), int64(i)*1000+999))
		default:
			ev = event("invoice", fmt.Sprintf("INV-%d", i), org, line("A", int64(i%3+1), 49999), line("B", int64(i+1), int64(i%4+1)*1000))
		}
		ev["occurred_at"] = epoch.Add(-time.Duration(29-i) * 6 * time.Hour).Format(time.RFC3339)
		evs = append(evs, ev)
	}
	ret := returnOf("CN-0", "INV-0", "R-1", line("A", 1, 0))
	return append(evs, ret)
}

// fingerprint is what an outcome did, to compare outcomes across tenants.
func fingerprint(rs []eventResult) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		for _, o := range r.Results {
			st, _ := json.Marshal(o.Stamps)
			tier := ""
			if o.Tier != nil {
				tier = o.Tier.From + "→" + o.Tier.To
			}
			claws := int64(0)
			for _, c := range o.Clawbacks {
				claws += c.Points
			}
			out[i] += fmt.Sprintf("%s +%d -%d %s %s; ", o.Status, o.points(), claws, tier, st)
		}
	}
	return out
}

// TestBatchIdempotentAndDeterministic sends a batch twice (the second time
// every event is a duplicate and nothing changes) and replays it into a
// fresh tenant (same outcomes, same balances).
func TestBatchIdempotentAndDeterministic(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		evs := replayEvents()
		orgs := []string{"R-1", "R-2", "R-3"}
		run := func(key string) ([]eventResult, map[string]int64) {
			newProgramIn(e, key, replayProgram, nil)
			for _, o := range orgs {
				e.dealer(key, o)
			}
			res := e.sendBatch(key, evs)
			bal := map[string]int64{}
			for _, o := range orgs {
				bal[o] = e.balanceOf(key, o)
			}
			return res, bal
		}
		first, balances := run(e.keyA)
		fp := fingerprint(first)
		var total, earned int64
		for i, r := range first {
			if r.Duplicate || len(r.Results) != 1 || r.Results[0].Status != "applied" {
				t.Fatalf("event %d: %+v", i, r)
			}
			earned += r.Results[0].points()
		}
		for _, b := range balances {
			total += b
		}
		if last := first[len(first)-1].Results[0]; len(last.Clawbacks) != 1 || last.Clawbacks[0].Points <= 0 || total != earned-last.Clawbacks[0].Points {
			t.Fatalf("balances %v sum to %d; events earned %d and the return took back %+v", balances, total, earned, last.Clawbacks)
		}

		again := e.sendBatch(e.keyA, evs)
		for i, r := range again {
			if !r.Duplicate || r.ID != first[i].ID {
				t.Fatalf("resent event %d is not the duplicate of %s: %+v", i, first[i].ID, r)
			}
		}
		if got := fingerprint(again); fmt.Sprint(got) != fmt.Sprint(fp) {
			t.Fatalf("a duplicate answers another outcome:\n%v\n%v", got, fp)
		}
		if r := e.send(e.keyA, evs[3]); !r.Duplicate || r.ID != first[3].ID {
			t.Fatalf("event 3 sent alone: %+v", r)
		}
		for _, o := range orgs {
			if got := e.balanceOf(e.keyA, o); got != balances[o] {
				t.Fatalf("%s: %d after resending, was %d", o, got, balances[o])
			}
		}
		e.do("POST", "/v1/events:batch", e.keyA, obj{"events": []obj{evs[0], evs[1], evs[0]}}).fails(409, "duplicate_in_batch", "")

		tid, key := e.tenantWithKey("replay", "admin")
		replayed, replayBalances := run(key)
		if got := fingerprint(replayed); fmt.Sprint(got) != fmt.Sprint(fp) {
			t.Fatalf("replayed outcomes differ:\n%v\n%v", got, fp)
		}
		if fmt.Sprint(replayBalances) != fmt.Sprint(balances) {
			t.Fatalf("replayed balances %v, first %v", replayBalances, balances)
		}
		e.ledgerOK(e.tidA)
		e.ledgerOK(tid)
	})
}
