package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A campaign to a segment × roles reaches exactly those people, each in
// their language; the audience is counted before sending.
func TestCampaignReachesItsSegmentAndRoles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, noon)
		ctx := context.Background()
		ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: w.clk}
		south, _ := ps.CreateOrganization(ctx, w.p, party.OrgInput{Type: "dealer", Name: "Southern Dealer"})
		if _, err := ps.CreateMember(ctx, w.p, party.MemberInput{OrganizationID: south.ID, Name: "Dan Foreman", Roles: []party.Role{party.RoleForeman}, Email: "dan@example.com"}); err != nil {
			t.Fatal(err)
		}
		seg := segment.Segment{ID: "seg-north", TenantID: w.p.TenantID, Code: "north", Name: "North", CreatedAt: noon, UpdatedAt: noon}
		err := db.Write(ctx, func(tx *store.Tx) error {
			if err := tx.InsertSegment(ctx, seg); err != nil {
				return err
			}
			return tx.ReplaceSegmentMembers(ctx, w.p.TenantID, seg.ID, []string{w.org.ID})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, tp := range []notify.Template{
			{Code: "spring", Channel: "email", Lang: "en", Subject: "Spring offer for {{organization.name}}", Body: "Hello {{person.first_name}}"},
			{Code: "spring", Channel: "email", Lang: "ru", Subject: "Весеннее предложение", Body: "Здравствуйте, {{person.first_name}}"},
		} {
			if _, err := w.svc.CreateTemplate(ctx, w.p, tp); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.CreateCampaign(ctx, w.p, notify.Campaign{Name: "x", Template: "spring", SegmentID: "nope"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("an unknown segment: %v", err)
		}
		c, err := w.svc.CreateCampaign(ctx, w.p, notify.Campaign{Name: "Spring", Template: "spring", SegmentID: seg.ID, Roles: []string{"owner", "foreman"}})
		if err != nil {
			t.Fatal(err)
		}
		if n, err := w.svc.AudienceCount(ctx, w.p, c.ID); n != 2 || err != nil {
			t.Fatalf("audience %d %v, want Ann and Boris", n, err)
		}
		at := noon.Add(time.Hour)
		if c, err = w.svc.SendCampaign(ctx, w.p, c.ID, &at); err != nil || c.Status != notify.CampaignScheduled {
			t.Fatalf("%+v %v", c, err)
		}
		if n, _ := w.svc.SendDue(ctx, w.p.TenantID, w.clk.Now()); n != 0 {
			t.Fatal("sent before its time")
		}
		w.clk.Advance(time.Hour)
		if n, err := w.svc.SendDue(ctx, w.p.TenantID, w.clk.Now()); n != 1 || err != nil {
			t.Fatalf("due: %d %v", n, err)
		}
		if _, err := w.svc.SendCampaign(ctx, w.p, c.ID, nil); !errs.Is(err, errs.Conflict) {
			t.Fatalf("sent twice: %v", err)
		}
		drain(t, w.relay)
		got := map[string]string{}
		for _, m := range w.smtp.Messages() {
			got[m.Rcpt[0]] = m.Subject
		}
		want := map[string]string{"ann@example.com": "Spring offer for Northern Dealer", "boris@example.com": "Весеннее предложение"}
		if len(got) != 2 || got["ann@example.com"] != want["ann@example.com"] || got["boris@example.com"] != want["boris@example.com"] {
			t.Fatalf("sent %v, want %v", got, want)
		}
		if len(w.inbox(t, "Cleo")) != 0 {
			t.Fatal("Cleo (sales) got the campaign")
		}
		if c, _ = w.svc.Campaign(ctx, w.p, c.ID); c.Audience != 2 || c.Status != notify.CampaignSent {
			t.Fatalf("%+v", c)
		}
	})
}
