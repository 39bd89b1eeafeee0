package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/store"
)

func (c *console) messageCampaigns() []notify.Campaign {
	res, err := c.app.Notify.Campaigns(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// audienceFixture: owners and foremen at Tom's organization (in the
// "Northern dealers" segment) and a foreman at Vera's.
func (c *console) audienceFixture() {
	c.member(c.tomOrg, "Olga Owner", party.RoleOwner)
	c.member(c.tomOrg, "Fred Foreman", party.RoleForeman)
	c.member(c.tomOrg, "Sam Sales", party.RoleSales)
	c.member(c.veraOrg, "Vic Foreman", party.RoleForeman)
	ctx, now := c.t.Context(), c.clock.Now()
	must(c.t, c.app.DB.Write(ctx, func(tx *store.Tx) error {
		if err := tx.InsertSegment(ctx, segment.Segment{ID: "seg-n", TenantID: c.sys.TenantID, Code: "northern", Name: "Northern dealers", CreatedAt: now, UpdatedAt: now}); err != nil {
			return err
		}
		return tx.ReplaceSegmentMembers(ctx, c.sys.TenantID, "seg-n", []string{c.tomOrg.ID})
	}))
}

// springTemplate is a portal template "spring".
func (c *console) springTemplate() {
	_, err := c.app.Notify.CreateTemplate(c.t.Context(), c.sys, notify.Template{Code: "spring", Channel: "portal", Lang: "en", Subject: "Spring", Body: "Hello {{person.name}}"})
	must(c.t, err)
}

// A campaign to a segment and roles: bad input is refused by its field;
// its page counts the audience before anything is sent; sending needs the
// confirmation of that count, and then links to its reach.
func TestCampaignCountConfirmSend(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		c.audienceFixture()
		c.springTemplate()
		b := c.browser().signIn("program_manager")
		form := url.Values{"_token": {tokenOf(t, b.get("/admin/campaigns").body)}, "name": {"Spring offer"}, "template": {"spring"},
			"segment": {"seg-n"}, "roles": {"owner", "foreman"}}
		for field, bad := range map[string]string{"name": "", "segment": "no-such", "roles": "boss"} {
			if got := b.post("/admin/campaigns", with(form, field, bad)); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+field+`"`) {
				t.Errorf("%s %q: %d, want the error next to it\n%.2000s", field, bad, got.status, got.body)
			}
		}
		if n := len(c.messageCampaigns()); n != 0 {
			t.Fatalf("bad input made %d campaigns", n)
		}
		made := b.post("/admin/campaigns", form)
		cs := c.messageCampaigns()
		if made.status != http.StatusSeeOther || len(cs) != 1 || cs[0].Status != notify.CampaignDraft || len(cs[0].Roles) != 2 {
			t.Fatalf("create: %d %+v", made.status, cs)
		}
		page := "/admin/campaigns/" + cs[0].ID
		shown := b.get(page)
		if !strings.Contains(shown.body, "It would reach 2 people now.") || !strings.Contains(shown.body, "By role: Owner: 1 · Foreman: 1") ||
			!strings.Contains(shown.body, "Yes, send it to 2 people") {
			t.Fatalf("the audience is not counted before sending:\n%.4000s", shown.body)
		}
		send := url.Values{"_token": {tokenOf(t, shown.body)}, "when": {"now"}, "audience": {"2"}}
		if got := b.post(page+"/send", send); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-confirm"`) {
			t.Errorf("send without confirming: %d", got.status)
		}
		if got := b.post(page+"/send", with(send, "confirm", "yes", "audience", "7")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, "The audience changed") {
			t.Errorf("send confirming another count: %d", got.status)
		}
		if got := b.post(page+"/send", with(send, "confirm", "yes", "when", "later", "at", "2001-01-01T10:00")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-at"`) {
			t.Errorf("a schedule in the past: %d", got.status)
		}
		if cs := c.messageCampaigns(); cs[0].Status != notify.CampaignDraft {
			t.Fatalf("unconfirmed sends changed the campaign: %+v", cs[0])
		}
		ro := c.browser().signIn("read_only")
		if p := ro.get(page); p.status != http.StatusOK || strings.Contains(p.body, `action="`+page+`/send"`) {
			t.Errorf("read-only sees the send form: %d", p.status)
		}
		if p := ro.post(page+"/send", url.Values{"confirm": {"yes"}, "audience": {"2"}}); p.status != http.StatusForbidden {
			t.Errorf("read-only sends: %d", p.status)
		}
		if p := ro.post("/admin/campaigns", url.Values{"name": {"x"}, "template": {"spring"}}); p.status != http.StatusForbidden {
			t.Errorf("read-only creates: %d", p.status)
		}
		sent := b.post(page+"/send", with(send, "confirm", "yes"))
		if sent.status != http.StatusSeeOther || !strings.Contains(sent.where, "done=campaign_sent") {
			t.Fatalf("a confirmed send: %d %s\n%.2000s", sent.status, sent.where, sent.body)
		}
		if cs := c.messageCampaigns(); cs[0].Status != notify.CampaignSent || cs[0].Audience != 2 {
			t.Fatalf("after sending: %+v", cs[0])
		}
		after := b.get(sent.where)
		if !strings.Contains(after.body, "Sent to 2 people.") || !strings.Contains(after.body, `href="/admin/analytics/campaigns?campaign=`+cs[0].ID+`"`) {
			t.Errorf("the sent campaign's page:\n%.3000s", after.body)
		}
		if list := b.get("/admin/campaigns"); !strings.Contains(list.body, "Northern dealers") || !strings.Contains(list.body, "Owner, Foreman") {
			t.Errorf("the list does not say whom it went to: %d\n%.3000s", list.status, list.body)
		}
	})
}

// A campaign scheduled for later waits with its time; nothing is sent.
func TestCampaignScheduled(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		c.audienceFixture()
		c.springTemplate()
		cp, err := c.app.Notify.CreateCampaign(t.Context(), c.sys, notify.Campaign{Name: "Later", Template: "spring"})
		must(t, err)
		b := c.browser().signIn("program_manager")
		page := "/admin/campaigns/" + cp.ID
		at := c.clock.Now().Add(48 * time.Hour).UTC().Format("2006-01-02T15:04")
		got := b.post(page+"/send", url.Values{"_token": {tokenOf(t, b.get(page).body)}, "when": {"later"}, "at": {at}, "confirm": {"yes"}, "audience": {"4"}})
		if got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=campaign_scheduled") {
			t.Fatalf("schedule: %d %s\n%.2000s", got.status, got.where, got.body)
		}
		cs := c.messageCampaigns()
		if cs[0].Status != notify.CampaignScheduled || cs[0].ScheduledAt == nil || cs[0].ScheduledAt.UTC().Format("2006-01-02T15:04") != at {
			t.Fatalf("after scheduling: %+v", cs[0])
		}
	})
}
