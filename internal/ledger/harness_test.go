package ledger_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

var t0 = time.Date(2027, 1, 10, 12, 0, 0, 0, time.UTC)

// fx is a tenant with a program, one point type, a holding with a branch,
// and a member of the branch.
type fx struct {
	t       tb
	ctx     context.Context
	app     *app.App
	led     *ledger.Service
	clk     *clock.Fake
	p       access.Principal
	pt      ledger.PointType
	holding ledger.Owner
	branch  ledger.Owner
	member  ledger.Owner
	n       int
}

// each runs fn on every engine with a fresh fixture whose point type is
// made from in.
func each(t *testing.T, in ledger.PointTypeInput, fn func(t *testing.T, f *fx)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) { fn(t, newFx(t, db, "acme", in)) })
}

// newFx makes a fixture in a new tenant with the given slug.
func newFx(t tb, db *store.DB, slug string, in ledger.PointTypeInput) *fx {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(t0)
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
	f := &fx{t: t, ctx: ctx, app: a, led: a.Ledger, clk: clk}
	tn, err := a.Tenants.CreateTenant(ctx, slug, "Acme")
	must(t, err)
	sys := access.System(tn.ID)
	st, err := a.Tenants.CreateStaff(ctx, sys, tenant.StaffInput{Email: "ann@acme.example", Name: "Ann", Role: tenant.RoleSupport})
	must(t, err)
	f.p = access.Principal{TenantID: tn.ID, ActorType: access.ActorAPIKey, ActorID: "key-ann", StaffID: st.ID, Scope: access.ScopeAdmin}
	prog, err := a.Programs.Create(ctx, sys, program.Input{Name: "Club"})
	must(t, err)
	h, err := a.Party.CreateOrganization(ctx, sys, party.OrgInput{Type: party.Distributor, Name: "Holding"})
	must(t, err)
	b, err := a.Party.CreateOrganization(ctx, sys, party.OrgInput{Type: party.Distributor, Name: "Branch", ParentID: h.ID})
	must(t, err)
	m, err := a.Party.CreateMember(ctx, sys, party.MemberInput{OrganizationID: b.ID, Name: "Rep", Roles: []party.Role{party.RoleSales}})
	must(t, err)
	f.holding = ledger.Owner{Type: ledger.OwnerOrganization, ID: h.ID}
	f.branch = ledger.Owner{Type: ledger.OwnerOrganization, ID: b.ID}
	f.member = ledger.Owner{Type: ledger.OwnerMember, ID: m.ID}
	if in.Code == "" {
		in.Code = "points"
	}
	if in.Name == "" {
		in.Name = "Points"
	}
	if in.Unit == "" {
		in.Unit = "points"
	}
	if in.Currency == "" {
		in.Currency = "GBP"
	}
	if in.ValueNum == 0 {
		in.ValueNum = 1
	}
	f.pt, err = a.Ledger.CreatePointType(ctx, sys, prog.ID, in)
	must(t, err)
	return f
}

// tb is what the fixture needs of a test: a *testing.T or a *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Errorf(format string, args ...any)
	FailNow()
}

func must(t tb, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// key returns a fresh idempotency key.
func (f *fx) key() string {
	f.n++
	return fmt.Sprintf("key-%d", f.n)
}

func (f *fx) earn(o ledger.Owner, amount int64) ledger.Transaction {
	f.t.Helper()
	tr, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: f.key(), Owner: o, PointTypeID: f.pt.ID, Amount: amount})
	must(f.t, err)
	return tr
}

func (f *fx) earnExpiring(o ledger.Owner, amount int64, at time.Time) ledger.Transaction {
	f.t.Helper()
	tr, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: f.key(), Owner: o, PointTypeID: f.pt.ID, Amount: amount, ExpiresAt: &at})
	must(f.t, err)
	return tr
}

func (f *fx) spend(o ledger.Owner, amount int64) (ledger.Transaction, error) {
	return f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: f.key(), Owner: o, PointTypeID: f.pt.ID, Amount: amount})
}

func (f *fx) reverse(txID string) (ledger.Transaction, error) {
	return f.led.Reverse(f.ctx, f.p, ledger.ReverseInput{IdemKey: f.key(), TxID: txID, Reason: "test"})
}

// bal returns an owner's available and pending points.
func (f *fx) bal(o ledger.Owner) (int64, int64) {
	f.t.Helper()
	bs, err := f.led.Balances(f.ctx, f.p, o, 0)
	must(f.t, err)
	for _, b := range bs {
		if b.PointType.ID == f.pt.ID {
			return b.Account.Available, b.Account.Pending
		}
	}
	return 0, 0
}

func (f *fx) wantBal(o ledger.Owner, avail, pending int64) {
	f.t.Helper()
	if a, p := f.bal(o); a != avail || p != pending {
		f.t.Fatalf("balance %d available, %d pending; want %d, %d", a, p, avail, pending)
	}
}

// system returns the balance of a system account.
func (f *fx) system(kind string) int64 {
	f.t.Helper()
	a, err := f.led.GetAccount(f.ctx, f.p, ledger.SystemAccountID(f.pt.ID, kind))
	must(f.t, err)
	return a.Available
}

// check fails the test if the ledger breaks an invariant.
func (f *fx) check() {
	f.t.Helper()
	probs, err := f.led.Check(f.ctx, "")
	must(f.t, err)
	for _, p := range probs {
		f.t.Errorf("ledger check: %s %s: %s", p.Kind, p.Entity, p.Detail)
	}
	if len(probs) > 0 {
		f.t.FailNow()
	}
}

// wantErr checks an error's kind and code.
func wantErr(t tb, err error, kind errs.Kind, code string) {
	t.Helper()
	e := errs.As(err)
	if err == nil || e == nil || e.Kind != kind || (code != "" && e.Code != code) {
		t.Fatalf("error %v, want %s %s", err, kind, code)
	}
}

// colleague is a second staff user (finance) with an API key of their
// own, made by the system before anything they approve is asked for.
func (f *fx) colleague(email string) access.Principal {
	f.t.Helper()
	sys := access.System(f.p.TenantID)
	st, err := f.app.Tenants.CreateStaff(f.ctx, sys, tenant.StaffInput{Email: email, Name: email, Role: tenant.RoleFinance})
	must(f.t, err)
	k, _, err := f.app.Tenants.CreateKey(f.ctx, sys, tenant.KeyInput{Name: email, Scope: access.ScopeWrite, StaffID: st.ID})
	must(f.t, err)
	f.clk.Advance(time.Second)
	return access.Principal{TenantID: f.p.TenantID, ActorType: access.ActorAPIKey, ActorID: k.ID, StaffID: st.ID, Scope: access.ScopeWrite, Role: access.RoleFinance}
}
