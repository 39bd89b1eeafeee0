package portal_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestGeneratedMembersCardPage: the benchmark's bulk generator writes
// members whose card page works like any other's, and the page reads
// nothing tenant-wide (each read enters by an index; SQLite's plans are
// checked, since its planner has no statistics to steer it).
func TestGeneratedMembersCardPage(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	s := newSite(t, db, clock.System{})
	ctx := context.Background()
	spec := store.MemberGenSpec{TenantID: s.sys.TenantID, ProgramID: s.program.ID, PointTypeID: s.pt.ID, Members: 45, PerOrg: 20, Now: time.Now()}
	must(t, db.GenerateMembers(ctx, spec, nil))
	m, err := s.app.Party.GetMember(ctx, s.sys, store.GenMemberID(44))
	must(t, err)
	cs, err := s.app.Cards.ListOf(ctx, s.sys, card.OwnerMember, m.ID)
	must(t, err)
	if len(cs) != 1 || !card.ValidNumber(cs[0].Number) || m.Email != store.GenMemberEmail(44) {
		t.Fatalf("generated member %+v, cards %+v", m, cs)
	}
	r := s.sessionAs(m.ID).get("/p/")
	if r.status != http.StatusOK || !strings.Contains(r.body, "Dealer 2") || !strings.Contains(r.body, cs[0].Number[:4]) {
		t.Fatalf("generated member's card page: %d\n%s", r.status, r.body)
	}
	wide, err := db.WideReads(ctx)
	must(t, err)
	for q, plan := range wide {
		t.Errorf("the card page reads a tenant whole: %s\n  plan: %s", q, plan)
	}
}
