package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

const auditCols = `tenant_id, id, at_ms, actor_type, actor_id, action, entity_type, entity_id, before_json, after_json, request_id`

// InsertAudit stores an audit entry.
func (t *Tx) InsertAudit(ctx context.Context, e audit.Entry) error {
	_, err := t.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.TenantID, e.ID, ms(e.At), e.ActorType, e.ActorID, e.Action, e.EntityType, e.EntityID, string(e.Before), string(e.After), e.RequestID)
	return err
}

func scanAudit(row rowScanner) (audit.Entry, error) {
	var e audit.Entry
	var at int64
	var before, after string
	err := row.Scan(&e.TenantID, &e.ID, &at, &e.ActorType, &e.ActorID, &e.Action, &e.EntityType, &e.EntityID, &before, &after, &e.RequestID)
	e.At, e.Before, e.After = clock.FromMillis(at), []byte(before), []byte(after)
	return e, err
}

// ListAudit reads a page of entries, newest first.
func (t *Tx) ListAudit(ctx context.Context, tenantID string, f audit.Filter, r page.Request) ([]audit.Entry, error) {
	var w where
	w.add("tenant_id = ?", tenantID)
	if r.After != "" {
		w.add("id < ?", r.After)
	}
	w.eq("entity_type", f.EntityType)
	w.eq("entity_id", f.EntityID)
	w.eq("actor_id", f.ActorID)
	if f.Types != nil {
		w.add("entity_type IN (" + inList(len(f.Types), len(w.args)+1) + ")")
		w.args = append(w.args, anys(f.Types)...)
	}
	limit := w.next(r.Limit + 1)
	return list(ctx, t, `SELECT `+auditCols+` FROM audit_log`+w.sql()+` ORDER BY id DESC LIMIT `+limit, scanAudit, w.args...)
}
