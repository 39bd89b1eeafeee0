package portal_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/signup"
)

func joinValues(phone string) url.Values {
	return url.Values{"name": {"Nora Newcomer"}, "phone": {phone}, "email": {""}, "company": {"Newbuild Ltd"}, "role": {"owner"}}
}

// A newcomer opens a referral link, registers, types the code sent to her
// phone and sees her card; the referral is recorded.
func TestRegistrationWithReferralIssuesTheCard(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		code, err := s.app.Referrals.CodeOf(ctx, s.sys, referral.OwnerMember, s.director.ID)
		must(t, err)
		b := s.browser()
		r := b.get(code.Link())
		want := "/p/acme/join/" + s.program.ID + "?ref=" + code.Code
		if r.status != http.StatusSeeOther || r.where != want {
			t.Fatalf("referral link: %d %s, want %s", r.status, r.where, want)
		}
		if form := b.get(want); !strings.Contains(form.body, `value="`+code.Code+`"`) {
			t.Fatalf("the code is not filled in:\n%s", form.body)
		}
		v := joinValues("+44 7700 900777")
		v.Set("referral", code.Code)
		if r := b.post("/p/acme/join/"+s.program.ID, v); r.status != http.StatusOK || !strings.Contains(r.body, `name="code"`) {
			t.Fatalf("register: %d\n%s", r.status, r.body)
		}
		r = b.post("/p/acme/code", url.Values{"address": {"+447700900777"}, "code": {s.lastCode("+447700900777")}})
		if r.status != http.StatusSeeOther {
			t.Fatalf("code: %d %s", r.status, r.body)
		}
		if card := b.get("/p/"); !strings.Contains(card.body, "Nora Newcomer") || !strings.Contains(card.body, `class="qr"`) {
			t.Fatalf("card:\n%s", card.body)
		}
		refs, err := s.app.Referrals.ListBy(ctx, s.sys, s.brick.ID, pageReq())
		must(t, err)
		if len(refs.Items) != 1 {
			t.Fatalf("referrals of the referrer's company: %+v", refs.Items)
		}
		ms, err := s.app.Party.ListMembers(ctx, s.sys, party.MemberFilter{Query: "Nora"}, pageReq())
		must(t, err)
		cd, err := s.app.Cards.Of(ctx, s.sys, s.program.ID, "member", ms.Items[0].ID)
		must(t, err)
		if card := b.get("/p/"); !strings.Contains(card.body, cd.Number) || !strings.Contains(card.body, "/p/wallet/apple/"+cd.Serial+".pkpass") {
			t.Fatalf("the card page does not show the issued card %s", cd.Number)
		}
	})
}

// Twenty registrations with one phone at once create one member, and
// every one of them gets the same answer.
func TestParallelRegistrationsWithOnePhoneCreateOneMember(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		var wg sync.WaitGroup
		statuses := make([]int, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				statuses[i] = s.browser().post("/p/acme/join/"+s.program.ID, joinValues("+44 7700 900555")).status
			}()
		}
		wg.Wait()
		ms, err := s.app.Party.ListMembers(context.Background(), s.sys, party.MemberFilter{Query: "Nora"}, pageReq())
		must(t, err)
		if len(ms.Items) != 1 {
			t.Fatalf("%d members for one phone", len(ms.Items))
		}
		for i, st := range statuses {
			if st != http.StatusOK && st != http.StatusTooManyRequests {
				t.Fatalf("registration %d answered %d", i, st)
			}
		}
		// The form lets five through per address; the service, twenty.
		ids := make([]string, 20)
		for i := range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := signup.Input{Values: map[string]string{"name": "Otto Other", "phone": "+44 7700 900556", "company": "Otto Ltd"}}
				res, err := s.app.Signup.Register(context.Background(), s.sys.TenantID, s.program.ID, in)
				if err != nil {
					t.Error(err)
				}
				ids[i] = res.Member.ID
			}()
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] || id == "" {
				t.Fatalf("parallel registrations answered different members: %v", ids)
			}
		}
		ms, err = s.app.Party.ListMembers(context.Background(), s.sys, party.MemberFilter{Query: "Otto"}, pageReq())
		must(t, err)
		if len(ms.Items) != 1 {
			t.Fatalf("%d members for one phone", len(ms.Items))
		}
	})
}

func TestRegistrationRefusesBadFieldsAndBots(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		b := s.browser()
		v := joinValues("12")
		v.Set("name", "")
		r := b.post("/p/acme/join/"+s.program.ID, v)
		if r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-phone"`) || !strings.Contains(r.body, `id="e-name"`) {
			t.Fatalf("bad fields: %d\n%s", r.status, r.body)
		}
		v = joinValues("+44 7700 900888")
		v.Set("referral", "NOSUCHCODE")
		if r := b.post("/p/acme/join/"+s.program.ID, v); r.status != http.StatusUnprocessableEntity || !strings.Contains(r.body, `id="e-referral"`) {
			t.Fatalf("unknown referral: %d\n%s", r.status, r.body)
		}
		v = joinValues("+44 7700 900999")
		v.Set("website", "http://spam.example")
		if r := b.post("/p/acme/join/"+s.program.ID, v); r.status != http.StatusOK {
			t.Fatalf("a bot: %d", r.status)
		}
		ms, err := s.app.Party.ListMembers(context.Background(), s.sys, party.MemberFilter{Query: "Nora"}, pageReq())
		must(t, err)
		if len(ms.Items) != 0 {
			t.Fatalf("refused registrations wrote members: %+v", ms.Items)
		}
	})
}

// Registering with a member's phone says nothing new: the same page, and
// the code goes to the member already holding it.
func TestRegistrationWithKnownPhoneRevealsNothing(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		v := joinValues(s.foreman.Phone)
		known := s.browser().post("/p/acme/join/"+s.program.ID, v)
		fresh := s.browser().post("/p/acme/join/"+s.program.ID, joinValues("+44 7700 900444"))
		if known.status != fresh.status || stripTokens(known.body, s.foreman.Phone) != stripTokens(fresh.body, "+447700900444") {
			t.Fatalf("a known phone answers differently:\n%s\n----\n%s", known.body, fresh.body)
		}
		ms, _ := s.app.Party.ListMembers(context.Background(), s.sys, party.MemberFilter{OrganizationID: s.brick.ID}, pageReq())
		if len(ms.Items) != 2 {
			t.Fatalf("a duplicate was created: %d members", len(ms.Items))
		}
		if s.lastCode(s.foreman.Phone) == "" {
			t.Fatal("no code to the holder of the phone")
		}
	})
}

// Typing a known company's tax id does not join that company: a new one
// waits for the operator, and the registrant sees nothing of the other's.
func TestRegistrationWithKnownTaxIDDoesNotJoinThatCompany(t *testing.T) {
	each(t, func(t *testing.T, s *site) {
		ctx := context.Background()
		tax := "GB123456789"
		_, err := s.app.Party.UpdateOrganization(ctx, s.sys, s.brick.ID, party.OrgPatch{TaxID: &tax})
		must(t, err)
		s.earn(s.foreman, 500, "Brick's own business")
		form, err := s.app.Signup.GetForm(ctx, s.sys, s.program.ID)
		must(t, err)
		form.Fields = append(form.Fields, signup.Field{Name: "tax_id"})
		_, err = s.app.Signup.PutForm(ctx, s.sys, s.program.ID, form)
		must(t, err)
		res, err := s.app.Signup.Register(ctx, s.sys.TenantID, s.program.ID, signup.Input{Values: map[string]string{
			"name": "Mallory", "phone": "+44 7700 900321", "company": "Brick & Beam Ltd", "tax_id": tax, "role": "owner"}})
		must(t, err)
		if res.Organization == s.brick.ID {
			t.Fatal("a stranger joined a company by typing its tax id")
		}
		o, err := s.app.Party.GetOrganization(ctx, s.sys, res.Organization)
		must(t, err)
		if o.Status != party.OrgSuspended || len(o.Tags) != 1 || o.Tags[0] != signup.TagKnownTaxID {
			t.Fatalf("the new organization %+v does not wait for review", o)
		}
	})
}
