package session_test

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// setup is a session service on a fake clock with one tenant.
func setup(t *testing.T, db *store.DB, svc session.Service) (*session.Service, *clock.Fake, string) {
	clk := clock.NewFake(time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC))
	tn := tenant.Tenant{ID: ids.New(), Slug: "acme", Name: "Acme", Status: "active", CreatedAt: clk.Now(), UpdatedAt: clk.Now()}
	if err := db.Write(context.Background(), func(tx *store.Tx) error { return tx.InsertTenant(context.Background(), tn) }); err != nil {
		t.Fatal(err)
	}
	svc.Store, svc.Clock = store.Bind[session.Tx](db), clk
	return &svc, clk, tn.ID
}

// alive reports whether a cookie still signs in.
func alive(t *testing.T, s *session.Service, cookie string) bool {
	t.Helper()
	_, err := s.Find(context.Background(), cookie)
	if err != nil && !errs.Is(err, errs.Unauthenticated) {
		t.Fatal(err)
	}
	return err == nil
}

// Staff sessions keep the console's policy, members' the portal's; each
// kind's absolute expiry is set at sign-in.
func TestEachKindHasItsPolicy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, clk, tn := setup(t, db, session.Service{})
		ctx := context.Background()
		staff, ss, err := s.Start(ctx, tn, session.Staff, "u1", "ua", "1.2.3.4")
		if err != nil {
			t.Fatal(err)
		}
		member, ms, err := s.Start(ctx, tn, session.Member, "m1", "ua", "1.2.3.4")
		if err != nil {
			t.Fatal(err)
		}
		if ss.ExpiresAt.Sub(ss.CreatedAt) != 12*time.Hour || ms.ExpiresAt.Sub(ms.CreatedAt) != 90*24*time.Hour {
			t.Fatalf("absolute expiries: staff %v, member %v", ss.ExpiresAt.Sub(ss.CreatedAt), ms.ExpiresAt.Sub(ms.CreatedAt))
		}
		clk.Advance(30*time.Minute + time.Second)
		if alive(t, s, staff) || !alive(t, s, member) {
			t.Fatal("after 30 idle minutes the staff session should end and the member's live on")
		}
		clk.Advance(30*24*time.Hour - time.Minute)
		if !alive(t, s, member) {
			t.Fatal("a member's session ended before 30 idle days")
		}
		clk.Advance(30 * 24 * time.Hour)
		if alive(t, s, member) {
			t.Fatal("a member's session outlived 30 idle days")
		}
	})
}

// A service's own policies replace the defaults, kind by kind.
func TestPoliciesCanBeSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		s, clk, tn := setup(t, db, session.Service{MemberPolicy: session.Policy{Idle: time.Hour, Absolute: 2 * time.Hour}})
		ctx := context.Background()
		member, _, err := s.Start(ctx, tn, session.Member, "m1", "", "")
		if err != nil {
			t.Fatal(err)
		}
		staff, _, err := s.Start(ctx, tn, session.Staff, "u1", "", "")
		if err != nil {
			t.Fatal(err)
		}
		clk.Advance(45 * time.Minute)
		if !alive(t, s, member) || alive(t, s, staff) {
			t.Fatal("after 45 minutes: the member's 1-hour idle session should live, staff's default 30 minutes end")
		}
		clk.Advance(time.Hour + time.Second)
		if alive(t, s, member) {
			t.Fatal("the member's session outlived its set idle hour")
		}
	})
}
