package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
)

// Twenty reversals of one spend at once, each with its own key: exactly
// one gives the points back, every other answer is 409 already_reversed
// (never a 500), and the wallet ends exactly where it was before the spend.
// Several rounds, because a race shows only sometimes.
func TestReverseConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		org := f.owner(f.org, "organization")
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 990},
			"Idempotency-Key", "earn-990").must(201, nil)
		for round := range 5 {
			var spent obj
			e.do("POST", "/v1/ledger/spend", e.keyA, obj{"owner": org, "point_type_id": f.pt["id"], "amount": 90},
				"Idempotency-Key", fmt.Sprintf("spend-%d", round)).must(201, &spent)
			if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 900 {
				t.Fatalf("round %d: %d after the spend, want 900", round, got)
			}
			status, codes := parallel(20, func(i int) *resp {
				return e.do("POST", "/v1/transactions/"+str(spent["id"])+"/reverse", e.keyA, obj{"reason": "cancelled"},
					"Idempotency-Key", fmt.Sprintf("rev-%d-%d", round, i))
			})
			if n := count(status, 201); n != 1 || count(codes, "already_reversed") != 19 {
				t.Fatalf("round %d: statuses %v codes %v; want one 201 and 19 409 already_reversed", round, status, codes)
			}
			if got := e.available("/v1/organizations/ext:R-1/wallet"); got != 990 {
				t.Fatalf("round %d: wallet %d after the reversals, want exactly 990", round, got)
			}
			e.ledgerOK(e.tidA)
		}
	})
}

// parallel sends n requests at once and returns their statuses and the
// problem codes of the refused ones.
func parallel(n int, send func(i int) *resp) ([]int, []string) {
	status, codes := make([]int, n), make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r := send(i)
			status[i] = r.Status
			if r.Status >= 400 {
				codes[i] = problemCode(r.Body)
			}
		})
	}
	wg.Wait()
	return status, codes
}

// count returns how many of xs equal x.
func count[T comparable](xs []T, x T) int {
	n := 0
	for _, v := range xs {
		if v == x {
			n++
		}
	}
	return n
}

// problemCode is the code of a problem document ("" if the body is not one).
func problemCode(body []byte) string {
	var p problem
	_ = json.Unmarshal(body, &p)
	return p.Code
}

// Twenty copies of one large adjustment request (one Idempotency-Key) at
// once make one adjustment waiting for approval, and every copy answers
// with it; then twenty approvals and twenty rejections by a colleague at
// once: exactly one decision, and the points posted at most once.
func TestAdjustmentsConcurrently(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		e.do("POST", "/v1/ledger/earn", e.keyA, obj{"owner": f.owner(f.org, "organization"), "point_type_id": f.pt["id"], "amount": 10},
			"Idempotency-Key", "seed").must(201, nil)
		acct := e.wallet("/v1/organizations/" + str(f.org["id"]) + "/wallet").Balances[0].AccountID
		ids := make([]string, 20)
		status, codes := parallel(20, func(i int) *resp {
			r := e.do("POST", "/v1/accounts/"+acct+"/adjustments", f.staff1, obj{"amount": 5000, "reason": "lost delivery"}, "Idempotency-Key", "adj-race")
			var out struct{ Adjustment obj }
			_ = json.Unmarshal(r.Body, &out)
			ids[i] = str(out.Adjustment["id"])
			return r
		})
		if count(status, 201) != 20 || count(ids, ids[0]) != 20 || e.count("/v1/adjustments") != 1 {
			t.Fatalf("statuses %v codes %v ids %v; want twenty 201 with one adjustment", status, codes, ids)
		}
		status, codes = parallel(40, func(i int) *resp {
			path := "/v1/adjustments/" + ids[0]
			if i%2 == 0 {
				return e.do("POST", path+"/approve", f.staff2, obj{"note": fmt.Sprint("ok ", i)})
			}
			return e.do("POST", path+"/reject", f.staff2, obj{"note": fmt.Sprint("no ", i)})
		})
		approved := e.count("/v1/adjustments?status=posted") == 1
		want := int64(10)
		if approved {
			want = 5010
		}
		if got := e.available("/v1/organizations/" + str(f.org["id"]) + "/wallet"); got != want || count(status, 500) != 0 {
			t.Fatalf("statuses %v codes %v; wallet %d, want %d (approved: %v)", status, codes, got, want, approved)
		}
		decided := e.count("/v1/audit-log?entity_type=adjustment&entity_id=" + ids[0])
		if decided != 2 {
			t.Fatalf("%d audit entries of the adjustment, want its request and one decision", decided)
		}
		e.ledgerOK(e.tidA)
	})
}

// Sixty-four earns of one key at once over eight wallets, twice (in the
// second round four are impossible: the points would expire before they
// are available), then twenty copies of one earn at once. Earns a client
// sends at the same time are posted together, several to a database
// transaction; each still gets its own answer: every earn its own
// transaction, every impossible one the error it gets alone, every copy
// the one transaction. The balances, the ledger check and the analytics
// aggregates (economics and participation, against a recomputation from
// the ledger) are exact.
func TestSimultaneousEarnsOfOneCallerEachGetTheirOwnAnswer(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		f := newLedgerFixture(e)
		orgs := make([]obj, 8)
		for i := range orgs {
			orgs[i] = e.dealer(e.keyA, fmt.Sprint("W-", i))
		}
		want := map[int]int64{}
		earn := func(i int, key string, impossible bool) *resp {
			b := obj{"owner": f.owner(orgs[i%8], "organization"), "point_type_id": f.pt["id"], "amount": 10 + i}
			if impossible {
				b["expires_at"], b["available_at"] = "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z"
			}
			return e.do("POST", "/v1/ledger/earn", e.keyA, b, "Idempotency-Key", key)
		}
		for round := range 2 {
			impossible := func(i int) bool { return round == 1 && i%16 == 5 }
			bodies := make([]*resp, 64)
			parallel(64, func(i int) *resp {
				bodies[i] = earn(i, fmt.Sprint("earn-", round, "-", i), impossible(i))
				return bodies[i]
			})
			for i, r := range bodies {
				if impossible(i) {
					r.fails(422, "validation_failed", "expires_at")
					continue
				}
				var tr struct{ Postings []struct{ Amount int64 } }
				r.must(201, &tr)
				if len(tr.Postings) == 0 || max(tr.Postings[0].Amount, -tr.Postings[0].Amount) != int64(10+i) {
					t.Errorf("round %d, earn %d was answered with %+v", round, i, tr)
				}
				want[i%8] += int64(10 + i)
			}
		}
		ids := make([]string, 20)
		parallel(20, func(i int) *resp {
			r := earn(3, "earn-copy", false)
			var tr struct{ ID string }
			_ = json.Unmarshal(r.Body, &tr)
			ids[i] = tr.ID
			return r
		})
		if count(ids, ids[0]) != 20 || ids[0] == "" {
			t.Errorf("twenty copies of one earn got transactions %v, want one", ids)
		}
		want[3] += 13
		for i := range orgs {
			if got := e.balanceOf(e.keyA, fmt.Sprint("W-", i)); got != want[i] {
				t.Errorf("W-%d holds %d points, want %d", i, got, want[i])
			}
		}
		e.ledgerOK(e.tidA)
		// Whole past days are read from the aggregates alone.
		day := e.clock.Now().UTC().Truncate(24 * time.Hour)
		e.clock.Set(day.AddDate(0, 0, 3))
		q := analytics.Query{From: day.AddDate(0, 0, -1), To: day.AddDate(0, 0, 2)}
		ctx, p, s := context.Background(), access.System(e.tidA), e.app.Analytics
		matchesFromScratch(t, s, "economics", func() (any, error) { return s.Economics(ctx, p, q) })
		matchesFromScratch(t, s, "participation", func() (any, error) { return s.Participation(ctx, p, q) })
	})
}
