package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
)

func (c *console) messageTemplates() []notify.Template {
	res, err := c.app.Notify.Templates(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// member adds an active member with roles to an organization.
func (c *console) member(o party.Organization, name string, roles ...party.Role) party.Member {
	m, err := c.app.Party.CreateMember(c.t.Context(), c.sys, party.MemberInput{OrganizationID: o.ID, Name: name, Roles: roles})
	must(c.t, err)
	return m
}

// The template form: an unknown variable is refused with its position
// next to the text and nothing is saved; a double submit saves one; an
// over-long SMS is saved and flagged; a read-only user sees no form and
// is refused.
func TestTemplateForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("program_manager")
		tok := tokenOf(t, b.get("/admin/templates/new").body)
		form := url.Values{"_token": {tok}, "code": {"spring"}, "channel": {"portal"}, "role": {"foreman"}, "lang": {"en"},
			"subject": {"Spring at {{organization.name}}"}, "body": {"Hello {{person.first_name}},\nyour balance is {{balance}}."}}
		bad := b.post("/admin/templates", with(form, "body", "Hello,\nyour {{balanse}} waits."))
		if bad.status != http.StatusUnprocessableEntity || !strings.Contains(bad.body, `id="e-body"`) || !strings.Contains(bad.body, "{{balanse}} at line 2, column 6") {
			t.Fatalf("an unknown variable: %d\n%.3000s", bad.status, bad.body)
		}
		if got := b.post("/admin/templates", with(form, "code", "Spring Offer")); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-code"`) {
			t.Errorf("a bad code: %d", got.status)
		}
		if n := len(c.messageTemplates()); n != 0 {
			t.Fatalf("bad input saved %d templates", n)
		}
		var wg sync.WaitGroup
		wheres := make([]string, 2)
		for i := range 2 {
			wg.Go(func() { wheres[i] = b.post("/admin/templates", form).where })
		}
		wg.Wait()
		ts := c.messageTemplates()
		if len(ts) != 1 || wheres[0] != wheres[1] || !strings.HasPrefix(wheres[0], "/admin/templates/"+ts[0].ID) || ts[0].Role != "foreman" {
			t.Fatalf("a double submit: %+v %q", ts, wheres)
		}
		sms := url.Values{"_token": {tokenOf(t, b.get("/admin/templates/new").body)}, "code": {"spring"}, "channel": {"sms"}, "lang": {"en"},
			"body": {strings.Repeat("Spring bricks are 10% off this week. ", 6)}}
		saved := b.post("/admin/templates", sms)
		if saved.status != http.StatusSeeOther {
			t.Fatalf("a long SMS: %d\n%.2000s", saved.status, saved.body)
		}
		if p := b.get(saved.where); !strings.Contains(p.body, `id="sms-warning"`) || !strings.Contains(p.body, "more than one SMS") {
			t.Errorf("the long SMS is not flagged on its page:\n%.3000s", p.body)
		}
		list := b.get("/admin/templates")
		if !strings.Contains(list.body, "Longer than one SMS") || strings.Count(list.body, `<td><a href="/admin/templates/`) != 2 {
			t.Errorf("the list:\n%.3000s", list.body)
		}
		edit := b.post("/admin/templates/"+ts[0].ID, with(form, "subject", "{{nope}}"))
		if edit.status != http.StatusUnprocessableEntity || !strings.Contains(edit.body, `id="e-subject"`) {
			t.Errorf("an edit with an unknown variable: %d", edit.status)
		}
		ro := c.browser().signIn("read_only")
		if p := ro.get("/admin/templates"); p.status != http.StatusOK || strings.Contains(p.body, "/admin/templates/new") {
			t.Errorf("read-only sees the new template link: %d", p.status)
		}
		form.Del("_token")
		if p := ro.post("/admin/templates", with(form, "code", "other")); p.status != http.StatusForbidden {
			t.Errorf("read-only creates: %d", p.status)
		}
		if p := ro.post("/admin/templates/"+ts[0].ID, with(form, "body", "changed")); p.status != http.StatusForbidden {
			t.Errorf("read-only edits: %d", p.status)
		}
		if n := len(c.messageTemplates()); n != 2 || c.messageTemplates()[0].Body == "changed" {
			t.Errorf("refused writes changed the templates")
		}
	})
}

// A template previewed for a real member shows their figures as text (a
// name with markup stays text), and the test send reaches them once.
func TestTemplatePreviewAndTestSend(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		m := c.member(c.tomOrg, "Fred <b>Foreman</b>", party.RoleForeman)
		tpl, err := c.app.Notify.CreateTemplate(t.Context(), c.sys, notify.Template{Code: "hello", Channel: "portal", Lang: "en",
			Subject: "Hi", Body: "Hello {{person.name}} of {{organization.name}}"})
		must(t, err)
		b := c.browser().signIn("program_manager")
		found := b.get("/admin/templates/" + tpl.ID + "?q=Fred")
		if !strings.Contains(found.body, "person="+m.ID) || !strings.Contains(found.body, "Brick &amp; Beam Ltd") {
			t.Fatalf("the search does not offer the member:\n%.3000s", found.body)
		}
		pv := b.get("/admin/templates/" + tpl.ID + "?person=" + m.ID)
		if !strings.Contains(pv.body, "Hello Fred &lt;b&gt;Foreman&lt;/b&gt; of Brick &amp; Beam Ltd") {
			t.Fatalf("the preview:\n%.4000s", pv.body)
		}
		if p := b.get("/admin/templates/" + tpl.ID + "?person=nobody"); p.status != http.StatusOK || !strings.Contains(p.body, `class="form-error"`) {
			t.Errorf("an unknown person: %d", p.status)
		}
		test := url.Values{"_token": {tokenOf(t, pv.body)}, "person_id": {m.ID}}
		for range 2 {
			if got := b.post("/admin/templates/"+tpl.ID+"/test", test); got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=test_sent") {
				t.Fatalf("test send: %d %s", got.status, got.where)
			}
		}
		for n, err := c.app.Relay.RunOnce(t.Context()); n > 0; n, err = c.app.Relay.RunOnce(t.Context()) {
			must(t, err)
		}
		inbox, err := c.app.Notify.Inbox(t.Context(), c.sys, m.ID, pageReq())
		must(t, err)
		if len(inbox.Items) != 1 || !strings.Contains(inbox.Items[0].Body, "Fred <b>Foreman</b>") {
			t.Fatalf("the member's inbox after a double test send: %+v", inbox.Items)
		}
		if p := c.browser().signIn("read_only").post("/admin/templates/"+tpl.ID+"/test", url.Values{"person_id": {m.ID}}); p.status != http.StatusForbidden {
			t.Errorf("read-only test send: %d", p.status)
		}
	})
}

// A template is deleted from its page after a confirmation: the list no
// longer has it, the audit log has the deletion, a second delete of the
// same page is a not-found page, and a read-only user sees no delete and
// is refused.
func TestTemplateDelete(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		tpl, err := c.app.Notify.CreateTemplate(t.Context(), c.sys, notify.Template{Code: "bye", Channel: "portal", Lang: "en", Subject: "Bye", Body: "Goodbye"})
		must(t, err)
		path := "/admin/templates/" + tpl.ID
		ro := c.browser().signIn("read_only")
		if p := ro.get(path); p.status != http.StatusOK || strings.Contains(p.body, path+"/delete") {
			t.Errorf("read-only sees the delete form: %d", p.status)
		}
		if p := ro.post(path+"/delete", url.Values{}); p.status != http.StatusForbidden || len(c.messageTemplates()) != 1 {
			t.Errorf("read-only deletes: %d, %d templates left", p.status, len(c.messageTemplates()))
		}
		b := c.browser().signIn("program_manager")
		if p := b.get(path); !strings.Contains(p.body, `<form method="post" action="`+path+`/delete">`) || !strings.Contains(p.body, "This cannot be undone") {
			t.Fatalf("the page offers no confirmed delete:\n%.3000s", p.body)
		}
		got := b.post(path+"/delete", url.Values{})
		if got.status != http.StatusSeeOther || got.where != "/admin/templates?done=template_deleted" || len(c.messageTemplates()) != 0 {
			t.Fatalf("delete: %d %s, %d left", got.status, got.where, len(c.messageTemplates()))
		}
		if list := b.get(got.where); !strings.Contains(list.body, "The template is deleted.") || strings.Contains(list.body, path) {
			t.Errorf("the list after the delete:\n%.3000s", list.body)
		}
		if again := b.post(path+"/delete", url.Values{}); again.status != http.StatusNotFound {
			t.Errorf("a second delete: %d", again.status)
		}
		entries, err := c.app.Audit.List(t.Context(), c.sys, audit.Filter{EntityType: "template", EntityID: tpl.ID}, pageReq())
		must(t, err)
		if len(entries.Items) != 2 || entries.Items[0].Action != "template.deleted" && entries.Items[1].Action != "template.deleted" {
			t.Errorf("the audit log of the template: %+v", entries.Items)
		}
	})
}
