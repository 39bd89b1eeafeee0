package admin_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/store"
)

// The campaigns page lists sent campaigns with their reach, shows one by
// role and by segment, and exports the same counts as the API's CSV.
func TestCampaignReachPage(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		ctx := context.Background()
		for _, in := range []party.MemberInput{{Name: "Fred Foreman", Roles: []party.Role{party.RoleForeman}}, {Name: "Olga Owner", Roles: []party.Role{party.RoleOwner}}} {
			in.OrganizationID = c.tomOrg.ID
			_, err := c.app.Party.CreateMember(ctx, c.sys, in)
			must(t, err)
		}
		_, err := c.app.Party.CreateMember(ctx, c.sys, party.MemberInput{OrganizationID: c.veraOrg.ID, Name: "Vic Foreman", Roles: []party.Role{party.RoleForeman}})
		must(t, err)
		now := c.clock.Now()
		must(t, c.app.DB.Write(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSegment(ctx, segment.Segment{ID: "seg-n", TenantID: c.sys.TenantID, Code: "northern", Name: "Northern dealers", CreatedAt: now, UpdatedAt: now}); err != nil {
				return err
			}
			return tx.ReplaceSegmentMembers(ctx, c.sys.TenantID, "seg-n", []string{c.tomOrg.ID})
		}))
		camp, err := c.app.Notify.CreateCampaign(ctx, c.sys, notify.Campaign{Name: "Spring offer", Template: "spring", Roles: []string{"foreman"}})
		must(t, err)
		_, err = c.app.Notify.SendCampaign(ctx, c.sys, camp.ID, nil)
		must(t, err)
		for n, err := c.app.Relay.RunOnce(ctx); n > 0; n, err = c.app.Relay.RunOnce(ctx) {
			must(t, err)
		}
		b := c.browser().signIn("program_manager")
		list := b.get("/admin/analytics/campaigns")
		if list.status != http.StatusOK || !strings.Contains(list.body, `href="/admin/analytics/campaigns?campaign=`+camp.ID+`">Spring offer</a>`) {
			t.Fatalf("the list: %d\n%.3000s", list.status, list.body)
		}
		one := b.get("/admin/analytics/campaigns?campaign=" + camp.ID)
		if one.status != http.StatusOK || !strings.Contains(one.body, "Northern dealers") || !strings.Contains(one.body, "<svg") {
			t.Fatalf("one campaign: %d\n%.3000s", one.status, one.body)
		}
		file := b.get("/admin/analytics/campaigns?campaign=" + camp.ID + "&format=csv")
		rows, err := csv.NewReader(strings.NewReader(file.body)).ReadAll()
		must(t, err)
		want := [][]string{{"segment_id", "segment", "role", "audience", "delivered", "opened", "clicked"},
			{"", "", "", "2", "2", "0", "0"}, {"", "", "foreman", "2", "2", "0", "0"},
			{"seg-n", "Northern dealers", "", "1", "1", "0", "0"}, {"seg-n", "Northern dealers", "foreman", "1", "1", "0", "0"}}
		if len(rows) != len(want) {
			t.Fatalf("CSV %q", rows)
		}
		for i := range want {
			if strings.Join(rows[i], ",") != strings.Join(want[i], ",") {
				t.Fatalf("CSV row %d: %q, want %q", i, rows[i], want[i])
			}
		}
		if p := b.get("/admin/analytics/campaigns?campaign=nope"); p.status != http.StatusNotFound {
			t.Fatalf("an unknown campaign: %d", p.status)
		}
	})
}
