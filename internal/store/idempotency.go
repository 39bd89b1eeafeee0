package store

import (
	"context"

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
