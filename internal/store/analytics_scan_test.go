package store_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The packs, read on a goroutine of their own and handed over in batches,
// give the facts ScanFacts gives, in the same order: 12,000 facts of 400
// organizations (several batches), written out of time order, cut at
// several ends. An error of the callback stops the scan, is returned, and
// leaves the transaction usable.
func TestPackedScanEqualsTheFacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := newTenant(t, db, "scan")
		const orgs, perOrg, start = 400, 30, int64(1_700_000_000_000)
		r := rand.New(rand.NewPCG(5, 6))
		var facts []analytics.Fact
		for o := range orgs {
			for i := range perOrg {
				f := analytics.Fact{TenantID: a, EventID: fmt.Sprintf("e%d-%d", o, i), OrganizationID: fmt.Sprintf("org-%03d", o),
					OccurredMs: start + int64(i)*20*86_400_000 + r.Int64N(86_400_000), Type: analytics.FactPurchase, Amount: r.Int64N(100_000), Qty: 1, Cost: r.Int64N(1000)}
				if i%7 == 3 {
					f.Type = analytics.FactReturn
				}
				facts = append(facts, f)
			}
		}
		r.Shuffle(len(facts), func(i, j int) { facts[i], facts[j] = facts[j], facts[i] })
		for chunk := range slices.Chunk(facts, 1000) {
			if err := db.Write(ctx, func(tx *store.Tx) error { return tx.InsertFacts(ctx, chunk) }); err != nil {
				t.Fatal(err)
			}
		}
		type seen struct {
			org       string
			at        int64
			typ       string
			amt, cost int64
		}
		collect := func(scan func(context.Context, string, int64, func(analytics.Fact) error) error, toMs int64) []seen {
			var out []seen
			if err := scan(ctx, a, toMs, func(f analytics.Fact) error {
				out = append(out, seen{f.OrganizationID, f.OccurredMs, string(f.Type), f.Amount, f.Cost})
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			return out
		}
		err := db.Read(ctx, func(tx *store.Tx) error {
			for _, toMs := range []int64{1 << 62, start + 300*86_400_000, start + 20*86_400_000, start} {
				want, got := collect(tx.ScanFacts, toMs), collect(tx.ScanPacked, toMs)
				if !slices.Equal(got, want) {
					return fmt.Errorf("to %d: the packs gave %d facts, the facts %d, or in another order", toMs, len(got), len(want))
				}
				if toMs == 1<<62 && len(got) != orgs*perOrg {
					return fmt.Errorf("all facts: %d, want %d", len(got), orgs*perOrg)
				}
			}
			stop, calls := errors.New("enough"), 0
			err := tx.ScanPacked(ctx, a, 1<<62, func(analytics.Fact) error {
				if calls++; calls == 5000 {
					return stop
				}
				return nil
			})
			if !errors.Is(err, stop) || calls != 5000 {
				return fmt.Errorf("a callback's error: %v after %d calls, want it after 5000", err, calls)
			}
			if again := collect(tx.ScanPacked, 1<<62); len(again) != orgs*perOrg {
				return fmt.Errorf("after a stopped scan: %d facts, want %d", len(again), orgs*perOrg)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
