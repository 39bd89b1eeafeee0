package httpapi_test

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/store"
)

// unsent reads a tenant's queued messages.
func (e *env) unsent(tenantID string) []events.OutboxMessage {
	e.t.Helper()
	var out []events.OutboxMessage
	err := store.Bind[events.Tx](e.app.DB).Read(context.Background(), func(tx events.Tx) error {
		var err error
		out, err = tx.(*store.Tx).UnsentOutbox(context.Background(), tenantID, 100)
		return err
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

// A rule's message is queued with its event, in the same transaction: a
// dry run or a refused batch queues nothing.
func TestMessagesAreQueuedWithTheirEvent(t *testing.T) {
	each(t, func(t *testing.T, e *env) {
		newProgram(e, obj{"rules": []obj{{"id": "thanks", "condition": "event.amount >= 100000",
			"effects": []obj{{"type": "message", "template": "big_order_thanks"}}}}})
		e.do("POST", "/v1/events?dry_run=true", e.keyA, invoice("INV-1", line("A", 1, 150000))).must(200, nil)
		e.do("POST", "/v1/events:batch", e.keyA, obj{"events": []obj{invoice("INV-1", line("A", 1, 150000)), invoice("INV-2", line("A", 0, 1))}}).
			fails(422, "validation_failed", "events[1].lines[0].qty")
		if got := e.unsent(e.tidA); len(got) != 0 {
			t.Fatalf("queued without a committed event: %+v", got)
		}
		res := e.send(e.keyA, invoice("INV-1", line("A", 1, 150000)))
		e.send(e.keyA, invoice("INV-2", line("A", 1, 5000))) // below the threshold: no message
		got := e.unsent(e.tidA)
		if len(got) != 1 || got[0].Payload.Template != "big_order_thanks" || got[0].Payload.EventID != res.ID || got[0].Payload.To != "organization" {
			t.Fatalf("outbox %+v", got)
		}
	})
}
