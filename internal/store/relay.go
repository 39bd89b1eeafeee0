package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const outboxCols = `tenant_id, id, kind, payload, attempts, created_ms, dead_ms, last_error`

func scanOutbox(r rowScanner) (notify.Item, error) {
	var it notify.Item
	var payload string
	var created int64
	var dead sql.NullInt64
	err := r.Scan(&it.TenantID, &it.ID, &it.Kind, &payload, &it.Attempts, &created, &dead, &it.LastError)
	it.Payload, it.CreatedAt, it.DeadAt = json.RawMessage(payload), clock.FromMillis(created), fromOptMs(dead)
	return it, err
}

// ClaimOutbox leases due rows to owner. On PostgreSQL the rows are locked
// with SKIP LOCKED, so relays on several replicas take different rows; on
// SQLite the single writer serializes claims.
func (t *Tx) ClaimOutbox(ctx context.Context, owner string, now, until time.Time, limit int) ([]notify.Item, error) {
	return list(ctx, t, `UPDATE outbox SET lease_owner = $1, lease_ms = $2 WHERE (tenant_id, id) IN (
		SELECT tenant_id, id FROM outbox WHERE sent_ms IS NULL AND dead_ms IS NULL AND due_ms <= $3 AND lease_ms <= $3
		ORDER BY due_ms, created_ms LIMIT $4`+t.forUpdate()+t.skipLocked()+`)
		RETURNING `+outboxCols, scanOutbox, owner, ms(until), ms(now), limit)
}

// MarkSent records a delivery by the relay that holds the row.
func (t *Tx) MarkSent(ctx context.Context, owner, tenantID, id string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE outbox SET sent_ms = $1, attempts = attempts + 1, lease_owner = '', lease_ms = 0, last_error = ''
		WHERE tenant_id = $2 AND id = $3 AND lease_owner = $4 AND sent_ms IS NULL`, ms(at), tenantID, id, owner))
}

// MarkSentMany records the deliveries of many rows the relay holds, a
// few statements for a whole batch; it returns the rows it marked (one
// another relay took over meanwhile is left out).
func (t *Tx) MarkSentMany(ctx context.Context, owner string, keys []notify.Key, at time.Time) ([]notify.Key, error) {
	per := (paramsPerStatement - 2) / 2
	var out []notify.Key
	for start := 0; start < len(keys); start += per {
		batch := keys[start:min(len(keys), start+per)]
		args := make([]any, 0, 2+2*len(batch))
		args = append(args, ms(at), owner)
		for _, k := range batch {
			args = append(args, k.TenantID, k.ID)
		}
		rows, err := t.queryN(ctx, len(batch), `UPDATE outbox SET sent_ms = $1, attempts = attempts + 1, lease_owner = '', lease_ms = 0, last_error = ''
			WHERE lease_owner = $2 AND sent_ms IS NULL AND (tenant_id, id) IN (VALUES `+placeholders(len(batch), 2, 3)+`) RETURNING tenant_id, id`, args...)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var k notify.Key
			if err := rows.Scan(&k.TenantID, &k.ID); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, k)
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// MarkFailed records a failed attempt and when to try again, or dead-letter.
func (t *Tx) MarkFailed(ctx context.Context, owner string, f notify.Failure, at time.Time) error {
	var dead any
	if f.Dead {
		dead = ms(at)
	}
	_, err := t.exec(ctx, `UPDATE outbox SET attempts = $1, due_ms = $2, dead_ms = $3, last_error = $4, lease_owner = '', lease_ms = 0
		WHERE tenant_id = $5 AND id = $6 AND lease_owner = $7 AND sent_ms IS NULL`, f.Attempts, ms(f.Due), dead, f.Error, f.TenantID, f.ID, owner)
	return err
}

// QueueRows inserts outbox rows, many per statement; a row whose id
// exists already is kept as it is (a fan-out repeated after a crash
// queues nothing twice).
func (t *Tx) QueueRows(ctx context.Context, tenantID string, rows []notify.Row) error {
	const cols = 5
	per := min(rowsPerStatement, paramsPerStatement/cols)
	for start := 0; start < len(rows); start += per {
		batch := rows[start:min(len(rows), start+per)]
		args := make([]any, 0, len(batch)*cols)
		for _, r := range batch {
			b, err := json.Marshal(r.Payload)
			if err != nil {
				return err
			}
			args = append(args, tenantID, r.ID, r.Kind, string(b), ms(r.CreatedAt))
		}
		q := `INSERT INTO outbox (tenant_id, id, kind, payload, created_ms) VALUES ` + placeholders(len(batch), cols, 1) +
			` ON CONFLICT (tenant_id, id) DO NOTHING`
		if _, err := t.execN(ctx, len(batch), q, args...); err != nil {
			return err
		}
	}
	return nil
}

// ReplayOutbox makes a dead row due again.
func (t *Tx) ReplayOutbox(ctx context.Context, tenantID, id string, at time.Time) (bool, error) {
	return affected(t.exec(ctx, `UPDATE outbox SET dead_ms = NULL, attempts = 0, due_ms = $1, last_error = ''
		WHERE tenant_id = $2 AND id = $3 AND dead_ms IS NOT NULL`, ms(at), tenantID, id))
}

// DeadOutbox reads a page of a tenant's dead letters, newest id first.
func (t *Tx) DeadOutbox(ctx context.Context, tenantID string, r page.Request) ([]notify.Item, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	w.add("dead_ms IS NOT NULL")
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+outboxCols+` FROM outbox`+w.sql()+` ORDER BY id DESC LIMIT `+limit, scanOutbox, w.args...)
}

// GetOutbox reads one outbox row.
func (t *Tx) GetOutbox(ctx context.Context, tenantID, id string) (notify.Item, error) {
	it, err := scanOutbox(t.queryRow(ctx, `SELECT `+outboxCols+` FROM outbox WHERE tenant_id = $1 AND id = $2`, tenantID, id))
	return it, notFound(err, "message", id)
}

// OutboxStats counts waiting and dead rows over every tenant.
func (t *Tx) OutboxStats(ctx context.Context) (notify.Stats, error) {
	var s notify.Stats
	var oldest sql.NullInt64
	err := t.queryRow(ctx, `SELECT COUNT(*), MIN(created_ms) FROM outbox WHERE sent_ms IS NULL AND dead_ms IS NULL`).Scan(&s.Queued, &oldest)
	if err == nil {
		err = t.queryRow(ctx, `SELECT COUNT(*) FROM outbox WHERE dead_ms IS NOT NULL`).Scan(&s.Dead)
	}
	if oldest.Valid {
		s.Oldest = clock.FromMillis(oldest.Int64)
	}
	return s, err
}
