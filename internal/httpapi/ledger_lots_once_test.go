package httpapi_test

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
)

// Every transaction lists a lot once among the lots it created and once
// among the lots it used: an order paying with points from stored lots
// and from the lot it earns itself, two earns in one event, a pending lot
// made available, and the person's export.
func TestLedgerListsALotOnce(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		earn := func(id string) obj {
			return obj{"id": id, "events": []string{"invoice", "order"}, "effects": []obj{{"type": "earn", "percent_bp": 1000}}}
		}
		_, key := e.tenantWithKey("lots-once", "admin")
		newProgramIn(e, key, obj{"points_payment": obj{"max_share_bp": 9000}, "rules": []obj{earn("a"), earn("b")}}, obj{"pending_days": 0})
		e.dealer(key, "R-1")
		e.send(key, event("invoice", "INV-1", "R-1", line("A", 10, 1000))) // 2 × 10 points
		e.send(key, event("invoice", "INV-2", "R-1", line("A", 10, 1000)))
		order := event("order", "ORD-1", "R-1", line("A", 1, 100000)) // earns 2 × 100, pays 100: 40 stored, 60 of its own
		order["points_spent"] = 100
		e.send(key, order)
		check := func(key, acct string) {
			var stmt list
			e.do("GET", "/v1/accounts/"+acct+"/statement?limit=100", key, nil).must(200, &stmt)
			for _, l := range stmt.Items {
				var tx struct {
					Lots []struct{ ID string }
					Uses []struct {
						LotID string `json:"lot_id"`
					}
				}
				e.do("GET", "/v1/transactions/"+str(l["tx_id"]), key, nil).must(200, &tx)
				created, used := map[string]bool{}, map[string]bool{}
				for _, x := range tx.Lots {
					if created[x.ID] {
						t.Errorf("transaction %s lists lot %s twice among its lots", l["tx_id"], x.ID)
					}
					created[x.ID] = true
				}
				for _, u := range tx.Uses {
					if used[u.LotID] {
						t.Errorf("transaction %s lists lot %s twice among its uses", l["tx_id"], u.LotID)
					}
					used[u.LotID] = true
				}
			}
		}
		var w wallet
		e.do("GET", "/v1/organizations/ext:R-1/wallet", key, nil).must(200, &w)
		if w.Balances[0].Available != 20+20+200-100 {
			t.Fatalf("wallet %+v", w.Balances)
		}
		check(key, w.Balances[0].AccountID)

		tid, key2 := e.tenantWithKey("lots-pending", "admin")
		newProgramIn(e, key2, obj{"rules": []obj{earn("a")}}, obj{"pending_days": 7})
		e.dealer(key2, "R-2")
		e.send(key2, event("invoice", "INV-9", "R-2", line("A", 10, 1000)))
		e.do("GET", "/v1/organizations/ext:R-2/wallet", key2, nil).must(200, &w)
		if _, err := e.app.Ledger.ActivateDue(context.Background(), tid, epoch.AddDate(0, 0, 8), ledger.DefaultBatch); err != nil {
			t.Fatal(err)
		}
		e.do("GET", "/v1/organizations/ext:R-2/wallet", key2, nil).must(200, &w)
		if w.Balances[0].Available != 10 || w.Balances[0].Pending != 0 {
			t.Fatalf("after the pending period: %+v, want 10 available", w.Balances)
		}
		check(key2, w.Balances[0].AccountID)
	})
}
