package claim

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// staleApproval is how long an approval may hold a claim before another
// approval may take over (after a crash between the steps of Approve).
const staleApproval = 5 * time.Minute

// requireStaff refuses callers that are neither staff nor an admin key:
// decisions on claims name who made them.
func requireStaff(p access.Principal) error {
	if err := p.Can(access.DecideClaims); err != nil {
		return err
	}
	if !p.Operator() {
		return errs.E(errs.Forbidden, "staff_only", "claims are decided by operator staff: use an API key that acts for a staff user, or an admin key")
	}
	return nil
}

// Approve accepts a pending claim: it is ingested as a "claim" event (source
// "claims", external id the claim id), so the program's rules give its
// points, and the outcome is stored on the claim. Of concurrent approvals
// exactly one succeeds; the others get a Conflict.
func (s *Service) Approve(ctx context.Context, p access.Principal, id string) (Claim, error) {
	if err := requireStaff(p); err != nil {
		return Claim{}, err
	}
	c, err := s.hold(ctx, p, id)
	if err != nil {
		return Claim{}, err
	}
	res, err := s.Events.IngestOwn(ctx, p, eventOf(c))
	if err != nil {
		// Give the claim back, so it can be approved once the cause is fixed.
		c.Status = Pending
		if _, rerr := txn.Do(ctx, s.Store, func(tx Tx) (bool, error) { return tx.UpdateClaimFrom(ctx, c, Approving, time.Time{}) }); rerr != nil {
			return Claim{}, rerr
		}
		return Claim{}, err
	}
	now := s.Clock.Now()
	before := c
	c.Status, c.EventID, c.Results, c.Points = Approved, res.ID, res.Results, pointsOf(res.Results)
	c.DecidedBy, c.DecidedAt, c.UpdatedAt = p.Name(), &now, now
	return txn.Do(ctx, s.Store, func(tx Tx) (Claim, error) {
		ok, err := tx.UpdateClaimFrom(ctx, c, Approving, time.Time{})
		if err != nil {
			return c, err
		}
		if !ok {
			return c, errs.E(errs.Conflict, "claim_decided", "claim %s was decided meanwhile", c.ID)
		}
		if err := s.announce(ctx, tx, p.TenantID, c); err != nil {
			return c, err
		}
		return c, audit.Record(ctx, tx, p, now, "claim.approved", "claim", c.ID, before, c)
	})
}

// hold moves a pending claim (or one whose approval went stale) to
// approving; only one caller can.
func (s *Service) hold(ctx context.Context, p access.Principal, id string) (Claim, error) {
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Claim, error) {
		c, err := tx.GetClaim(ctx, p.TenantID, id)
		if err != nil {
			return c, err
		}
		if err := p.RequireReach(ctx, tx, "organization", c.OrganizationID); err != nil {
			return c, err
		}
		if c.Status != Pending && c.Status != Approving {
			return c, errs.E(errs.Conflict, "claim_decided", "claim %s is already %s", c.ID, c.Status)
		}
		c.Status, c.UpdatedAt = Approving, now
		ok, err := tx.UpdateClaimFrom(ctx, c, Pending, now.Add(-staleApproval))
		if err == nil && !ok {
			err = errs.E(errs.Conflict, "claim_decided", "claim %s is being approved by someone else", c.ID)
		}
		return c, err
	})
}

// Reject refuses a pending claim with a reason the employee will read.
func (s *Service) Reject(ctx context.Context, p access.Principal, id, reason string) (Claim, error) {
	if err := requireStaff(p); err != nil {
		return Claim{}, err
	}
	var f errs.Fields
	reason = valid.LongText(&f, "reason", reason, true, 1000)
	if err := f.Err(); err != nil {
		return Claim{}, err
	}
	now := s.Clock.Now()
	return txn.Do(ctx, s.Store, func(tx Tx) (Claim, error) {
		c, err := tx.GetClaim(ctx, p.TenantID, id)
		if err != nil {
			return c, err
		}
		before := c
		c.Status, c.Reason, c.DecidedBy, c.DecidedAt, c.UpdatedAt = Rejected, reason, p.Name(), &now, now
		ok, err := tx.UpdateClaimFrom(ctx, c, Pending, time.Time{})
		if err != nil {
			return c, err
		}
		if !ok {
			return c, errs.E(errs.Conflict, "claim_decided", "claim %s is already %s", c.ID, before.Status)
		}
		if err := s.announce(ctx, tx, p.TenantID, c); err != nil {
			return c, err
		}
		return c, audit.Record(ctx, tx, p, now, "claim.rejected", "claim", c.ID, before, c)
	})
}

// eventOf is the event of an approved claim. It depends on the claim
// only, so a retried approval sends the same event and gets its outcome.
func eventOf(c Claim) events.Input {
	date, _ := time.Parse(time.DateOnly, c.InvoiceDate)
	in := events.Input{Type: engine.Claim, Source: Source, ExternalID: c.ID, OccurredAt: date, Organization: c.OrganizationID,
		Member: c.MemberID, Currency: c.Currency,
		Attributes: map[string]string{"claim_id": c.ID, "invoice_number": c.InvoiceNumber, "end_customer": c.EndCustomer}}
	for _, l := range c.Lines {
		in.Lines = append(in.Lines, events.LineInput{SKU: l.SKU, Category: l.Category, Qty: l.Qty, UnitPrice: l.UnitPrice})
	}
	return in
}

// pointsOf sums what the programs credited for an event.
func pointsOf(rs []events.ProgramResult) int64 {
	var n int64
	for _, r := range rs {
		if r.Status != engine.Applied {
			continue
		}
		for _, e := range r.Earns {
			n += e.Points
		}
	}
	return n
}
