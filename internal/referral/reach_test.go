package referral_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager reads codes, registers referrals and lists them for
// their own organizations only.
func TestAccountManagerReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx, refs := t.Context(), f.App.Referrals
		_, err := refs.CodeOf(ctx, f.Tom, referral.OwnerMember, f.VeraMember.ID)
		reachtest.Refused(t, "a member's code", err)
		_, err = refs.CodeOf(ctx, f.Tom, referral.OwnerOrganization, f.VeraOrg.ID)
		reachtest.Refused(t, "an organization's code", err)
		code, err := refs.CodeOf(ctx, f.Tom, referral.OwnerOrganization, f.TomOrg.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = refs.Register(ctx, f.Tom, code.Code, f.VeraOrg.ID)
		reachtest.Refused(t, "registering a referral", err)
		newcomer, err := f.App.Party.CreateOrganization(ctx, f.Sys, party.OrgInput{Type: party.Dealer, Name: "Newcomer", ExternalID: "R-9", AccountManagerID: f.Tom.StaffID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := refs.Register(ctx, f.Tom, code.Code, newcomer.ID); err != nil {
			t.Errorf("registering his own newcomer: %v", err)
		}
		_, err = refs.ListBy(ctx, f.Tom, f.VeraOrg.ID, page.Request{Limit: 10})
		reachtest.Refused(t, "listing referrals", err)
		if pg, err := refs.ListBy(ctx, f.Tom, f.TomOrg.ID, page.Request{Limit: 10}); err != nil || len(pg.Items) != 1 {
			t.Errorf("his own organization's referrals: %v %v", pg.Items, err)
		}
	})
}
