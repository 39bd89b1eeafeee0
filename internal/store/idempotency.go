package store

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/idempotency"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// GetIdempotency reads a stored idempotency key.
func (t *Tx) GetIdempotency(ctx context.Context, tenantID, key string) (idempotency.Record, error) {
	var r idempotency.Record
	var resp string
	var c int64
	err := t.queryRow(ctx, `SELECT tenant_id, idem_key, request_hash, state, status, response, created_ms
		FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2`, tenantID, key).
		Scan(&r.TenantID, &r.Key, &r.RequestHash, &r.State, &r.Status, &resp, &c)
	r.Response, r.CreatedAt = []byte(resp), clock.FromMillis(c)
	return r, notFound(err, "idempotency key", key)
}

// ClaimIdempotency inserts a key's record unless the key exists.
func (t *Tx) ClaimIdempotency(ctx context.Context, r idempotency.Record) (bool, error) {
	res, err := t.exec(ctx, `INSERT INTO idempotency_keys (tenant_id, idem_key, request_hash, state, status, response, created_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (tenant_id, idem_key) DO NOTHING`,
		r.TenantID, r.Key, r.RequestHash, r.State, r.Status, string(r.Response), ms(r.CreatedAt))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// ReplaceIdempotency overwrites a key's record if it was created at prev.
func (t *Tx) ReplaceIdempotency(ctx context.Context, r idempotency.Record, prev time.Time) (bool, error) {
	res, err := t.exec(ctx, `UPDATE idempotency_keys SET request_hash = $3, state = $4, status = $5, response = $6, created_ms = $7
		WHERE tenant_id = $1 AND idem_key = $2 AND created_ms = $8`,
		r.TenantID, r.Key, r.RequestHash, r.State, r.Status, string(r.Response), ms(r.CreatedAt), ms(prev))
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// PutIdempotency inserts or replaces a key's record.
func (t *Tx) PutIdempotency(ctx context.Context, r idempotency.Record) error {
	_, err := t.exec(ctx, `INSERT INTO idempotency_keys (tenant_id, idem_key, request_hash, state, status, response, created_ms)
		VALUES ($1, $2, $3, $4, $5, $6, $7)
		ON CONFLICT (tenant_id, idem_key) DO UPDATE SET request_hash = excluded.request_hash, state = excluded.state,
			status = excluded.status, response = excluded.response, created_ms = excluded.created_ms`,
		r.TenantID, r.Key, r.RequestHash, r.State, r.Status, string(r.Response), ms(r.CreatedAt))
	return err
}

// DeleteIdempotency forgets a key.
func (t *Tx) DeleteIdempotency(ctx context.Context, tenantID, key string) error {
	_, err := t.exec(ctx, `DELETE FROM idempotency_keys WHERE tenant_id = $1 AND idem_key = $2`, tenantID, key)
	return err
}
