package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
)

// AuditEntryJSON is one recorded change.
type AuditEntryJSON struct {
	ID         string          `json:"id"`
	At         time.Time       `json:"at"`
	ActorType  string          `json:"actor_type" enum:"api_key,staff,system"`
	ActorID    string          `json:"actor_id"`
	Action     string          `json:"action" doc:"e.g. organization.updated"`
	EntityType string          `json:"entity_type"`
	EntityID   string          `json:"entity_id"`
	Before     json.RawMessage `json:"before" doc:"The entity before the change; null for a creation"`
	After      json.RawMessage `json:"after" doc:"The entity after the change; null for a deletion"`
	RequestID  string          `json:"request_id,omitempty"`
}

func auditJSON(e audit.Entry) AuditEntryJSON {
	return AuditEntryJSON{ID: e.ID, At: e.At, ActorType: string(e.ActorType), ActorID: e.ActorID, Action: e.Action,
		EntityType: e.EntityType, EntityID: e.EntityID, Before: e.Before, After: e.After, RequestID: e.RequestID}
}

type auditList struct {
	PageQuery
	EntityType string `query:"entity_type" maxLength:"50" doc:"e.g. organization, member, program, staff, api_key"`
	EntityID   string `query:"entity_id" maxLength:"64"`
	ActorID    string `query:"actor_id" maxLength:"64"`
}

func (a *API) auditRoutes() {
	handle(a, op("list-audit-log", http.MethodGet, "/v1/audit-log", "Audit log", "List recorded changes",
		"Needs read scope. Newest first. Filter by entity to see an entity's history."),
		func(ctx context.Context, p access.Principal, in *auditList) (*listOut[AuditEntryJSON], error) {
			r, err := in.request()
			if err != nil {
				return nil, err
			}
			pg, err := a.svc.Audit.List(ctx, p, audit.Filter{EntityType: in.EntityType, EntityID: in.EntityID, ActorID: in.ActorID}, r)
			return pageOut(pg, auditJSON), err
		})
}
