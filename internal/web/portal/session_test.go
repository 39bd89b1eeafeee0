package portal_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/session"
)

// Members keep their session as a phone app does: past the console's 12
// hours, through 29 idle days, and end after 30 idle days or 90 days in
// all; the staff's 30 minutes (tested in the console) do not apply.
func TestMemberSessionsLastLikeAnApp(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		clk := s.clock.(*clock.Fake)
		b := s.browser().signIn(s.foreman)
		clk.Advance(session.DefaultPolicy.Absolute + time.Hour)
		if r := b.get("/p/"); r.status != http.StatusOK {
			t.Fatalf("a member's session ended at the console's limit: %d", r.status)
		}
		clk.Advance(session.MemberPolicy.Idle - time.Minute)
		if r := b.get("/p/"); r.status != http.StatusOK {
			t.Fatalf("a member's session ended before 30 idle days: %d", r.status)
		}
		clk.Advance(session.MemberPolicy.Idle + time.Second)
		if r := b.get("/p/"); r.status != http.StatusSeeOther {
			t.Fatalf("a member's session outlived 30 idle days: %d", r.status)
		}
		busy := s.browser().signIn(s.foreman)
		for range 91 {
			clk.Advance(24*time.Hour - time.Minute)
			if busy.get("/p/").status != http.StatusOK {
				break
			}
		}
		if r := busy.get("/p/"); r.status != http.StatusSeeOther {
			t.Fatalf("a member's session outlived 90 days: %d", r.status)
		}
	})
}

// The sessions job purges a member's session by the members' policy: an
// hour idle (long past the staff's 30 minutes) it stays and works.
func TestPurgeKeepsIdleMemberSessions(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		clk := s.clock.(*clock.Fake)
		tn, err := s.app.Tenants.Current(t.Context(), s.sys)
		must(t, err)
		b := s.browser().signIn(s.foreman)
		clk.Advance(time.Hour)
		if n, err := s.app.RunJob(t.Context(), session.JobPurge, tn, clk.Now()); err != nil || n != 0 {
			t.Fatalf("purged %d sessions (%v), want none", n, err)
		}
		if r := b.get("/p/"); r.status != http.StatusOK {
			t.Fatalf("the member's session was purged: %d", r.status)
		}
		clk.Advance(session.MemberPolicy.Idle)
		// The count includes the used sign-in code, purged by the same job.
		if n, err := s.app.RunJob(t.Context(), session.JobPurge, tn, clk.Now()); err != nil || n < 1 {
			t.Fatalf("purged %d sessions (%v), want the idle member's", n, err)
		}
		if r := b.get("/p/"); r.status != http.StatusSeeOther {
			t.Fatalf("a purged session still works: %d", r.status)
		}
	})
}
