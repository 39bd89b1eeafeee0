package ledger

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Entry is a ledger transaction that another service posts inside its own
// database transaction, with the rest of its change (event ingestion
// writes the event, the program states and the points at once).
type Entry struct {
	Kind      Kind // KindEarn or KindClawback (a mix is recorded as the first's kind)
	IdemKey   string
	Effective time.Time
	Cause     Cause
	Credits   []Credit
	Debits    []Debit
	Clawbacks []Clawback
}

// Credit is points earned into a wallet.
type Credit struct {
	Owner       Owner
	PointTypeID string
	Amount      int64
	AvailableAt *time.Time // nil: the point type's pending days
	ExpiresAt   *time.Time // nil: the point type's expiry
}

// Debit is points spent from a wallet.
type Debit struct {
	Owner       Owner
	PointTypeID string
	Amount      int64
}

// Clawback takes points back from a lot under a policy.
type Clawback struct {
	LotID  string
	Amount int64
	Policy string
}

// PostWithin posts an entry inside tx, which the caller commits or rolls
// back. The caller guarantees idempotency (its own unique key); a second
// entry with the same key is a conflict.
func (s *Service) PostWithin(ctx context.Context, tx Tx, p access.Principal, e Entry) (Transaction, error) {
	return s.postWithin(ctx, tx, p, e, nil)
}

// PostDeferred is PostWithin for one of many entries of a batch: a
// credit-only entry leaves its rows (transaction, postings, lots) in d, to
// be written together by d.Flush before the database transaction commits,
// and changes its wallets in d where d holds them (Deferred.Hold), else
// at once. An entry that spends or claws back reads lots, so it first
// flushes what d holds and is written at once; the wallets d holds then
// take in its changes.
// The caller's keys must be unique (a deferred entry is not checked for
// an earlier one with the same key).
func (s *Service) PostDeferred(ctx context.Context, tx Tx, p access.Principal, e Entry, d *Deferred) (Transaction, error) {
	if len(e.Debits) > 0 || len(e.Clawbacks) > 0 {
		if err := d.Flush(ctx, tx); err != nil {
			return Transaction{}, err
		}
		t, err := s.PostWithin(ctx, tx, p, e)
		if err == nil {
			d.sync(t)
		}
		return t, err
	}
	return s.postWithin(ctx, tx, p, e, d)
}

func (s *Service) postWithin(ctx context.Context, tx Tx, p access.Principal, e Entry, d *Deferred) (Transaction, error) {
	if err := p.Require(access.ScopeWrite); err != nil {
		return Transaction{}, err
	}
	r := request{kind: e.Kind, idemKey: e.IdemKey, effective: e.Effective, cause: e.Cause, mayBeEmpty: len(e.Clawbacks) > 0, deferTo: d}
	for _, c := range e.Credits {
		if err := checkAmount("amount", c.Amount); err != nil {
			return Transaction{}, err
		}
		r.ops = append(r.ops, credit{owner: c.Owner, pointType: c.PointTypeID, amount: c.Amount, from: SysIssuance,
			availableAt: c.AvailableAt, expiresAt: c.ExpiresAt})
	}
	for _, d := range e.Debits {
		if err := checkAmount("points_spent", d.Amount); err != nil {
			return Transaction{}, err
		}
		r.ops = append(r.ops, debit{owner: d.Owner, pointType: d.PointTypeID, amount: d.Amount, to: SysRedemption})
	}
	for _, c := range e.Clawbacks {
		r.ops = append(r.ops, clawback{lotID: c.LotID, amount: c.Amount, policy: c.Policy})
	}
	t, err := s.apply(ctx, tx, p, r, TxID(p.TenantID, e.IdemKey), e.IdemKey, "within")
	if errs.Is(err, errs.Conflict) && err == error(errRepeat) {
		return t, errs.E(errs.Conflict, "already_posted", "ledger entry %q was already posted", e.IdemKey)
	}
	return t, err
}

// ReverseWithin is Reverse inside tx, which the caller commits or rolls
// back with the rest of its change (a rejected redemption returns its
// points with its new status). A second reversal with the same key, or of
// a transaction already reversed, is a conflict.
func (s *Service) ReverseWithin(ctx context.Context, tx Tx, p access.Principal, in ReverseInput) (Transaction, error) {
	if err := p.Require(access.ScopeWrite); err != nil {
		return Transaction{}, err
	}
	if err := checkReason(&in.Reason, true); err != nil {
		return Transaction{}, err
	}
	r := request{kind: KindReverse, idemKey: in.IdemKey, cause: Cause{Reason: in.Reason}, ops: []op{reversal{txID: in.TxID}},
		after: markReversed(p, in)}
	t, err := s.apply(ctx, tx, p, r, TxID(p.TenantID, in.IdemKey), in.IdemKey, "within")
	if err == error(errRepeat) {
		return t, errs.E(errs.Conflict, "already_posted", "ledger entry %q was already posted", in.IdemKey)
	}
	return t, err
}
