package store

import (
	"context"
	"database/sql"
	"errors"
	"time"
)

// MessageKey returns a tenant's link-signing secret, storing fresh when
// it has none (two first users at once agree on whichever won).
func (t *Tx) MessageKey(ctx context.Context, tenantID, fresh string, at time.Time) (string, error) {
	if _, err := t.exec(ctx, `INSERT INTO message_keys (tenant_id, secret, created_ms) VALUES ($1, $2, $3) ON CONFLICT (tenant_id) DO NOTHING`,
		tenantID, fresh, ms(at)); err != nil {
		return "", err
	}
	return t.FindMessageKey(ctx, tenantID)
}

// FindMessageKey returns a tenant's link-signing secret, "" if none.
func (t *Tx) FindMessageKey(ctx context.Context, tenantID string) (string, error) {
	var s string
	err := t.queryRow(ctx, `SELECT secret FROM message_keys WHERE tenant_id = $1`, tenantID).Scan(&s)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return s, err
}

// RecordTrack counts an open or a click of a message, keeping the first
// time of each.
func (t *Tx) RecordTrack(ctx context.Context, tenantID, messageID string, click bool, at time.Time) error {
	q := `INSERT INTO message_tracking (tenant_id, message_id, opened_ms, opens) VALUES ($1, $2, $3, 1)
		ON CONFLICT (tenant_id, message_id) DO UPDATE SET opened_ms = COALESCE(message_tracking.opened_ms, excluded.opened_ms),
		opens = message_tracking.opens + 1`
	if click {
		q = `INSERT INTO message_tracking (tenant_id, message_id, clicked_ms, clicks) VALUES ($1, $2, $3, 1)
		ON CONFLICT (tenant_id, message_id) DO UPDATE SET clicked_ms = COALESCE(message_tracking.clicked_ms, excluded.clicked_ms),
		clicks = message_tracking.clicks + 1`
	}
	_, err := t.exec(ctx, q, tenantID, messageID, ms(at))
	return err
}

// MarkInboxSeen sets the first time a person saw their inbox messages.
func (t *Tx) MarkInboxSeen(ctx context.Context, tenantID, personID string, ids []string, at time.Time) error {
	for _, id := range ids {
		if _, err := t.exec(ctx, `UPDATE inbox_messages SET seen_ms = $1 WHERE tenant_id = $2 AND person_id = $3 AND id = $4 AND seen_ms IS NULL`,
			ms(at), tenantID, personID, id); err != nil {
			return err
		}
	}
	return nil
}

// MessageTracking reads a message's first open and click (zero: none)
// and their counts.
func (t *Tx) MessageTracking(ctx context.Context, tenantID, messageID string) (opened, clicked time.Time, opens, clicks int, err error) {
	var o, c sql.NullInt64
	err = t.queryRow(ctx, `SELECT opened_ms, clicked_ms, opens, clicks FROM message_tracking WHERE tenant_id = $1 AND message_id = $2`,
		tenantID, messageID).Scan(&o, &c, &opens, &clicks)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	if o.Valid {
		opened = time.UnixMilli(o.Int64).UTC()
	}
	if c.Valid {
		clicked = time.UnixMilli(c.Int64).UTC()
	}
	return opened, clicked, opens, clicks, err
}
