package admin_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// tokenOf is a form's submission token, as a page rendered it.
func tokenOf(t *testing.T, body string) string {
	t.Helper()
	m := regexp.MustCompile(`name="_token" value="([a-z0-9]+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no form token in the page")
	}
	return m[1]
}

func (c *console) adjustments(status string) []ledger.Adjustment {
	res, err := c.app.Ledger.ListAdjustments(c.t.Context(), c.sys, status, page.Request{Limit: 100})
	must(c.t, err)
	return res.Items
}

// The adjustment form: bad input is shown next to its field and writes
// nothing; a double submit adjusts once; a support agent's adjustment
// above the limit waits for approval and cannot be approved by them.
func TestAdjustmentForm(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		acct := c.wallet(c.tomOrg)
		path := "/admin/accounts/" + acct.ID
		b := c.browser().signIn("support")
		tok := tokenOf(t, b.get(path).body)
		for _, bad := range []struct{ amount, note, field string }{{"", "goodwill", "amount"}, {"12.5", "goodwill", "amount"}, {"0", "x", "amount"},
			{"5", "", "note"}, {"99999999999999999999", "too much", "amount"}} {
			got := b.post(path+"/adjust", url.Values{"_token": {tok}, "amount": {bad.amount}, "note": {bad.note}})
			if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-`+bad.field+`"`) ||
				!strings.Contains(got.body, `id="f-`+bad.field+`" name="`+bad.field+`"`) {
				t.Errorf("amount %q note %q: %d, want the error next to %s\n%.2000s", bad.amount, bad.note, got.status, bad.field, got.body)
			}
		}
		if a := c.wallet(c.tomOrg); a.Available != acct.Available || len(c.adjustments("")) != 0 {
			t.Fatalf("bad input wrote something: balance %d, adjustments %v", a.Available, c.adjustments(""))
		}
		// A double click: two posts of one form, at once.
		form := url.Values{"_token": {tok}, "amount": {"25"}, "note": {"goodwill for a late delivery"}}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() {
				if got := b.post(path+"/adjust", form); got.status != http.StatusSeeOther {
					t.Errorf("adjust: %d %.500s", got.status, got.body)
				}
			})
		}
		wg.Wait()
		if got := c.wallet(c.tomOrg).Available; got != acct.Available+25 || len(c.adjustments("")) != 1 {
			t.Fatalf("double submit: balance %d (was %d), %d adjustments", got, acct.Available, len(c.adjustments("")))
		}
		// Above the support limit (1,000): it waits, with a message saying so.
		big := tokenOf(t, b.get(path).body)
		got := b.post(path+"/adjust", url.Values{"_token": {big}, "amount": {"5000"}, "note": {"lost pallet"}})
		if got.status != http.StatusSeeOther || !strings.Contains(got.where, "done=adjust_pending") {
			t.Fatalf("big adjustment: %d %s", got.status, got.where)
		}
		if !strings.Contains(b.get(got.where).body, "it waits in the approval inbox") {
			t.Error("the page does not say the adjustment waits")
		}
		pending := c.adjustments(ledger.AdjustmentPending)
		if len(pending) != 1 || c.wallet(c.tomOrg).Available != acct.Available+25 {
			t.Fatalf("pending %v", pending)
		}
		// Not by its requester (nor by support at all); finance may.
		inbox := b.get("/admin/approvals")
		if !strings.Contains(inbox.body, "lost pallet") || strings.Contains(inbox.body, "/admin/approvals/adjustments/"+pending[0].ID+"/approve") {
			t.Errorf("the requester is offered to approve their own adjustment")
		}
		if got := b.post("/admin/approvals/adjustments/"+pending[0].ID+"/approve", nil); got.status != http.StatusForbidden {
			t.Errorf("support approved: %d", got.status)
		}
		fin := c.browser().signIn("finance")
		if got := fin.post("/admin/approvals/adjustments/"+pending[0].ID+"/reject", url.Values{}); got.status != http.StatusUnprocessableEntity {
			t.Errorf("a rejection without a reason: %d", got.status)
		}
		if got := fin.post("/admin/approvals/adjustments/"+pending[0].ID+"/approve", nil); got.status != http.StatusSeeOther {
			t.Fatalf("finance approves: %d %s", got.status, got.body)
		}
		if got := c.wallet(c.tomOrg).Available; got != acct.Available+5025 {
			t.Errorf("balance after approval %d", got)
		}
	})
}

// An edit of an organization changed meanwhile is refused with a message,
// not written over; bad input is shown next to its field.
func TestStaleEditRefused(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		path := "/admin/organizations/" + c.tomOrg.ID
		alice, bob := c.browser().signIn("admin"), c.browser().signIn("program_manager")
		since := regexp.MustCompile(`name="unchanged_since" value="([^"]+)"`)
		a := since.FindStringSubmatch(alice.get(path).body)[1]
		bb := since.FindStringSubmatch(bob.get(path).body)[1]
		c.clock.(interface{ Advance(time.Duration) }).Advance(time.Second)
		if got := alice.post(path, url.Values{"name": {"Brick & Beam Group"}, "region": {"North"}, "unchanged_since": {a}}); got.status != http.StatusSeeOther {
			t.Fatalf("first edit: %d %s", got.status, got.body)
		}
		got := bob.post(path, url.Values{"name": {"Brick and Beam"}, "region": {"South"}, "unchanged_since": {bb}})
		if got.status != http.StatusConflict || !strings.Contains(got.body, "Someone else changed this") {
			t.Fatalf("stale edit: %d\n%.500s", got.status, got.body)
		}
		if o, _ := c.app.Party.GetOrganization(t.Context(), c.sys, c.tomOrg.ID); o.Name != "Brick & Beam Group" || o.Region != "North" {
			t.Errorf("the stale edit was written: %+v", o)
		}
		fresh := since.FindStringSubmatch(bob.get(path).body)[1]
		got = bob.post(path, url.Values{"name": {""}, "region": {"South"}, "unchanged_since": {fresh}})
		if got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-name"`) {
			t.Errorf("empty name: %d", got.status)
		}
	})
}

// Creating an API key shows its secret once; the same form sent again
// makes no second key.
func TestKeyFormOnce(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		b := c.browser().signIn("admin")
		before, err := c.app.Tenants.ListKeys(t.Context(), c.sys, page.Request{Limit: 100})
		must(t, err)
		tok := tokenOf(t, b.get("/admin/api-keys").body)
		if got := b.post("/admin/api-keys", url.Values{"_token": {tok}, "name": {""}, "scope": {"write"}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-name"`) {
			t.Errorf("nameless key: %d", got.status)
		}
		form := url.Values{"_token": {tok}, "name": {"ERP"}, "scope": {"write"}}
		first := b.post("/admin/api-keys", form)
		secret := regexp.MustCompile(`lyl_acme_[a-z0-9]+_[a-z0-9]+`).FindString(first.body)
		if first.status != http.StatusCreated || secret == "" {
			t.Fatalf("create: %d", first.status)
		}
		again := b.post("/admin/api-keys", form)
		if again.status != http.StatusSeeOther || !strings.Contains(again.where, "key_repeat") {
			t.Errorf("repeat: %d %s", again.status, again.where)
		}
		if strings.Contains(b.get("/admin/api-keys").body, secret) {
			t.Error("the secret is shown again")
		}
		after, err := c.app.Tenants.ListKeys(t.Context(), c.sys, page.Request{Limit: 100})
		must(t, err)
		if len(after.Items) != len(before.Items)+1 {
			t.Errorf("keys %d → %d, want one more", len(before.Items), len(after.Items))
		}
	})
}

// A claim is approved from the inbox: its document shows inline and the
// program's rules credit the points.
func TestClaimApprovedFromInbox(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		cl := c.claim("CL-100", c.tomOrg)
		before := c.wallet(c.tomOrg).Available
		b := c.browser().signIn("support")
		inbox := b.get("/admin/approvals")
		if !strings.Contains(inbox.body, `src="/admin/claims/`+cl.ID+`/document"`) {
			t.Fatalf("the claim's document is not shown inline")
		}
		if doc := b.get("/admin/claims/" + cl.ID + "/document"); doc.status != 200 || doc.header.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(doc.body, "%PDF") {
			t.Errorf("document: %d %s", doc.status, doc.header.Get("Content-Type"))
		}
		if got := b.post("/admin/approvals/claims/"+cl.ID+"/approve", nil); got.status != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", got.status, got.body)
		}
		if got := c.wallet(c.tomOrg).Available; got != before+5000 {
			t.Errorf("balance %d after approval, want %d (10%% of 500.00)", got, before+5000)
		}
		if strings.Contains(b.get("/admin/approvals").body, "CL-100") {
			t.Error("the approved claim still waits")
		}
	})
}

// The settings page: administrators only; a bad limit is shown next to
// its field; an invitation form sent twice invites once.
func TestSettingsPage(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		if got := c.browser().signIn("support").get("/admin/settings"); got.status != http.StatusForbidden {
			t.Errorf("support opens the settings: %d", got.status)
		}
		b := c.browser().signIn("admin")
		page := b.get("/admin/settings")
		if page.status != 200 || !strings.Contains(page.body, `value="1000"`) {
			t.Fatalf("settings page: %d", page.status)
		}
		if got := b.post("/admin/settings", url.Values{"adjust_limit": {"lots"}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-adjust_limit"`) {
			t.Errorf("bad limit: %d", got.status)
		}
		if got := b.post("/admin/settings", url.Values{"adjust_limit": {"0"}}); got.status != http.StatusUnprocessableEntity || !strings.Contains(got.body, `id="e-adjust_limit"`) {
			t.Errorf("limit 0: %d", got.status)
		}
		if got := b.post("/admin/settings", url.Values{"adjust_limit": {"250"}, "version_approval": {"on"}}); got.status != http.StatusSeeOther {
			t.Fatalf("save: %d %s", got.status, got.body)
		}
		tn, err := c.app.Tenants.Current(t.Context(), c.sys)
		must(t, err)
		if tn.AdjustLimit != 250 || !tn.VersionApproval {
			t.Errorf("settings stored %+v", tn.Settings)
		}
		tok := tokenOf(t, b.get("/admin/settings").body)
		form := url.Values{"_token": {tok}, "name": {"Nina New"}, "email": {"nina@acme.example"}, "role": {"finance"}}
		for range 2 {
			if got := b.post("/admin/settings/invite", form); got.status != http.StatusSeeOther {
				t.Fatalf("invite: %d %s", got.status, got.body)
			}
		}
		invited := 0
		for _, m := range c.mailer.Sent() {
			if m.To == "nina@acme.example" {
				invited++
			}
		}
		if invited != 1 {
			t.Errorf("%d invitations for one form", invited)
		}
	})
}

// A program version waiting for a second person shows in the inbox; its
// submitter cannot approve it; a colleague does, and it takes effect.
func TestVersionApprovedFromInbox(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		must(t, putSettings(c, true))
		pm := c.browser().signIn("program_manager")
		v := c.pendingVersion(c.staff["program_manager"].ID)
		inbox := pm.get("/admin/approvals")
		if !strings.Contains(inbox.body, "Dealer Club, version 2") || !strings.Contains(inbox.body, "You requested this") {
			t.Fatalf("inbox:\n%s", inbox.body)
		}
		path := "/admin/approvals/versions/" + v.ProgramID + "/2/approve"
		if got := pm.post(path, nil); got.status != http.StatusForbidden {
			t.Errorf("the submitter approved: %d", got.status)
		}
		if got := c.browser().signIn("admin").post(path, nil); got.status != http.StatusSeeOther {
			t.Fatalf("approve: %d %s", got.status, got.body)
		}
		vs, err := c.app.Programs.ListVersions(t.Context(), c.sys, v.ProgramID)
		must(t, err)
		if vs[1].Approval != "" {
			t.Errorf("version 2 after approval: %+v", vs[1])
		}
	})
}

// An event's page explains it: the program and its version, each rule
// with whether it applied and why, the points, the ledger postings.
func TestEventExplained(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		res := c.invoice("INV-WHY", c.tomOrg, 3, 41667)
		b := c.browser().signIn("support")
		got := b.get("/admin/events/" + res.ID)
		for _, want := range []string{"Invoice INV-WHY", "Dealer Club", "version 1", "applied", "10% back", "12,500 points to the organization", "Ledger postings"} {
			if !strings.Contains(got.body, want) {
				t.Errorf("the event page lacks %q", want)
			}
		}
		// The statement links the line to this event.
		if !strings.Contains(b.get("/admin/accounts/"+c.wallet(c.tomOrg).ID).body, `href="/admin/events/`+res.ID+`"`) {
			t.Error("the statement does not link the line to its event")
		}
		if got := c.browser().signIn("account_manager2").get("/admin/events/" + res.ID); got.status != http.StatusForbidden {
			t.Errorf("another account manager reads the event: %d", got.status)
		}
	})
}
