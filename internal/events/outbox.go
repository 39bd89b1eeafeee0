package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// OutboxMessage is a message a program asked to send, queued in the same
// transaction as the event that caused it, so that a message leaves if and
// only if its event took effect.
type OutboxMessage struct {
	ID        string         `json:"id"`
	Kind      string         `json:"kind"` // "program.message"
	Payload   MessagePayload `json:"payload"`
	CreatedAt time.Time      `json:"created_at"`
}

// MessagePayload says what to send to whom, and why.
type MessagePayload struct {
	engine.Message
	ProgramID string `json:"program_id"`
	EventID   string `json:"event_id"`
}

// queueMessages writes the messages of an event's outcomes to the outbox.
func (b *batch) queueMessages(ctx context.Context, rec *Record) error {
	var msgs []OutboxMessage
	for _, r := range rec.Results {
		for _, m := range r.Messages {
			msgs = append(msgs, OutboxMessage{ID: ids.New(), Kind: "program.message", CreatedAt: b.now,
				Payload: MessagePayload{Message: m, ProgramID: r.ProgramID, EventID: rec.ID}})
		}
	}
	if len(msgs) == 0 {
		return nil
	}
	return b.tx.InsertOutbox(ctx, b.p.TenantID, msgs)
}
