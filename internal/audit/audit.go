// Package audit records who changed what: every change made by staff or an
// API key writes an Entry in the same transaction as the change, with a
// summary of the entity before and after.
package audit

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Entry is one recorded change.
type Entry struct {
	ID         string
	TenantID   string
	At         time.Time
	ActorType  access.ActorType
	ActorID    string
	Action     string // e.g. "organization.created"
	EntityType string // e.g. "organization"
	EntityID   string
	Before     json.RawMessage // "null" for a creation
	After      json.RawMessage // "null" for a deletion
	RequestID  string
}

// New builds an entry for a change made by p at time at. before and after
// are marshalled to JSON; nil marshals to null.
func New(ctx context.Context, p access.Principal, at time.Time, action, entityType, entityID string, before, after any) (Entry, error) {
	b, err := json.Marshal(before)
	if err != nil {
		return Entry{}, err
	}
	a, err := json.Marshal(after)
	if err != nil {
		return Entry{}, err
	}
	return Entry{
		ID: ids.New(), TenantID: p.TenantID, At: at,
		ActorType: p.ActorType, ActorID: p.ActorID,
		Action: action, EntityType: entityType, EntityID: entityID,
		Before: b, After: a, RequestID: access.RequestID(ctx),
	}, nil
}

// Writer stores entries; every domain Tx that changes data embeds it.
type Writer interface {
	InsertAudit(ctx context.Context, e Entry) error
}

// Record builds an entry and writes it.
func Record(ctx context.Context, w Writer, p access.Principal, at time.Time, action, entityType, entityID string, before, after any) error {
	e, err := New(ctx, p, at, action, entityType, entityID, before, after)
	if err != nil {
		return err
	}
	return w.InsertAudit(ctx, e)
}

// Filter selects entries; empty fields match everything.
type Filter struct {
	EntityType string
	EntityID   string
	ActorID    string
	// Types, when not nil, keeps entries of these entity types only: what
	// the caller may see (Service.List sets it).
	Types []string
}

// ReadableTypes are the entity types whose history a read-scope caller
// may see: those it may read through their own endpoints. The history of
// every other type (API keys, staff users, and any type not listed yet)
// is for admins only, as managing keys and staff is. Every entity type the
// product records must be in ReadableTypes or AdminTypes (a test checks).
var ReadableTypes = []string{"adjustment", "campaign", "card", "claim", "coupon", "goal", "import", "import_mapping", "ledger_tx", "member",
	"membership_plan", "message", "organization", "partner", "point_type", "program", "promo_campaign", "redemption", "referral", "reward",
	"segment", "survey", "template", "tenant"}

// AdminTypes are the entity types whose history needs admin scope.
var AdminTypes = []string{"api_key", "staff", "webhook"}

// visibleTypes returns the entity types p may see, nil for all.
func visibleTypes(p access.Principal) []string {
	if p.Scope.Includes(access.ScopeAdmin) {
		return nil
	}
	return ReadableTypes
}

// Reader lists entries of a tenant, newest first.
type Reader interface {
	ListAudit(ctx context.Context, tenantID string, f Filter, r page.Request) ([]Entry, error)
}

// Service lists the audit log.
type Service struct {
	Store txn.Runner[Reader]
}

// List returns one page of the tenant's audit log, newest first, with
// only the entries the caller's scope may see.
func (s *Service) List(ctx context.Context, p access.Principal, f Filter, r page.Request) (page.Page[Entry], error) {
	if err := p.Can(access.ReadAudit); err != nil {
		return page.Page[Entry]{}, err
	}
	if f.EntityID != "" && f.EntityType == "" {
		return page.Page[Entry]{}, errs.InvalidField("entity_type", "required", "entity_type is required when entity_id is given")
	}
	f.Types = visibleTypes(p)
	if f.EntityType != "" && f.Types != nil && !slices.Contains(f.Types, f.EntityType) {
		return page.Page[Entry]{}, errs.E(errs.Forbidden, "insufficient_scope", "the history of %s entries needs an API key with %q scope; this key has %q",
			f.EntityType, access.ScopeAdmin, p.Scope)
	}
	rows, err := txn.Get(ctx, s.Store, func(rd Reader) ([]Entry, error) { return rd.ListAudit(ctx, p.TenantID, f, r) })
	return page.Build(r, rows, func(e Entry) string { return e.ID }), err
}
