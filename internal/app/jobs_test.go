package app

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"

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
			p, pt, owner := dealerWithPoints(t, a, slug, 7)
			_, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "e1", Owner: owner, PointTypeID: pt.ID, Amount: 40})
			must(t, err)
			owners[p.TenantID] = owner
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

// dealerWithPoints makes a tenant with a program whose points are pending
// for pendingDays and expire after 30 days, and a dealer.
func dealerWithPoints(t *testing.T, a *App, slug string, pendingDays int) (access.Principal, ledger.PointType, ledger.Owner) {
	t.Helper()
	ctx := context.Background()
	tn, err := a.Tenants.CreateTenant(ctx, slug, slug)
	must(t, err)
	p := access.System(tn.ID)
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Club"})
	must(t, err)
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "EUR",
		PendingDays: pendingDays, Expiry: "days:30"})
	must(t, err)
	o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "D"})
	must(t, err)
	return p, pt, ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}
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

// A lot the expiry job cannot expire is logged at error level with its
// tenant and id and counted in loyal_job_errors_total; the job expires
// every other lot, in this tenant and the next.
func TestJobErrorsAreLoggedAndCounted(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		var logs bytes.Buffer
		a := New(config.Config{}, slog.New(slog.NewTextHandler(&logs, nil)), clk, db, nil)
		var bad string
		var owners []ledger.Owner
		var tenants []string
		for _, slug := range []string{"one", "two"} {
			p, pt, owner := dealerWithPoints(t, a, slug, 0)
			for i := range 3 {
				tr, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: fmt.Sprint("e", i), Owner: owner, PointTypeID: pt.ID, Amount: 10})
				must(t, err)
				if slug == "one" && i == 1 {
					bad = tr.Lots[0].ID
					storetest.InsertLedgerTx(t, db, p.TenantID, ledger.TxID(p.TenantID, "expire:"+bad), "expire:"+bad)
				}
			}
			owners, tenants = append(owners, owner), append(tenants, p.TenantID)
		}
		clk.Advance(31 * 24 * time.Hour)
		a.runJobsOnce(ctx)
		for i, o := range owners {
			bs, err := a.Ledger.Balances(ctx, access.System(tenants[i]), o, 0)
			must(t, err)
			if want := []int64{10, 0}[i]; bs[0].Account.Available != want {
				t.Fatalf("tenant %d: %d points left, want %d", i, bs[0].Account.Available, want)
			}
		}
		var m dto.Metric
		must(t, a.Metrics.JobErrors.WithLabelValues(ledger.JobExpire).Write(&m))
		if n := m.GetCounter().GetValue(); n != 1 {
			t.Fatalf("loyal_job_errors_total{job=expire} = %v, want 1", n)
		}
		line := logs.String()
		if !strings.Contains(line, "level=ERROR") || !strings.Contains(line, "tenant=one") || !strings.Contains(line, "row="+bad) {
			t.Fatalf("log: %s", line)
		}
	})
}
