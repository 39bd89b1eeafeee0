package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// Adjustment statuses.
const (
	AdjustmentPending  = "pending_approval"
	AdjustmentPosted   = "posted"
	AdjustmentRejected = "rejected"
)

// Adjustment is a manual change of a wallet by staff. Above the point
// type's threshold it waits for a second staff member's approval.
type Adjustment struct {
	ID           string     `json:"id"`
	TenantID     string     `json:"tenant_id"`
	AccountID    string     `json:"account_id"`
	Amount       int64      `json:"amount"` // positive credits, negative debits
	Reason       string     `json:"reason"`
	ExpiresAt    *time.Time `json:"expires_at"` // of credited points; nil: the point type's policy
	Status       string     `json:"status"`
	RequestedBy  string     `json:"requested_by"` // staff id
	RequestedAt  time.Time  `json:"requested_at"`
	DecidedBy    string     `json:"decided_by"`
	DecidedAt    *time.Time `json:"decided_at"`
	DecisionNote string     `json:"decision_note"`
	TxID         string     `json:"tx_id"`
}

// AdjustInput asks for a manual adjustment.
type AdjustInput struct {
	AccountID string
	Amount    int64
	Reason    string
	ExpiresAt *time.Time
	IdemKey   string
}

// requireStaff refuses callers that are not staff: manual value changes
// must name the person who made them.
func requireStaff(p access.Principal, act access.Action) error {
	if err := p.Can(act); err != nil {
		return err
	}
	if p.StaffID == "" && p.ActorType != access.ActorSystem {
		return errs.E(errs.Forbidden, "staff_only", "manual adjustments are made by staff: use an API key that acts for a staff user")
	}
	return nil
}

// Adjust changes a wallet by hand. Small adjustments post at once; above
// the point type's threshold the adjustment waits for approval.
func (s *Service) Adjust(ctx context.Context, p access.Principal, in AdjustInput) (Adjustment, *Transaction, error) {
	if err := requireStaff(p, access.AdjustWallet); err != nil {
		return Adjustment{}, nil, err
	}
	var f errs.Fields
	reason := valid.Text(&f, "reason", in.Reason, true, 500)
	if in.Amount == 0 || in.Amount > MaxAmount || in.Amount < -MaxAmount {
		f.Add("amount", "out_of_range", "amount is a non-zero number of points between -%d and %d", MaxAmount, MaxAmount)
	}
	if in.ExpiresAt != nil && in.Amount < 0 {
		f.Add("expires_at", "not_allowed", "expires_at applies to credited points only")
	}
	if err := f.Err(); err != nil {
		return Adjustment{}, nil, err
	}
	acct, pt, err := s.walletAndType(ctx, p.TenantID, in.AccountID)
	if err != nil {
		return Adjustment{}, nil, err
	}
	if in.IdemKey == "" {
		return Adjustment{}, nil, errs.InvalidField("idempotency_key", "required", "a manual adjustment needs an idempotency key (the Idempotency-Key header)")
	}
	now := s.Clock.Now()
	// The id derives from the idempotency key, so a retried request finds
	// the adjustment it already made.
	adj := Adjustment{ID: derivedID(p.TenantID, "adjustment", in.IdemKey), TenantID: p.TenantID, AccountID: acct.ID, Amount: in.Amount,
		Reason: reason, ExpiresAt: in.ExpiresAt, RequestedBy: p.Name(), RequestedAt: now}
	if err := s.Store.Read(ctx, func(tx Tx) error { return p.RequireReach(ctx, tx, string(acct.OwnerType), acct.OwnerID) }); err != nil {
		return Adjustment{}, nil, err
	}
	if abs(in.Amount) > pt.ApprovalAbove || (p.AdjustLimit > 0 && abs(in.Amount) > p.AdjustLimit) {
		adj.Status = AdjustmentPending
		out, err := txn.Do(ctx, s.Store, func(tx Tx) (Adjustment, error) {
			// Inserted unless it exists: a concurrent copy of the request
			// inserts it first, and this one then reads it (READ COMMITTED
			// reads anew after waiting for the first's insert).
			inserted, err := tx.InsertAdjustment(ctx, adj)
			if err != nil {
				return adj, err
			}
			if inserted {
				return adj, audit.Record(ctx, tx, p, now, "adjustment.requested", "adjustment", adj.ID, nil, adj)
			}
			prev, err := tx.GetAdjustment(ctx, p.TenantID, adj.ID)
			if err != nil {
				return adj, err
			}
			return prev, sameAdjustment(prev, adj, in.IdemKey)
		})
		return out, nil, err
	}
	adj.Status, adj.DecidedBy, adj.DecidedAt = AdjustmentPosted, adj.RequestedBy, &now
	t, err := s.postAdjustment(ctx, p, adj, in.IdemKey, "adjustment.posted", nil)
	return adj, &t, err
}

// Decide approves or rejects a pending adjustment. Its requester may do
// neither; an approver must be a different, pre-existing person whom the
// requester neither created nor empowered for it (access.Approvers). An
// approval posts it.
func (s *Service) Decide(ctx context.Context, p access.Principal, id string, approve bool, note string) (Adjustment, *Transaction, error) {
	if err := requireStaff(p, access.DecideAdjust); err != nil {
		return Adjustment{}, nil, err
	}
	var f errs.Fields
	note = valid.Text(&f, "note", note, !approve, 500)
	if err := f.Err(); err != nil {
		return Adjustment{}, nil, err
	}
	before, err := txn.Get(ctx, s.Store, func(tx Tx) (Adjustment, error) { return tx.GetAdjustment(ctx, p.TenantID, id) })
	if err != nil {
		return before, nil, err
	}
	switch {
	case before.Status != AdjustmentPending:
		return before, nil, errs.E(errs.Conflict, "already_decided", "adjustment %s is already %s", id, before.Status)
	case before.RequestedBy == p.Name():
		return before, nil, errs.E(errs.Forbidden, "four_eyes", "the staff member who requested an adjustment cannot approve or reject it; ask a colleague")
	}
	if approve {
		if err := s.checkApprover(ctx, p, before.RequestedBy, before.RequestedAt); err != nil {
			return before, nil, err
		}
	}
	now := s.Clock.Now()
	adj := before
	adj.DecidedBy, adj.DecidedAt, adj.DecisionNote = p.Name(), &now, note
	if !approve {
		adj.Status = AdjustmentRejected
		err := s.Store.Write(ctx, func(tx Tx) error {
			cur, err := tx.GetAdjustment(ctx, p.TenantID, id)
			if err != nil {
				return err
			}
			if cur.Status != AdjustmentPending {
				return errs.E(errs.Conflict, "already_decided", "adjustment %s is already %s", id, cur.Status)
			}
			if err := tx.UpdateAdjustment(ctx, adj); err != nil {
				return err
			}
			return audit.Record(ctx, tx, p, now, "adjustment.rejected", "adjustment", id, before, adj)
		})
		return adj, nil, err
	}
	adj.Status = AdjustmentPosted
	t, err := s.postAdjustment(ctx, p, adj, "adjustment:"+id, "adjustment.approved", &before)
	return adj, &t, err
}

// checkApprover applies the four-eyes rule (refusing all approvals when
// no checker is configured).
func (s *Service) checkApprover(ctx context.Context, p access.Principal, requester string, at time.Time) error {
	if s.Approvers == nil {
		return errs.E(errs.Forbidden, "four_eyes", "approvals need a four-eyes check, which is not configured")
	}
	return s.Approvers.CheckApprover(ctx, p, requester, at)
}

// postAdjustment posts an adjustment's transaction. For an approval it
// also marks the adjustment posted, in the same transaction, so that two
// approvals racing post once.
func (s *Service) postAdjustment(ctx context.Context, p access.Principal, adj Adjustment, idemKey, action string, before *Adjustment) (Transaction, error) {
	acct, _, err := s.walletAndType(ctx, p.TenantID, adj.AccountID)
	if err != nil {
		return Transaction{}, err
	}
	owner := Owner{Type: acct.OwnerType, ID: acct.OwnerID}
	var o op = debit{owner: owner, pointType: acct.PointTypeID, amount: -adj.Amount, to: SysAdjustment}
	if adj.Amount > 0 {
		o = credit{owner: owner, pointType: acct.PointTypeID, amount: adj.Amount, from: SysAdjustment, expiresAt: adj.ExpiresAt}
	}
	return s.post(ctx, p, request{kind: KindAdjust, idemKey: idemKey, systemKey: before != nil, input: adj.forHash(), cause: Cause{Reason: adj.Reason}, ops: []op{o},
		after: func(ctx context.Context, w *writer) error {
			adj.TxID = w.t.ID
			if before != nil {
				cur, err := w.tx.GetAdjustment(ctx, p.TenantID, adj.ID)
				if err != nil {
					return err
				}
				if cur.Status != AdjustmentPending {
					return errs.E(errs.Conflict, "already_decided", "adjustment %s is already %s", adj.ID, cur.Status)
				}
				if err := w.tx.UpdateAdjustment(ctx, adj); err != nil {
					return err
				}
				return audit.Record(ctx, w.tx, p, w.now, action, "adjustment", adj.ID, before, adj)
			}
			inserted, err := w.tx.InsertAdjustment(ctx, adj)
			if err != nil {
				return err
			}
			if !inserted { // a copy of the request posted it meanwhile: its transaction answers
				return errRepeat
			}
			return audit.Record(ctx, w.tx, p, w.now, action, "adjustment", adj.ID, nil, adj)
		}})
}

func sameAdjustment(prev, adj Adjustment, key string) error {
	h1, _ := hashInput(KindAdjust, prev.forHash())
	h2, _ := hashInput(KindAdjust, adj.forHash())
	if h1 != h2 {
		return errs.E(errs.Conflict, "idempotency_key_reused", "idempotency key %q was already used for a different adjustment (%s)", key, prev.ID)
	}
	return nil
}

// forHash is what identifies an adjustment request for its idempotency key.
func (a Adjustment) forHash() any {
	return struct {
		Account string
		Amount  int64
		Reason  string
		Expires *time.Time
	}{a.AccountID, a.Amount, a.Reason, a.ExpiresAt}
}

// ListAdjustments returns adjustments by status ("" for all), newest first.
func (s *Service) ListAdjustments(ctx context.Context, p access.Principal, status string, r page.Request) (page.Page[Adjustment], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[Adjustment]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]Adjustment, error) { return tx.ListAdjustments(ctx, p.TenantID, status, r) })
	return page.Build(r, rows, func(a Adjustment) string { return a.ID }), err
}

// walletAndType reads a wallet account and its point type.
func (s *Service) walletAndType(ctx context.Context, tenantID, accountID string) (Account, PointType, error) {
	var a Account
	var pt PointType
	err := s.Store.Read(ctx, func(tx Tx) error {
		var err error
		if a, err = tx.GetAccount(ctx, tenantID, accountID); err != nil {
			return err
		}
		if a.OwnerType == OwnerSystem {
			return errs.E(errs.Invalid, "system_account", "account %s is a system account; adjust a wallet instead", accountID)
		}
		pt, err = s.pointType(ctx, tx, tenantID, a.PointTypeID)
		return err
	})
	return a, pt, err
}

func abs(n int64) int64 {
	if n < 0 {
		return -n
	}
	return n
}
