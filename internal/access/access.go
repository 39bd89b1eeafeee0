// Package access describes who is calling: the tenant, the actor (an API key,
// a staff user, the system) and what the caller may do. Every service method
// takes a Principal, and every query it makes is scoped by its tenant.
package access

import (
	"context"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Scope is what an API key may do. Scopes are ordered: write includes read,
// admin includes write.
type Scope string

// The scopes of API keys.
const (
	ScopeRead  Scope = "read"
	ScopeWrite Scope = "write"
	ScopeAdmin Scope = "admin"
)

// Scopes lists the valid scopes, weakest first.
var Scopes = []Scope{ScopeRead, ScopeWrite, ScopeAdmin}

// Valid reports whether s is a known scope.
func (s Scope) Valid() bool { return slices.Contains(Scopes, s) }

// Includes reports whether s grants everything need grants.
func (s Scope) Includes(need Scope) bool {
	return slices.Index(Scopes, s) >= slices.Index(Scopes, need) && need.Valid()
}

// ActorType says what kind of actor made a change.
type ActorType string

// Actor types recorded in the audit log.
const (
	ActorAPIKey ActorType = "api_key"
	ActorStaff  ActorType = "staff"
	ActorSystem ActorType = "system"
)

// Principal is an authenticated caller.
type Principal struct {
	TenantID  string
	ActorType ActorType
	ActorID   string
	StaffID   string // the staff user behind an API key, if any
	Scope     Scope
	// PartnerID is set for a coalition partner's API key: such a caller may
	// only send events for its opted-in members, take points in redemption
	// and read its own settlement (the API allows no other route).
	PartnerID string
	// Role is the staff user's role when a staff user acts (signed in, or
	// through a key acting for them); "" for an integration key, which is
	// held to its scope alone. Can checks it against the role table.
	Role Role
	// AdjustLimit, when positive, is the most points a manual adjustment
	// by this caller may move without a second person's approval (the
	// tenant's limit for support agents and account managers).
	AdjustLimit int64
}

// System returns the principal for work the product does by itself (jobs,
// the CLI acting for an operator) in a tenant.
func System(tenantID string) Principal {
	return Principal{TenantID: tenantID, ActorType: ActorSystem, ActorID: "system", Scope: ScopeAdmin}
}

// Name names the caller in records of who did what: the staff user's id
// when a staff user acts, else "<actor type>:<actor id>".
func (p Principal) Name() string {
	if p.StaffID != "" {
		return p.StaffID
	}
	return string(p.ActorType) + ":" + p.ActorID
}

// Operator reports whether the caller acts for the operator: a key of a
// staff user, an admin key, or the product itself. Decisions reserved to
// the operator (claims, redemptions above the threshold) require it.
func (p Principal) Operator() bool {
	return p.StaffID != "" || p.ActorType == ActorSystem || p.Scope.Includes(ScopeAdmin)
}

// Require returns a Forbidden error unless the principal has the scope.
func (p Principal) Require(need Scope) error {
	if p.Scope.Includes(need) {
		return nil
	}
	return errs.E(errs.Forbidden, "insufficient_scope", "this needs an API key with %q scope; this key has %q", need, p.Scope)
}

// Approvers decides whether approver may approve what requester (a
// Principal.Name) asked for at requestedAt: the four-eyes rule of manual
// adjustments and large redemptions. It returns a Forbidden error with
// code four_eyes when not.
type Approvers interface {
	CheckApprover(ctx context.Context, approver Principal, requester string, requestedAt time.Time) error
}

type ctxKey struct{}

// With returns a context carrying p.
func With(ctx context.Context, p Principal) context.Context {
	return context.WithValue(ctx, ctxKey{}, p)
}

// From returns the principal of ctx, if any.
func From(ctx context.Context) (Principal, bool) {
	p, ok := ctx.Value(ctxKey{}).(Principal)
	return p, ok
}

type requestIDKey struct{}

// WithRequestID returns a context carrying the id of the request being
// served, which the audit log and the logs record.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID returns the request id of ctx, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}
