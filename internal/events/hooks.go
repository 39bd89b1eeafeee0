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
	b     *batch
}

// Post writes a ledger entry with the batch's other postings.
func (h *HookCtx) Post(ctx context.Context, e ledger.Entry) (ledger.Transaction, error) {
	return h.b.s.Ledger.PostDeferred(ctx, h.b.tx, h.b.p, e, &h.b.ledger)
}

// runHooks calls every hook for a new event.
func (b *batch) runHooks(ctx context.Context, in *Input, rec *Record) error {
	if len(b.s.Hooks) == 0 {
		return nil
	}
	h := &HookCtx{Tx: b.tx, Principal: b.p, Now: b.now, Input: in, b: b}
	for _, hk := range b.s.Hooks {
		if err := hk.AfterEvent(ctx, h, rec); err != nil {
			return err
		}
	}
	return nil
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

// segments reads an organization's segment codes once per organization
// in a row of events.
func (b *batch) segments(ctx context.Context, orgID string) ([]string, error) {
	if b.s.Segments == nil {
		return nil, nil
	}
	if b.lastSegs.org == orgID && b.lastSegs.org != "" {
		return b.lastSegs.segs, nil
	}
	ss, err := b.s.Segments.SegmentsOf(ctx, b.tx, b.p.TenantID, orgID)
	if err != nil {
		return nil, err
	}
	b.lastSegs.org, b.lastSegs.segs = orgID, ss
	return ss, nil
}

// plans reads an organization's active memberships once per event time.
func (b *batch) plans(ctx context.Context, orgID string, at time.Time) ([]engine.Plan, error) {
	if b.s.Plans == nil {
		return nil, nil
	}
	if b.lastPlans.org == orgID && b.lastPlans.at.Equal(at) {
		return b.lastPlans.plans, nil
	}
	ps, err := b.s.Plans.ActivePlans(ctx, b.tx, b.p.TenantID, orgID, at)
	if err != nil {
		return nil, err
	}
	b.lastPlans.org, b.lastPlans.at, b.lastPlans.plans = orgID, at, ps
	return ps, nil
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
