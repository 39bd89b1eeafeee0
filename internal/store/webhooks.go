package store

import (
	"context"
	"database/sql"
	"encoding/json"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const webhookCols = `id, tenant_id, url, types, description, secret, prev_secret, prev_until_ms, disabled_ms, created_ms, updated_ms, batch_size`

func scanWebhook(r rowScanner) (notify.Webhook, error) {
	var w notify.Webhook
	var types string
	var prevUntil, created, updated int64
	var disabled sql.NullInt64
	err := r.Scan(&w.ID, &w.TenantID, &w.URL, &types, &w.Description, &w.Secret, &w.PrevSecret, &prevUntil, &disabled, &created, &updated, &w.BatchSize)
	if err == nil {
		err = json.Unmarshal([]byte(types), &w.Types)
	}
	w.PrevUntil, w.CreatedAt, w.UpdatedAt = clock.FromMillis(prevUntil), clock.FromMillis(created), clock.FromMillis(updated)
	w.DisabledAt = fromOptMs(disabled)
	w.Disabled = w.DisabledAt != nil
	return w, err
}

// InsertWebhook stores a new subscription.
func (t *Tx) InsertWebhook(ctx context.Context, w notify.Webhook) error {
	_, err := t.exec(ctx, `INSERT INTO webhooks (`+webhookCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		w.ID, w.TenantID, w.URL, jsonText(w.Types), w.Description, w.Secret, w.PrevSecret, ms(w.PrevUntil), optMs(w.DisabledAt), ms(w.CreatedAt), ms(w.UpdatedAt),
		max(w.BatchSize, 1))
	return err
}

// UpdateWebhook stores a changed subscription.
func (t *Tx) UpdateWebhook(ctx context.Context, w notify.Webhook) error {
	_, err := t.exec(ctx, `UPDATE webhooks SET url = $1, types = $2, description = $3, secret = $4, prev_secret = $5, prev_until_ms = $6,
		disabled_ms = $7, updated_ms = $8, batch_size = $9 WHERE tenant_id = $10 AND id = $11`,
		w.URL, jsonText(w.Types), w.Description, w.Secret, w.PrevSecret, ms(w.PrevUntil), optMs(w.DisabledAt), ms(w.UpdatedAt), max(w.BatchSize, 1),
		w.TenantID, w.ID)
	return err
}

// DeleteWebhook removes a subscription.
func (t *Tx) DeleteWebhook(ctx context.Context, tenantID, id string) (bool, error) {
	return affected(t.exec(ctx, `DELETE FROM webhooks WHERE tenant_id = $1 AND id = $2`, tenantID, id))
}

// GetWebhook reads one subscription.
func (t *Tx) GetWebhook(ctx context.Context, tenantID, id string) (notify.Webhook, error) {
	w, err := scanWebhook(t.queryRow(ctx, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return w, notFound(err, "webhook", id)
}

// ListWebhooks reads a tenant's subscriptions, oldest first.
func (t *Tx) ListWebhooks(ctx context.Context, tenantID string) ([]notify.Webhook, error) {
	return list(ctx, t, `SELECT `+webhookCols+` FROM webhooks WHERE tenant_id = $1 ORDER BY id LIMIT 100`, scanWebhook, tenantID)
}

// HasWebhooks reports whether a tenant has an active subscription.
func (t *Tx) HasWebhooks(ctx context.Context, tenantID string) (bool, error) {
	var n int
	err := t.queryRow(ctx, `SELECT COUNT(*) FROM webhooks WHERE tenant_id = $1 AND disabled_ms IS NULL`, tenantID).Scan(&n)
	return n > 0, err
}

// InsertAttempt logs one delivery attempt.
func (t *Tx) InsertAttempt(ctx context.Context, tenantID string, a notify.Attempt) error {
	_, err := t.exec(ctx, `INSERT INTO webhook_attempts (tenant_id, id, webhook_id, message_id, event_type, attempt, status_code, error, duration_ms, at_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`, tenantID, a.ID, a.WebhookID, a.MessageID, a.EventType, a.Attempt, a.StatusCode, a.Error, a.DurationMS, ms(a.At))
	return err
}

var attemptCols = []string{"tenant_id", "id", "webhook_id", "message_id", "event_type", "attempt", "status_code", "error", "duration_ms", "at_ms"}

// InsertAttempts logs many delivery attempts, several per statement.
func (t *Tx) InsertAttempts(ctx context.Context, tenantID string, as []notify.Attempt) error {
	return t.insertRows(ctx, "webhook_attempts", attemptCols, len(as), func(i int) []any {
		a := as[i]
		return []any{tenantID, a.ID, a.WebhookID, a.MessageID, a.EventType, a.Attempt, a.StatusCode, a.Error, a.DurationMS, ms(a.At)}
	})
}

// ListAttempts reads a page of a webhook's attempts, newest first.
func (t *Tx) ListAttempts(ctx context.Context, tenantID, webhookID string, r page.Request) ([]notify.Attempt, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("webhook_id = ?", webhookID)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT id, webhook_id, message_id, event_type, attempt, status_code, error, duration_ms, at_ms FROM webhook_attempts`+
		w.sql()+` ORDER BY id DESC LIMIT `+limit, func(r rowScanner) (notify.Attempt, error) {
		var a notify.Attempt
		var at int64
		err := r.Scan(&a.ID, &a.WebhookID, &a.MessageID, &a.EventType, &a.Attempt, &a.StatusCode, &a.Error, &a.DurationMS, &at)
		a.At = clock.FromMillis(at)
		return a, err
	}, w.args...)
}
