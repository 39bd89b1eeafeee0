package reward

import (
	"context"
	"slices"
	"strings"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// open lists the statuses a redemption can still be rejected or cancelled in.
var open = []string{Requested, AwaitingManagement, AwaitingOperator, Approved}

// Decision is an approval or a rejection: by the organization's management
// (MemberID: an active owner of the redeeming organization) or by the
// operator (a staff key or an admin key).
type Decision struct {
	MemberID string
	Note     string // required to reject
}

// action is what the caller must be allowed: recording management's
// decision is acting for the participants (as redeeming is); deciding as
// the operator is an operator's decision.
func (d Decision) action() access.Action {
	if d.MemberID != "" {
		return access.Redeem
	}
	return access.DecideRedeem
}

// Approve moves a redemption past the approval it waits for.
func (s *Service) Approve(ctx context.Context, p access.Principal, id string, d Decision) (Redemption, error) {
	checked, err := s.fourEyesFirst(ctx, p, d.action(), id)
	if err != nil {
		return Redemption{}, err
	}
	return s.move(ctx, p, d.action(), id, "redemption.approved", func(ctx context.Context, tx Tx, r *Redemption, st *RedemptionStep) error {
		switch r.Status {
		case AwaitingManagement:
			m, err := checkManager(ctx, tx, r, d.MemberID)
			if err != nil {
				return err
			}
			set, err := tx.GetRewardSettings(ctx, r.TenantID)
			if err != nil {
				return err
			}
			st.MemberID = m.ID
			st.To, _ = afterManagement(set, *r)
		case AwaitingOperator:
			if err := requireOperator(p, "approve"); err != nil {
				return err
			}
			if !checked { // it came to await the operator since fourEyesFirst read it
				return errs.E(errs.Conflict, "wrong_status", "redemption %s changed meanwhile; read it again", r.ID)
			}
			st.To = Approved
		default:
			return errs.E(errs.Conflict, "wrong_status", "redemption %s is %s; only a redemption awaiting approval can be approved", r.ID, r.Status)
		}
		return nil
	}, d.Note)
}

// Reject refuses a redemption before it is fulfilled and gives the points
// and the stock back. The operator may reject at any open step, the
// organization's management while the redemption awaits it.
func (s *Service) Reject(ctx context.Context, p access.Principal, id string, d Decision) (Redemption, error) {
	var f errs.Fields
	d.Note = valid.Text(&f, "reason", d.Note, true, 500)
	if err := f.Err(); err != nil {
		return Redemption{}, err
	}
	return s.move(ctx, p, d.action(), id, "redemption.rejected", func(ctx context.Context, tx Tx, r *Redemption, st *RedemptionStep) error {
		if !slices.Contains(open, r.Status) {
			return errs.E(errs.Conflict, "wrong_status", "redemption %s is %s and can no longer be rejected", r.ID, r.Status)
		}
		if d.MemberID != "" && r.Status == AwaitingManagement {
			m, err := checkManager(ctx, tx, r, d.MemberID)
			if err != nil {
				return err
			}
			st.MemberID = m.ID
		} else if err := requireOperator(p, "reject"); err != nil {
			return err
		}
		st.To = Rejected
		return nil
	}, d.Note)
}

// Cancel withdraws a redemption before it is fulfilled (the requester
// changed their mind) and gives the points and the stock back.
func (s *Service) Cancel(ctx context.Context, p access.Principal, id, reason string) (Redemption, error) {
	var f errs.Fields
	reason = valid.Text(&f, "reason", reason, false, 500)
	if err := f.Err(); err != nil {
		return Redemption{}, err
	}
	return s.move(ctx, p, access.Redeem, id, "redemption.cancelled", func(_ context.Context, _ Tx, r *Redemption, st *RedemptionStep) error {
		if !slices.Contains(open, r.Status) {
			return errs.E(errs.Conflict, "wrong_status", "redemption %s is %s and can no longer be cancelled", r.ID, r.Status)
		}
		st.To = Cancelled
		return nil
	}, reason)
}

// Fulfill records that an approved redemption was delivered; a voucher
// gets its code now.
func (s *Service) Fulfill(ctx context.Context, p access.Principal, id, note string) (Redemption, error) {
	var f errs.Fields
	note = valid.Text(&f, "note", note, false, 500)
	if err := f.Err(); err != nil {
		return Redemption{}, err
	}
	return s.move(ctx, p, access.DecideRedeem, id, "redemption.fulfilled", func(ctx context.Context, tx Tx, r *Redemption, st *RedemptionStep) error {
		if r.Status != Approved {
			return errs.E(errs.Conflict, "wrong_status", "redemption %s is %s; only an approved redemption can be fulfilled", r.ID, r.Status)
		}
		it, err := tx.GetRewardItem(ctx, r.TenantID, r.ItemID)
		if err != nil {
			return err
		}
		if it.Kind == Voucher {
			r.VoucherCode = ids.Token(10)
		}
		st.To = Fulfilled
		return nil
	}, note)
}

// decide checks a step and sets its target status (and may change r).
type decide func(ctx context.Context, tx Tx, r *Redemption, st *RedemptionStep) error

// move changes a redemption's status in one transaction: decide checks the
// caller's right and picks the next status; the row is written only if its
// status is still the one read, so of concurrent requests exactly one
// wins and the others get a conflict. A rejection or cancellation then
// returns the points (the reversal restores the same lots), the stock and
// the per-period counts.
func (s *Service) move(ctx context.Context, p access.Principal, act access.Action, id, action string, fn decide, note string) (Redemption, error) {
	if err := p.Can(act); err != nil {
		return Redemption{}, err
	}
	return txn.Do(ctx, s.Store, func(tx Tx) (Redemption, error) {
		before, err := tx.GetRedemption(ctx, p.TenantID, id)
		if err != nil {
			return before, err
		}
		if err := p.RequireReach(ctx, tx, "organization", before.OrganizationID); err != nil {
			return before, err
		}
		r := before
		now := s.Clock.Now()
		st := RedemptionStep{Actor: actor(p), At: now, From: r.Status, Note: note}
		if err := fn(ctx, tx, &r, &st); err != nil {
			return before, err
		}
		r.Status, r.UpdatedAt = st.To, now
		r.Steps = append(slices.Clone(r.Steps), st)
		giveBack := st.To == Rejected || st.To == Cancelled
		if giveBack {
			r.ReturnTxID = ledger.TxID(p.TenantID, returnKey(r.ID))
		}
		ok, err := tx.MoveRedemption(ctx, r, before.Status)
		if err != nil {
			return before, err
		}
		if !ok {
			return before, errs.E(errs.Conflict, "wrong_status", "redemption %s changed meanwhile; read it again", r.ID)
		}
		if giveBack {
			if err := s.giveBack(ctx, tx, p, r, action); err != nil {
				return before, err
			}
		}
		if err := s.announce(ctx, tx, p.TenantID, r, before.Status, note); err != nil {
			return before, err
		}
		return r, audit.Record(ctx, tx, p, now, action, "redemption", r.ID, before, r)
	})
}

// giveBack reverses the reserving spend and returns stock and counts.
// It runs after the status moved, so that only the winner of concurrent
// requests gives back.
func (s *Service) giveBack(ctx context.Context, tx Tx, p access.Principal, r Redemption, action string) error {
	_, err := s.Ledger.ReverseWithin(ctx, tx, p, ledger.ReverseInput{IdemKey: returnKey(r.ID), TxID: r.LedgerTxID,
		Reason: action + " " + r.ID})
	if err != nil {
		return err
	}
	if err := tx.ReturnRewardStock(ctx, r.TenantID, r.ItemID, r.Quantity); err != nil {
		return err
	}
	for _, u := range r.Usage {
		if err := tx.SubRewardUsage(ctx, r.TenantID, r.ItemID, u, r.Quantity); err != nil {
			return err
		}
	}
	return nil
}

// checkManager makes sure memberID (an id or ext:<external id>) is an active owner of the redeeming
// organization: only its management approves an employee's redemption.
func checkManager(ctx context.Context, tx Tx, r *Redemption, memberID string) (party.Member, error) {
	if memberID == "" {
		return party.Member{}, errs.InvalidField("member_id", "required", "the organization's management approves: give member_id, an active owner of organization %s", r.OrganizationID)
	}
	m, err := party.MemberByRef(ctx, tx, r.TenantID, memberID)
	if errs.Is(err, errs.NotFound) {
		return m, errs.InvalidField("member_id", "unknown_member", "no member %q in this tenant", memberID)
	}
	if err != nil {
		return m, err
	}
	switch {
	case m.OrganizationID != r.OrganizationID:
		return m, errs.E(errs.Forbidden, "not_management", "member %q does not belong to organization %s; only its own management decides", memberID, r.OrganizationID)
	case m.Status != party.MemberActive:
		return m, errs.E(errs.Forbidden, "not_management", "member %q is %s; only an active owner/director decides", memberID, m.Status)
	case !m.HasRole(party.RoleOwner):
		return m, errs.E(errs.Forbidden, "not_management", "member %q is not an owner/director of the organization; only management decides on employees' redemptions", memberID)
	}
	return m, nil
}

// checkApprover applies the four-eyes rule to the operator's approval of
// r: whoever asked for it (its first step) does not approve it, nor does
// anyone they made or empowered for it.
func (s *Service) checkApprover(ctx context.Context, p access.Principal, r Redemption) error {
	if s.Approvers == nil {
		return errs.E(errs.Forbidden, "four_eyes", "approvals need a four-eyes check, which is not configured")
	}
	requester := strings.TrimPrefix(r.Steps[0].Actor, "staff:") // as access.Principal.Name names it
	return s.Approvers.CheckApprover(ctx, p, requester, r.CreatedAt)
}

// fourEyesFirst applies the four-eyes rule to an operator's approval of
// redemption id before the approval's write transaction, and reports
// whether it did (the redemption awaited the operator and every earlier
// check of move would pass; otherwise move answers). The check reads on a
// connection of its own: run inside the write, eight concurrent approvals
// each held a connection of PostgreSQL's pool while waiting for another,
// and the pool ran dry. Who asked and when never change, so the check
// made first still holds when the write runs.
func (s *Service) fourEyesFirst(ctx context.Context, p access.Principal, act access.Action, id string) (bool, error) {
	if p.Can(act) != nil || requireOperator(p, "approve") != nil {
		return false, nil
	}
	r, err := txn.Get(ctx, s.Store, func(tx Tx) (Redemption, error) {
		r, err := tx.GetRedemption(ctx, p.TenantID, id)
		if err == nil {
			err = p.RequireReach(ctx, tx, "organization", r.OrganizationID)
		}
		return r, err
	})
	if err != nil || r.Status != AwaitingOperator {
		return false, nil // move reads it again and answers
	}
	return true, s.checkApprover(ctx, p, r)
}

// requireOperator refuses callers that are neither staff nor an admin key.
func requireOperator(p access.Principal, what string) error {
	if p.Operator() {
		return nil
	}
	return errs.E(errs.Forbidden, "operator_only", "only the operator may %s this redemption now: use an API key that acts for a staff user, or an admin key", what)
}

// GetRedemption returns one redemption with its steps.
func (s *Service) GetRedemption(ctx context.Context, p access.Principal, id string) (Redemption, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Redemption{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Redemption, error) {
		r, err := tx.GetRedemption(ctx, p.TenantID, id)
		if err != nil {
			return r, err
		}
		return r, p.RequireReach(ctx, tx, "organization", r.OrganizationID)
	})
}

// ListRedemptions returns a page of redemptions, oldest first. Organization
// and member take ids or ext:<external id>.
func (s *Service) ListRedemptions(ctx context.Context, p access.Principal, f RedemptionFilter, r page.Request) (page.Page[Redemption], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Redemption]{}, err
	}
	var fs errs.Fields
	valid.OneOf(&fs, "status", f.Status, false, Statuses)
	if err := fs.Err(); err != nil {
		return page.Page[Redemption]{}, err
	}
	f.ManagedBy = p.ReachFilter()
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Redemption, error) {
		if err := resolveFilter(ctx, tx, p.TenantID, &f); err != nil {
			return nil, err
		}
		return tx.ListRedemptions(ctx, p.TenantID, f, r)
	})
	return page.Build(r, rows, func(x Redemption) string { return x.ID }), err
}

// resolveFilter turns external references into ids; an unknown one is 422.
func resolveFilter(ctx context.Context, tx Tx, tenantID string, f *RedemptionFilter) error {
	if f.OrganizationID != "" {
		o, err := party.OrgByRef(ctx, tx, tenantID, f.OrganizationID)
		if errs.Is(err, errs.NotFound) {
			return errs.InvalidField("organization", "unknown_organization", "no organization %q in this tenant", f.OrganizationID)
		} else if err != nil {
			return err
		}
		f.OrganizationID = o.ID
	}
	if f.MemberID != "" {
		m, err := party.MemberByRef(ctx, tx, tenantID, f.MemberID)
		if errs.Is(err, errs.NotFound) {
			return errs.InvalidField("member", "unknown_member", "no member %q in this tenant", f.MemberID)
		} else if err != nil {
			return err
		}
		f.MemberID = m.ID
	}
	return nil
}

// returnKey is the idempotency key of the reversal that returns the points.
func returnKey(id string) string { return "redemption:" + id + ":return" }
