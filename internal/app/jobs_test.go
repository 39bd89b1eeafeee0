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

// The job loop runs the occasions job once per day and tenant: a member
// added later the same day waits for next year, the next day's birthday
// is found on the next day.
func TestJobsRunOccasionsOncePerDay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2026, 3, 2, 1, 0, 0, 0, time.UTC))
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
		tn, err := a.Tenants.CreateTenant(ctx, "one", "one")
		must(t, err)
		p := access.System(tn.ID)
		prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Club"})
		must(t, err)
		pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "EUR",
			Expiry: "never", ValueNum: 1, ValueDen: 1})
		must(t, err)
		def := []byte(`{"currency": "EUR", "point_type_id": "` + pt.ID + `", "rules": [{"id": "bday", "events": ["birthday"],
			"effects": [{"type": "earn", "fixed": 10, "to": "organization"}]}]}`)
		_, err = a.Programs.AddVersion(ctx, p, prog.ID, program.VersionInput{Definition: def})
		must(t, err)
		_, err = a.Programs.SetStatus(ctx, p, prog.ID, program.StatusInput{Status: program.Active})
		must(t, err)
		o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "D"})
		must(t, err)
		member := func(birthday string) {
			_, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: o.ID, Name: "M " + birthday, Roles: []party.Role{"sales"}, Birthday: birthday})
			must(t, err)
		}
		balance := func() int64 {
			bs, err := a.Ledger.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}, 0)
			must(t, err)
			if len(bs) == 0 {
				return 0
			}
			return bs[0].Account.Available
		}
		member("1980-03-02")
		a.runJobsOnce(ctx)
		member("1981-03-02")
		member("1982-03-03")
		clk.Advance(time.Hour)
		a.runJobsOnce(ctx)
		if b := balance(); b != 10 {
			t.Fatalf("after two runs on 2 March: %d, want one birthday's 10", b)
		}
		clk.Advance(24 * time.Hour)
		a.runJobsOnce(ctx)
		if b := balance(); b != 20 {
			t.Fatalf("after 3 March: %d, want 20", b)
		}
	})
}
