package events

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// Hook takes part in ingesting every event, inside the event's database
// transaction, after the programs' outcomes were applied and before the
// event is stored: promo codes are redeemed, goals count progress,
// referrals reward a first purchase. A hook's error refuses the event
// (and, in a batch, the whole batch), so nothing is half-written. A dry
// run calls hooks as a real one does, in a transaction that is rolled
// back: a hook writes as usual and need not know.
// Duplicates of stored events do not reach hooks.
type Hook interface {
	AfterEvent(ctx context.Context, h *HookCtx, rec *Record) error
}

// HookCtx is what a hook gets: the ingestion's transaction, its caller and
// clock, and a way to post points through the batch's ledger writes.
type HookCtx struct {
	// Tx is the ingestion's transaction. Its concrete type implements every
	// domain's storage interface, so a hook asserts it to its own (as
	// store.Bind does for services).
	Tx        Tx
	Principal access.Principal
	Now       time.Time
	// Input is the event as sent (its promo codes among the rest).
	Input *Input
	u     *unit
}

// Post writes a ledger entry with the unit's other postings.
func (h *HookCtx) Post(ctx context.Context, e ledger.Entry) (ledger.Transaction, error) {
	return h.u.s.Ledger.PostDeferred(ctx, h.u.tx, h.u.p, e, &h.u.ledger)
}

// CodeRequest asks which of a cart's promo codes apply.
type CodeRequest struct {
	ProgramID      string
	OrganizationID string
	MemberID       string
	Codes          []string // as typed
	Cart           engine.Cart
	At             time.Time
}

// CodeResolver checks promo codes for the quote: the discounts of the
// codes that apply, and a reason for each one refused. It writes nothing.
type CodeResolver interface {
	ResolveCodes(ctx context.Context, tx Tx, p access.Principal, req CodeRequest) ([]pricing.Discount, []pricing.Refused, error)
}

// CouponRequest asks which of the coupons a cart names its holder may use.
type CouponRequest struct {
	ProgramID      string
	OrganizationID string
	MemberID       string
	IDs            []string
	At             time.Time
}

// CouponResolver checks coupons for the quote: those the participant may
// use now, and a reason for each other. It writes nothing.
type CouponResolver interface {
	ResolveCoupons(ctx context.Context, tx Tx, p access.Principal, req CouponRequest) ([]engine.CouponUse, []pricing.Refused, error)
}

// PlanSource gives an organization's paid memberships active at a time:
// their benefits apply in the engine and the quote only while active.
type PlanSource interface {
	ActivePlans(ctx context.Context, tx Tx, tenantID, orgID string, at time.Time) ([]engine.Plan, error)
}

// SegmentSource gives the codes of the segments an organization belongs
// to (as last refreshed), which rules read as org.segments.
type SegmentSource interface {
	SegmentsOf(ctx context.Context, tx Tx, tenantID, orgID string) ([]string, error)
}

// PartnerGate vets, before anything else, the events a coalition partner's
// key sends (p.PartnerID set): it may set their source and refuses events
// for members who did not opt in to the partner. It may change ins.
type PartnerGate interface {
	VetPartnerEvents(ctx context.Context, p access.Principal, ins []Input) error
}

// vetPartner runs the partner gate for a partner's key.
func (s *Service) vetPartner(ctx context.Context, p access.Principal, ins []Input) error {
	if p.PartnerID == "" {
		return nil
	}
	if s.Partners == nil {
		return errs.E(errs.Forbidden, "partner_scope", "a partner's API key cannot send events on this server")
	}
	return s.Partners.VetPartnerEvents(ctx, p, ins)
}

// TxAs presents the ingestion's transaction as a domain's own storage
// interface T (its concrete type implements every domain's, as with
// store.Bind), for hooks, code resolvers and plan or segment sources.
func TxAs[T any](tx Tx) (T, error) {
	t, ok := tx.(T)
	if !ok {
		var zero T
		return zero, fmt.Errorf("events: the ingestion transaction %T does not implement %T", tx, &zero)
	}
	return t, nil
}
