package store

import (
	"context"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// InsertOutbox queues messages.
func (t *Tx) InsertOutbox(ctx context.Context, tenantID string, msgs []events.OutboxMessage) error {
	cols := []string{"tenant_id", "id", "kind", "payload", "created_ms"}
	var err error
	payloads := make([]string, len(msgs))
	for i, m := range msgs {
		b, e := json.Marshal(m.Payload)
		if e != nil {
			err = e
		}
		payloads[i] = string(b)
	}
	if err != nil {
		return err
	}
	return t.heldRows(ctx, nil, "outbox", cols, "", len(msgs), func(i int) []any {
		return []any{tenantID, msgs[i].ID, msgs[i].Kind, payloads[i], ms(msgs[i].CreatedAt)}
	})
}

// UnsentOutbox reads up to limit queued messages of a tenant, oldest first.
func (t *Tx) UnsentOutbox(ctx context.Context, tenantID string, limit int) ([]events.OutboxMessage, error) {
	return list(ctx, t, `SELECT id, kind, payload, created_ms FROM outbox WHERE tenant_id = $1 AND sent_ms IS NULL
		ORDER BY created_ms, id LIMIT $2`, func(r rowScanner) (events.OutboxMessage, error) {
		var m events.OutboxMessage
		var payload string
		var c int64
		err := r.Scan(&m.ID, &m.Kind, &payload, &c)
		m.CreatedAt = clock.FromMillis(c)
		if err == nil {
			err = json.Unmarshal([]byte(payload), &m.Payload)
		}
		return m, err
	}, tenantID, limit)
}
