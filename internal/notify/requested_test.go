package notify_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A rule's message is announced to webhooks as message.requested, once,
// with whom it is for and how many people it reaches, besides going to
// the people themselves.
func TestMessageRequestedReachesWebhooks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, noon)
		rcv := newReceiver(t)
		_, _, err := w.svc.CreateWebhook(context.Background(), w.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{notify.MessageRequested}})
		if err != nil {
			t.Fatal(err)
		}
		w.ruleMessage(t, "msg-1", "thanks", engine.OwnerOrganization, w.org.ID)
		drain(t, w.relay)
		if rcv.count() != 1 {
			t.Fatalf("%d requests, want one message.requested", rcv.count())
		}
		var env struct {
			ID   string `json:"id"`
			Type string `json:"type"`
			Data struct {
				Template   string `json:"template"`
				OwnerType  string `json:"owner_type"`
				OwnerID    string `json:"owner_id"`
				ProgramID  string `json:"program_id"`
				Recipients int    `json:"recipients"`
			} `json:"data"`
		}
		if err := json.Unmarshal(rcv.body[0], &env); err != nil {
			t.Fatal(err)
		}
		d := env.Data
		if env.Type != notify.MessageRequested || d.Template != "thanks" || d.OwnerType != engine.OwnerOrganization || d.OwnerID != w.org.ID ||
			d.ProgramID != "prog-1" || d.Recipients != 3 {
			t.Fatalf("message.requested: %s", rcv.body[0])
		}
		if got := len(w.smtp.To(w.people["Ann"].Email)); got != 1 {
			t.Fatalf("the person's own message: %d e-mails", got)
		}
	})
}
