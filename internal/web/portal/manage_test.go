package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/reward"
)

// The director accepts the terms, sees the foreman's points, and approves
// his redemption; every step is recorded with who and when.
func TestDirectorAcceptsTermsSeesPointsAndApprovesRedemption(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		s.earn(s.foreman, 300, "claim INV-7 approved")
		dir := s.browser().signIn(s.director)
		if r := dir.post("/p/manage/terms/"+s.program.ID+"/accepted", url.Values{"title": {"Managing director"}}); r.status != http.StatusSeeOther {
			t.Fatalf("accept: %d\n%s", r.status, r.body)
		}
		rep, err := s.app.Party.ConsentStatus(ctx, s.sys, s.brick.ID, s.program.ID)
		must(t, err)
		if !rep.States[0].Granted() || rep.History[0].MemberID != s.director.ID || rep.History[0].Method != party.ViaPortal {
			t.Fatalf("consent: %+v", rep)
		}
		if page := dir.get("/p/manage/terms"); !strings.Contains(page.body, "Diana Director") {
			t.Fatalf("the record does not say who accepted:\n%s", page.body)
		}
		people := dir.get("/p/manage/people")
		if !strings.Contains(people.body, "Ivan Foreman") || !strings.Contains(people.body, "<td>300</td>") {
			t.Fatalf("transparency lacks the foreman's 300 points:\n%s", people.body)
		}
		csv := dir.get("/p/manage/people?format=csv")
		if !strings.Contains(csv.body, s.foreman.ID+",Ivan Foreman,foreman,300,0,300") {
			t.Fatalf("csv:\n%s", csv.body)
		}
		// The foreman redeems at his role's price; it waits for the director.
		fore := s.browser().signIn(s.foreman)
		if r := fore.post("/p/rewards/"+s.drill.ID+"/redeem", url.Values{}); r.status != http.StatusSeeOther || !strings.Contains(r.where, "redeem_waiting") {
			t.Fatalf("redeem: %d %s\n%s", r.status, r.where, r.body)
		}
		if page := fore.get("/p/rewards"); !strings.Contains(page.body, "Waiting for your director") {
			t.Fatalf("the foreman does not see the waiting status:\n%s", page.body)
		}
		reds, err := s.app.Rewards.ListRedemptions(ctx, s.sys, reward.RedemptionFilter{MemberID: s.foreman.ID}, pageReq())
		must(t, err)
		red := reds.Items[0]
		if red.Points != 80 || red.Status != reward.AwaitingManagement {
			t.Fatalf("redemption %+v", red)
		}
		if page := dir.get("/p/manage/approvals"); !strings.Contains(page.body, "Cordless drill") {
			t.Fatalf("the director's inbox:\n%s", page.body)
		}
		if r := dir.post("/p/manage/approvals/"+red.ID+"/approve", url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("approve: %d\n%s", r.status, r.body)
		}
		red, err = s.app.Rewards.GetRedemption(ctx, s.sys, red.ID)
		must(t, err)
		if red.Status == reward.AwaitingManagement || red.Steps[len(red.Steps)-1].MemberID != s.director.ID {
			t.Fatalf("after approval: %+v", red)
		}
	})
}

// A member who is not management gets 403 on every management page and
// action; management reaches only its own organization.
func TestEveryActionChecksRoleAndOrganization(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		fore := s.browser().signIn(s.foreman)
		for _, path := range []string{"/p/manage/terms", "/p/manage/team", "/p/manage/people", "/p/manage/approvals", "/p/manage/organization"} {
			if r := fore.get(path); r.status != http.StatusForbidden {
				t.Fatalf("a foreman opened %s: %d", path, r.status)
			}
		}
		if r := fore.post("/p/manage/terms/"+s.program.ID+"/accepted", url.Values{}); r.status != http.StatusForbidden {
			t.Fatalf("a foreman accepted the terms: %d", r.status)
		}
		if r := fore.post("/p/manage/team/"+s.director.ID, url.Values{"status": {"inactive"}}); r.status != http.StatusForbidden {
			t.Fatalf("a foreman deactivated the director: %d", r.status)
		}
		// Another organization's director cannot touch Brick's people or redemptions.
		s.earn(s.foreman, 100, "bonus")
		fore.post("/p/rewards/"+s.drill.ID+"/redeem", url.Values{})
		reds, err := s.app.Rewards.ListRedemptions(context.Background(), s.sys, reward.RedemptionFilter{MemberID: s.foreman.ID}, pageReq())
		must(t, err)
		vera := s.browser().signIn(s.other)
		if r := vera.post("/p/manage/team/"+s.foreman.ID, url.Values{"status": {"inactive"}}); r.status != http.StatusNotFound {
			t.Fatalf("another company's director changed the foreman: %d", r.status)
		}
		if r := vera.post("/p/manage/approvals/"+reds.Items[0].ID+"/approve", url.Values{}); r.status != http.StatusNotFound {
			t.Fatalf("another company's director approved: %d", r.status)
		}
		if page := vera.get("/p/manage/people"); strings.Contains(page.body, "Ivan Foreman") {
			t.Fatal("another company's director sees the foreman")
		}
		m, err := s.app.Party.GetMember(context.Background(), s.sys, s.foreman.ID)
		must(t, err)
		if m.Status != party.MemberActive {
			t.Fatal("the foreman was deactivated")
		}
	})
}

func TestDirectorInvitesAndDeactivatesEmployee(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		dir := s.browser().signIn(s.director)
		r := dir.post("/p/manage/team", url.Values{"name": {"Nina New"}, "email": {"nina@brick.example"}, "role": {"sales"}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("invite: %d\n%s", r.status, r.body)
		}
		nina := s.browser()
		sent := s.mailer.Sent()
		last := sent[len(sent)-1]
		i := strings.Index(last.Text, "/p/acme/link/")
		if last.To != "nina@brick.example" || i < 0 {
			t.Fatalf("no invitation link: %+v", last)
		}
		link := strings.Fields(last.Text[i:])[0]
		if r := nina.post(link, url.Values{}); r.status != http.StatusSeeOther {
			t.Fatalf("the invitation link: %d %s", r.status, r.body)
		}
		ms, _ := s.app.Party.ListMembers(context.Background(), s.sys, party.MemberFilter{Query: "Nina"}, pageReq())
		if r := dir.post("/p/manage/team/"+ms.Items[0].ID, url.Values{"status": {"inactive"}}); r.status != http.StatusSeeOther {
			t.Fatalf("deactivate: %d %s", r.status, r.body)
		}
		if r := nina.get("/p/"); r.status != http.StatusSeeOther {
			t.Fatalf("a deactivated member still sees the card: %d", r.status)
		}
	})
}

// A member's pages show only their own data: another member's points,
// history, claims and redemptions never appear, whatever the company.
func TestMemberSeesOnlyTheirOwnData(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		s.earn(s.foreman, 300, "secret bonus for Ivan")
		_, err := s.app.Rewards.Redeem(context.Background(), memberP(s, s.foreman), reward.RedeemInput{ItemID: s.drill.ID,
			Organization: s.brick.ID, Member: s.foreman.ID, Quantity: 1})
		must(t, err)
		for _, m := range []party.Member{s.director, s.other} { // his own director, and another company's
			b := s.browser().signIn(m)
			for _, p := range []string{"/p/", "/p/history", "/p/rewards", "/p/claims"} {
				if r := b.get(p); strings.Contains(r.body, "secret bonus for Ivan") || strings.Contains(r.body, ">300<") {
					t.Fatalf("%s sees the foreman's data on %s", m.Name, p)
				}
			}
		}
		// The API refuses a member principal what the portal does not offer.
		if _, err := s.app.Ledger.Earn(context.Background(), memberP(s, s.foreman), ledger.EarnInput{IdemKey: "x",
			Owner: ledger.Owner{Type: ledger.OwnerMember, ID: s.foreman.ID}, PointTypeID: s.pt.ID, Amount: 1}); err == nil {
			t.Fatal("a member principal moved points")
		}
	})
}
