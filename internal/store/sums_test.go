package store_test

import (
	"context"
	"errors"
	"math"
	"math/big"
	"testing"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestSumsNeverOverflowInSQL: sums of stored amounts come out exact when
// they fit in int64 and as money.ErrOverflow when they do not, on both
// engines, whatever the signs (SQLite's SUM would raise an error;
// PostgreSQL's would be NUMERIC).
func TestSumsNeverOverflowInSQL(t *testing.T) {
	cases := []struct {
		name    string
		amounts []int64 // purchases of one organization
	}{
		{"small", []int64{1, 2, 3}},
		{"up to the limit", []int64{math.MaxInt64 - 10, 4, 6}},
		{"past the limit", []int64{math.MaxInt64, 1}},
		{"ten legacy events of 10^18", []int64{1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18, 1e18}},
		{"large and not round", []int64{4294967295, 4294967297, 8589934591, 123456789012345678}},
	}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		tid := newTenant(t, db, "sums")
		for ci, c := range cases {
			org := "org-" + string(rune('a'+ci))
			want := new(big.Int)
			for i, a := range c.amounts {
				want.Add(want, big.NewInt(a))
				if err := db.Write(ctx, func(tx *store.Tx) error {
					return tx.InsertFact(ctx, analytics.Fact{TenantID: tid, EventID: org + "-" + string(rune('a'+i)), OrganizationID: org,
						OccurredMs: 1000, Type: analytics.FactPurchase, Amount: a, Cost: -a})
				}); err != nil {
					t.Fatal(err)
				}
			}
			var rows []analytics.OrgTotal
			err := db.Read(ctx, func(tx *store.Tx) error {
				var err error
				rows, err = tx.OrgTotals(ctx, tid, 0, 2000)
				return err
			})
			if !want.IsInt64() || !new(big.Int).Neg(want).IsInt64() {
				if !errors.Is(err, money.ErrOverflow) {
					t.Errorf("%s: sum %s beyond int64 gave %v, %+v", c.name, want, err, rows)
				}
			} else if err != nil || !hasTotal(rows, org, want.Int64()) {
				t.Errorf("%s: want %s, got %+v, %v", c.name, want, rows, err)
			}
			// Later cases must not see this one's overflow.
			if err := db.Exec(ctx, `DELETE FROM sales_facts WHERE tenant_id = $1`, tid); err != nil {
				t.Fatal(err)
			}
		}
	})
}

func hasTotal(rows []analytics.OrgTotal, org string, want int64) bool {
	for _, r := range rows {
		if r.OrganizationID == org {
			return r.Purchases == want && r.Cost == -want
		}
	}
	return false
}
