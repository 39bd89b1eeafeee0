package notify_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The audience before sending is counted in total and by role: by the
// campaign's roles, or by every role someone holds for a campaign to any
// role; a person with two roles counts under both.
func TestAudienceByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, noon)
		ctx := context.Background()
		ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: w.clk}
		if _, err := ps.CreateMember(ctx, w.p, party.MemberInput{OrganizationID: w.org.ID, Name: "Olly Owner-Foreman",
			Roles: []party.Role{party.RoleOwner, party.RoleForeman}}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			roles []string
			want  string
		}{
			{[]string{"foreman", "owner"}, "3 [{foreman 2} {owner 2}]"},
			{[]string{"engineer"}, "0 []"},
			{nil, "4 [{owner 2} {sales 1} {foreman 2}]"},
		} {
			c, err := w.svc.CreateCampaign(ctx, w.p, notify.Campaign{Name: "x", Template: "spring", Roles: tc.roles})
			if err != nil {
				t.Fatal(err)
			}
			a, err := w.svc.AudienceByRole(ctx, w.p, c.ID)
			if got := fmt.Sprintf("%d %v", a.Total, a.ByRole); err != nil || got != tc.want {
				t.Errorf("roles %v: %s %v, want %s", tc.roles, got, err, tc.want)
			}
		}
		if _, err := w.svc.AudienceByRole(ctx, w.p, "nope"); !errs.Is(err, errs.NotFound) {
			t.Errorf("an unknown campaign: %v", err)
		}
		if _, err := w.svc.AudienceByRole(ctx, access.Principal{TenantID: w.p.TenantID}, "nope"); !errs.Is(err, errs.Forbidden) {
			t.Errorf("no rights: %v", err)
		}
	})
}
