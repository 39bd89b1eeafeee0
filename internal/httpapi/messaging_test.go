package httpapi_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
)

// drainRelay delivers everything due.
func (e *env) drainRelay() {
	e.t.Helper()
	for {
		n, err := e.app.Relay.RunOnce(context.Background())
		if err != nil {
			e.t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

// A rule's message, from an ingested event, reaches people by e-mail and
// the inbox; a webhook subscriber gets the event, signed.
func TestMessagingEndToEnd(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		smtp := mailtest.Start(t)
		e.app.Notify.Mail = &mail.SMTP{Addr: smtp.Addr(), From: "noreply@acme.example"}
		var mu sync.Mutex
		var hooks []string
		rcv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			hooks = append(hooks, r.Header.Get(notify.HeaderEventType)+" "+r.Header.Get(notify.HeaderSignature)+" "+string(b))
			mu.Unlock()
		}))
		defer rcv.Close()

		// Refused by default: the receiver is on loopback.
		e.do("POST", "/v1/webhooks", e.keyA, obj{"url": rcv.URL, "types": []string{"*"}}).fails(422, "validation_failed", "url")
		e.app.Notify.AllowPrivate, e.app.Notify.HTTP = true, safedial.Client(5*time.Second, true)
		var hook struct {
			ID     string `json:"id"`
			Secret string `json:"secret"`
		}
		e.do("POST", "/v1/webhooks", e.keyA, obj{"url": rcv.URL, "types": []string{"event.processed"}}).must(201, &hook)
		e.do("GET", "/v1/webhooks/"+hook.ID, e.keyB, nil).must(404, nil)

		f := newProgram(e, obj{"rules": []obj{{"id": "thanks", "condition": "event.amount >= 100000",
			"effects": []obj{{"type": "message", "template": "big_order_thanks"}}}}})
		ann := e.createMember(obj{"organization_id": f.org["id"], "name": "Ann Owner", "email": "ann@example.com", "roles": []string{"owner"}})
		cleo := e.createMember(obj{"organization_id": f.org["id"], "name": "Cleo Sales", "roles": []string{"sales"}})
		e.do("POST", "/v1/templates", e.keyA, obj{"code": "big_order_thanks", "channel": "email", "lang": "en",
			"subject": "Thanks, {{person.first_name}}", "body": "Your order at {{organization.name}} counts. {{balanse}}"}).
			fails(422, "validation_failed", "body")
		e.do("POST", "/v1/templates", e.keyA, obj{"code": "big_order_thanks", "channel": "email", "lang": "en",
			"subject": "Thanks, {{person.first_name}}", "body": "Your order at {{organization.name}} counts."}).must(201, nil)
		var sms notify.Template
		e.do("POST", "/v1/templates", e.keyA, obj{"code": "long", "channel": "sms", "lang": "en", "body": strings.Repeat("x", 161)}).must(201, &sms)
		if len(sms.Warnings) != 1 {
			t.Fatalf("an over-long SMS was not flagged: %+v", sms)
		}

		e.send(e.keyA, invoice("INV-1", line("A", 1, 150000)))
		e.drainRelay()
		m, err := smtp.WaitFor("ann@example.com", time.Second)
		if err != nil || m.Subject != "Thanks, Ann" || !strings.Contains(m.Text, "Your order at Brick & Beam counts.") {
			t.Fatalf("%v %q %q", err, m.Subject, m.Text)
		}
		var inbox list
		e.do("GET", "/v1/people/"+str(cleo["id"])+"/messages", e.keyA, nil).must(200, &inbox)
		if len(inbox.Items) != 1 {
			t.Fatalf("Cleo's inbox: %+v", inbox)
		}
		e.do("POST", "/v1/people/"+str(cleo["id"])+"/messages/"+str(inbox.Items[0]["id"])+":read", e.keyA, nil).must(200, nil)
		e.do("GET", "/v1/people/"+str(ann["id"])+"/messages", e.keyB, nil).must(404, nil)

		mu.Lock()
		defer mu.Unlock()
		if len(hooks) != 1 || !strings.HasPrefix(hooks[0], "event.processed t=") {
			t.Fatalf("webhook got %v", hooks)
		}
		parts := strings.SplitN(hooks[0], " ", 3)
		if !notify.Verify(hook.Secret, parts[1], []byte(parts[2]), e.clock.Now(), 5*time.Minute) {
			t.Fatalf("signature %s does not verify", parts[1])
		}
		var env notify.Envelope
		if err := json.Unmarshal([]byte(parts[2]), &env); err != nil || env.Type != "event.processed" {
			t.Fatalf("%s", parts[2])
		}
		var attempts list
		e.do("GET", "/v1/webhooks/"+hook.ID+"/attempts", e.keyA, nil).must(200, &attempts)
		if len(attempts.Items) != 1 || attempts.Items[0]["status_code"] != float64(200) {
			t.Fatalf("attempts %+v", attempts.Items)
		}
	})
}
