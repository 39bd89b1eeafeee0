package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The server's job loop makes pending points available and expires old
// ones, in every tenant, as time passes.
func TestJobsRunForEveryTenant(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
		owners := map[string]ledger.Owner{}
		for _, slug := range []string{"one", "two"} {
			tn, err := a.Tenants.CreateTenant(ctx, slug, slug)
			must(t, err)
			p := access.System(tn.ID)
			prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Club"})
			must(t, err)
			pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "EUR",
				PendingDays: 7, Expiry: "days:30"})
			must(t, err)
			o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "D"})
			must(t, err)
			owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}
			_, err = a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "e1", Owner: owner, PointTypeID: pt.ID, Amount: 40})
			must(t, err)
			owners[tn.ID] = owner
		}
		balance := func() (avail, pending int64) {
			for tid, o := range owners {
				bs, err := a.Ledger.Balances(ctx, access.System(tid), o, 0)
				must(t, err)
				avail, pending = avail+bs[0].Account.Available, pending+bs[0].Account.Pending
			}
			return
		}
		clk.Advance(8 * 24 * time.Hour)
		a.runJobsOnce(ctx)
		if av, pe := balance(); av != 80 || pe != 0 {
			t.Fatalf("after 8 days: %d available, %d pending; want 80, 0", av, pe)
		}
		clk.Advance(30 * 24 * time.Hour)
		a.runJobsOnce(ctx)
		if av, pe := balance(); av != 0 || pe != 0 {
			t.Fatalf("after 38 days: %d available, %d pending; want all expired", av, pe)
		}
	})
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
