package cli_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// `loyal ledger check` passes on a sound ledger and fails, saying what is
// wrong, when a cached balance was tampered with; `loyal jobs run` expires
// points as of the given time, once.
func TestLedgerCheckAndJobs(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		var acct string
		d.open(t, func(a *app.App) {
			acct = seedEarn(t, a, "acme")
		})
		r := mustRun(t, d.with("ledger", "check")...)
		if !strings.Contains(r.out, "OK") {
			t.Fatalf("check output: %v", r)
		}
		r = mustRun(t, d.with("jobs", "run", "expire", "--at", "2031-01-01T00:00:00Z")...)
		if !strings.Contains(r.out, "acme: 1 lots expired") {
			t.Fatalf("jobs output: %v", r)
		}
		r = mustRun(t, d.with("jobs", "run", "all", "--at", "2031-01-01T00:00:00Z", "--tenant", "acme")...)
		if !strings.Contains(r.out, "acme: 0 lots expired") {
			t.Fatalf("second run: %v", r)
		}
		mustRun(t, d.with("ledger", "check", "--tenant", "acme")...)
		d.open(t, func(a *app.App) {
			if err := a.DB.Exec(context.Background(), `UPDATE ledger_accounts SET available = available + 7 WHERE id = $1`, acct); err != nil {
				t.Fatal(err)
			}
		})
		r = run(t, d.with("ledger", "check")...)
		if r.code != 1 || !strings.Contains(r.out, "balance_mismatch") || !strings.Contains(r.out, acct) {
			t.Fatalf("check of a corrupted ledger: %v", r)
		}
		if r := run(t, d.with("ledger", "check", "--tenant", "nope")...); r.code != 1 || !strings.Contains(r.errOut, `no tenant "nope"`) {
			t.Fatalf("unknown tenant: %v", r)
		}
		if r := run(t, d.with("jobs", "run", "expire", "--at", "yesterday")...); r.code == 0 {
			t.Fatalf("a bad --at was accepted: %v", r)
		}
	})
}

// seedEarn gives an organization of the tenant 100 points expiring in a
// year and returns the wallet's account id.
func seedEarn(t *testing.T, a *app.App, slug string) string {
	t.Helper()
	ctx := context.Background()
	tn, err := a.Tenants.TenantBySlug(ctx, slug)
	if err != nil {
		t.Fatal(err)
	}
	p := access.System(tn.ID)
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Club"})
	if err != nil {
		t.Fatal(err)
	}
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points", Currency: "GBP", Expiry: "months:12"})
	if err != nil {
		t.Fatal(err)
	}
	o, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: "Dealer"})
	if err != nil {
		t.Fatal(err)
	}
	tr, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "seed", Owner: ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID},
		PointTypeID: pt.ID, Amount: 100, EffectiveAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return tr.Postings[0].AccountID
}

// `loyal jobs run` goes past a lot it cannot expire (its transaction id
// was taken before client keys had a namespace of their own): it expires
// the others, names the skipped lot, and exits 1.
func TestJobsRunReportsSkippedRows(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		var bad string
		d.open(t, func(a *app.App) {
			ctx := context.Background()
			acct := seedEarn(t, a, "acme")
			tn, err := a.Tenants.TenantBySlug(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			p := access.System(tn.ID)
			w, err := a.Ledger.GetAccount(ctx, p, acct)
			if err != nil {
				t.Fatal(err)
			}
			second, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: "seed-2", Owner: ledger.Owner{Type: w.OwnerType, ID: w.OwnerID},
				PointTypeID: w.PointTypeID, Amount: 50, EffectiveAt: time.Now()})
			if err != nil {
				t.Fatal(err)
			}
			bad = second.Lots[0].ID
			storetest.InsertLedgerTx(t, a.DB, tn.ID, ledger.TxID(tn.ID, "expire:"+bad), "expire:"+bad)
		})
		r := run(t, d.with("jobs", "run", "expire", "--at", "2031-01-01T00:00:00Z")...)
		if r.code != 1 || !strings.Contains(r.out, "acme: 1 lots expired") || !strings.Contains(r.errOut, "skipped 1 rows") ||
			!strings.Contains(r.errOut, bad) {
			t.Fatalf("jobs run with a bad lot: %v", r)
		}
	})
}
