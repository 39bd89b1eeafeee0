package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// EarnInput credits earned points to a wallet.
type EarnInput struct {
	IdemKey     string
	Owner       Owner
	PointTypeID string
	Amount      int64
	EffectiveAt time.Time  // when earned; zero: now
	AvailableAt *time.Time // nil: after the point type's pending days
	ExpiresAt   *time.Time // nil: the point type's expiry policy
	NeverExpire bool
	Cause       Cause
}

// Earn credits points to a wallet as a new lot.
func (s *Service) Earn(ctx context.Context, p access.Principal, in EarnInput) (Transaction, error) {
	if err := checkWalletChange(p, in.Owner, in.Amount); err != nil {
		return Transaction{}, err
	}
	return s.post(ctx, p, earnRequest(in))
}

// earnRequest is the request of an earn.
func earnRequest(in EarnInput) request {
	return request{kind: KindEarn, idemKey: in.IdemKey, input: in, effective: in.EffectiveAt, cause: in.Cause,
		ops: []op{credit{owner: in.Owner, pointType: in.PointTypeID, amount: in.Amount, from: SysIssuance,
			availableAt: in.AvailableAt, expiresAt: in.ExpiresAt, neverExpire: in.NeverExpire}}}
}

// SpendInput takes points from a wallet for a purchase or a reward.
type SpendInput struct {
	IdemKey     string
	Owner       Owner
	PointTypeID string
	Amount      int64
	Cause       Cause
}

// Spend takes points from a wallet's available lots, earliest expiry first.
func (s *Service) Spend(ctx context.Context, p access.Principal, in SpendInput) (Transaction, error) {
	if err := checkWalletChange(p, in.Owner, in.Amount); err != nil {
		return Transaction{}, err
	}
	return s.post(ctx, p, request{kind: KindSpend, idemKey: in.IdemKey, input: in, cause: in.Cause,
		ops: []op{debit{owner: in.Owner, pointType: in.PointTypeID, amount: in.Amount, to: SysRedemption}}})
}

// TransferInput moves points between two wallets.
type TransferInput struct {
	IdemKey     string
	From, To    Owner
	PointTypeID string
	Amount      int64
	Reason      string
}

// Transfer moves points between wallets where the point type allows the
// route (an organization to its employee, a branch to its holding…).
func (s *Service) Transfer(ctx context.Context, p access.Principal, in TransferInput) (Transaction, error) {
	if err := p.Can(access.MoveValue); err != nil {
		return Transaction{}, err
	}
	if err := checkReason(&in.Reason, false); err != nil {
		return Transaction{}, err
	}
	for _, o := range []Owner{in.From, in.To} {
		if err := checkOwner(o); err != nil {
			return Transaction{}, err
		}
	}
	if in.From == in.To {
		return Transaction{}, errs.InvalidField("to", "same_wallet", "a transfer needs two different wallets")
	}
	if err := checkAmount("amount", in.Amount); err != nil {
		return Transaction{}, err
	}
	return s.post(ctx, p, request{kind: KindTransfer, idemKey: in.IdemKey, input: in, cause: Cause{Reason: in.Reason},
		ops: []op{routeCheck(in), transfer{from: in.From, to: in.To, pointType: in.PointTypeID, amount: in.Amount}},
		after: func(ctx context.Context, w *writer) error {
			return audit.Record(ctx, w.tx, p, w.now, "ledger.transfer", "ledger_tx", w.t.ID, nil, in)
		}})
}

// routeCheck refuses a transfer the point type does not allow.
type routeCheck TransferInput

func (r routeCheck) apply(ctx context.Context, w *writer) error {
	pt, err := w.s.pointType(ctx, w.tx, w.tenant, r.PointTypeID)
	if err != nil {
		return err
	}
	route, err := w.tx.Relation(ctx, w.tenant, r.From, r.To)
	if err != nil {
		return err
	}
	if !pt.Allows(route) {
		if route == "" {
			route = "unrelated wallets"
		}
		return errs.E(errs.Forbidden, "transfer_not_allowed", "point type %s does not allow transfers of this kind (%s); allowed: %v", pt.Code, route, pt.Transfers)
	}
	return nil
}

// ClawbackInput takes back points of a lot.
type ClawbackInput struct {
	IdemKey string
	LotID   string
	Amount  int64
	Policy  string // ClawSourceOnly, ClawOtherLots or ClawAllowNegative
	Cause   Cause
}

// Clawback takes back points earned by a lot, e.g. for returned goods.
func (s *Service) Clawback(ctx context.Context, p access.Principal, in ClawbackInput) (Transaction, error) {
	if err := p.Can(access.MoveValue); err != nil {
		return Transaction{}, err
	}
	var f errs.Fields
	valid.OneOf(&f, "policy", in.Policy, true, ClawbackPolicies)
	if err := f.Err(); err != nil {
		return Transaction{}, err
	}
	if err := checkAmount("amount", in.Amount); err != nil {
		return Transaction{}, err
	}
	return s.post(ctx, p, request{kind: KindClawback, idemKey: in.IdemKey, input: in, cause: in.Cause, mayBeEmpty: true,
		ops: []op{clawback{lotID: in.LotID, amount: in.Amount, policy: in.Policy}}})
}

// ReverseInput undoes a transaction.
type ReverseInput struct {
	IdemKey string
	TxID    string
	Reason  string
}

// Reverse undoes an earn, spend, adjustment, transfer or clawback.
func (s *Service) Reverse(ctx context.Context, p access.Principal, in ReverseInput) (Transaction, error) {
	if err := p.Can(access.MoveValue); err != nil {
		return Transaction{}, err
	}
	if err := checkReason(&in.Reason, true); err != nil {
		return Transaction{}, err
	}
	return s.post(ctx, p, request{kind: KindReverse, idemKey: in.IdemKey, input: in, cause: Cause{Reason: in.Reason},
		ops: []op{reversal{txID: in.TxID}}, after: markReversed(p, in)})
}

// markReversed marks the reversed transaction and audits the reversal.
func markReversed(p access.Principal, in ReverseInput) func(ctx context.Context, w *writer) error {
	return func(ctx context.Context, w *writer) error {
		ok, err := w.tx.SetReversedBy(ctx, w.tenant, in.TxID, w.t.ID)
		if err != nil {
			return err
		}
		if !ok { // a second guard: the reversal locked the row before checking it
			return errs.E(errs.Conflict, "already_reversed", "transaction %s was already reversed", in.TxID)
		}
		return audit.Record(ctx, w.tx, p, w.now, "ledger.reversed", "ledger_tx", in.TxID, nil, map[string]string{"reversal": w.t.ID, "reason": in.Reason})
	}
}

// checkWalletChange checks the caller may write, the owner and the amount.
func checkWalletChange(p access.Principal, o Owner, amount int64) error {
	if err := p.Can(access.MoveValue); err != nil {
		return err
	}
	if err := checkOwner(o); err != nil {
		return err
	}
	return checkAmount("amount", amount)
}

// checkReason trims a reason and checks its length (and presence).
func checkReason(reason *string, required bool) error {
	var f errs.Fields
	*reason = valid.Text(&f, "reason", *reason, required, 500)
	return f.Err()
}

func checkOwner(o Owner) error {
	if o.Type != OwnerOrganization && o.Type != OwnerMember {
		return errs.InvalidField("owner.type", "not_allowed", "a wallet belongs to an organization or a member")
	}
	if o.ID == "" {
		return errs.InvalidField("owner.id", "required", "owner.id is required")
	}
	return nil
}
