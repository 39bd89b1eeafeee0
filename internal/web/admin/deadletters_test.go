package admin_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/notify"
)

// deadLetters are the tenant's messages in dead-letter.
func (c *console) deadLetters() []notify.Item {
	res, err := c.app.Notify.DeadLetters(c.t.Context(), c.sys, pageReq())
	must(c.t, err)
	return res.Items
}

// drain runs the relay until nothing is due.
func (c *console) drain() {
	for range 10 {
		if n, err := c.app.Relay.RunOnce(c.t.Context()); err != nil || n == 0 {
			must(c.t, err)
			return
		}
	}
	c.t.Fatal("the relay never ran dry")
}

// A receiver that was down left deliveries in dead-letter: the page
// lists them with the webhook they were for; replaying one puts it back
// in the queue (it leaves the list, a flash says so, and the relay
// delivers it with its own message id); "replay all shown" does the rest.
func TestDeadLetterReplay(t *testing.T) {
	each(t, func(t *testing.T, c *console) {
		c.allowPrivate()
		rc := newReceiver(t)
		rc.status.Store(http.StatusServiceUnavailable)
		types := []string{notify.AllTypes}
		_, _, err := c.app.Notify.CreateWebhook(t.Context(), c.sys, notify.WebhookInput{URL: new(rc.srv.URL + "/hook"), Types: &types})
		must(t, err)
		c.app.Relay.MaxAttempts = 1 // the first failure is the last
		c.invoice("INV-2", c.tomOrg, 10, 5000)
		c.invoice("INV-3", c.tomOrg, 20, 5000)
		c.drain()
		dead := c.deadLetters()
		if len(dead) < 2 {
			t.Fatalf("%d dead messages, want one per event at least", len(dead))
		}
		b := c.browser().signIn("integrator")
		list := b.get("/admin/messages/dead").body
		if !strings.Contains(list, `id="msg-`+dead[0].ID+`"`) || !strings.Contains(list, rc.srv.URL+"/hook") || !strings.Contains(list, "Webhook delivery") {
			t.Fatalf("the page does not list the dead delivery with its webhook:\n%s", list)
		}
		rc.status.Store(http.StatusOK)
		one := b.post("/admin/messages/dead/replay", url.Values{"id": {dead[0].ID}})
		after := b.get(one.where).body
		if one.status != http.StatusSeeOther || strings.Contains(after, `id="msg-`+dead[0].ID+`"`) || !strings.Contains(after, "back in the queue") {
			t.Fatalf("replay: %d %s", one.status, one.where)
		}
		if n := len(c.deadLetters()); n != len(dead)-1 {
			t.Fatalf("%d dead after a replay, want %d", n, len(dead)-1)
		}
		before := len(rc.got())
		c.drain()
		if got := rc.got()[before:]; !slices.Equal(got, []string{dead[0].ID}) {
			t.Fatalf("after the replay the receiver got %v, want the replayed message %s alone", got, dead[0].ID)
		}
		rest := url.Values{}
		for _, it := range c.deadLetters() {
			rest.Add("id", it.ID)
		}
		rest.Add("id", dead[0].ID) // already replayed: skipped, not an error
		if all := b.post("/admin/messages/dead/replay", rest); all.status != http.StatusSeeOther || len(c.deadLetters()) != 0 {
			t.Fatalf("replay all: %d, %d left", all.status, len(c.deadLetters()))
		}
		if body := b.get("/admin/messages/dead").body; !strings.Contains(body, "No failed messages.") {
			t.Error("the emptied list does not say so")
		}
	})
}
