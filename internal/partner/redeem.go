package partner

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/platform/valid"
)

// MaxRedeem bounds the points of one redemption.
const MaxRedeem = 1_000_000_000_000

// Redemption is points a member paid with at a partner.
type Redemption struct {
	ID         string    `json:"id"`
	TenantID   string    `json:"-"`
	PartnerID  string    `json:"partner_id"`
	Reference  string    `json:"reference"`
	MemberID   string    `json:"member_id"`
	Points     int64     `json:"points"`
	LedgerTxID string    `json:"ledger_tx_id"`
	CreatedBy  string    `json:"created_by"`
	RedeemedAt time.Time `json:"redeemed_at"`
}

// RedeemInput is a payment with points at a partner. Reference is the
// partner's own id of the payment (a receipt number): the same reference
// again returns the first redemption, with other content it is a conflict.
type RedeemInput struct {
	Member    string
	Points    int64
	Reference string
}

// Redeem takes points from an opted-in member's wallet for a purchase at
// the partner, in one transaction with the redemption record; a wallet
// short of points is a conflict and nothing is written. The operator (write
// scope) or the partner's own key may redeem. The second result says
// whether this call made the redemption (false: a repeat of the reference).
func (s *Service) Redeem(ctx context.Context, p access.Principal, partnerID string, in RedeemInput) (Redemption, bool, error) {
	if err := own(p, partnerID, access.ScopeWrite); err != nil {
		return Redemption{}, false, err
	}
	var f errs.Fields
	ref := valid.Text(&f, "reference", in.Reference, true, 200)
	if in.Points <= 0 || in.Points > MaxRedeem {
		f.Add("points", "out_of_range", "points is between 1 and %d", int64(MaxRedeem))
	}
	if err := f.Err(); err != nil {
		return Redemption{}, false, err
	}
	r, made, err := s.redeemOnce(ctx, p, partnerID, ref, in)
	if err != nil {
		r, err = s.repeat(ctx, p, partnerID, ref, in, err)
		made = false
	}
	return r, made, err
}

// repeat answers a redemption that failed: when a copy of the payment was
// redeemed while this one was being written (both checks found no
// redemption of the reference), this one failed on whatever the copy
// changed first — the ledger entry's key, the wallet's points, the
// reference — and the copy's redemption is the answer (or a conflict, for
// other content). Otherwise the failure stands.
func (s *Service) repeat(ctx context.Context, p access.Principal, partnerID, ref string, in RedeemInput, cause error) (Redemption, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) (Redemption, error) {
		prev, err := tx.GetPartnerRedemption(ctx, p.TenantID, partnerID, ref)
		if err != nil {
			return Redemption{}, cause
		}
		m, err := memberOf(ctx, tx, p.TenantID, in.Member)
		if err != nil {
			return Redemption{}, cause
		}
		return same(prev, m.ID, in.Points)
	})
}

// redeemOnce is one attempt of Redeem.
func (s *Service) redeemOnce(ctx context.Context, p access.Principal, partnerID, ref string, in RedeemInput) (Redemption, bool, error) {
	var made bool
	r, err := txn.Do(ctx, s.Store, func(tx Tx) (Redemption, error) {
		made = false // the function runs again after a deadlock
		pt, err := tx.GetPartner(ctx, p.TenantID, partnerID)
		if err != nil {
			return Redemption{}, err
		}
		m, err := memberOf(ctx, tx, p.TenantID, in.Member)
		if err != nil {
			return Redemption{}, err
		}
		if prev, err := tx.GetPartnerRedemption(ctx, p.TenantID, partnerID, ref); err == nil {
			return same(prev, m.ID, in.Points)
		} else if !errs.Is(err, errs.NotFound) {
			return Redemption{}, err
		}
		if pt.Status != Active {
			return Redemption{}, errs.E(errs.Conflict, "partner_suspended", "partner %s is %s and accepts no points", pt.ID, pt.Status)
		}
		if err := optedIn(ctx, tx, p.TenantID, pt.ID, m.ID, in.Member); err != nil {
			return Redemption{}, err
		}
		made = true
		return s.redeem(ctx, tx, p, pt, Redemption{ID: ids.New(), TenantID: p.TenantID, PartnerID: pt.ID, Reference: ref,
			MemberID: m.ID, Points: in.Points, CreatedBy: string(p.ActorType) + ":" + p.ActorID, RedeemedAt: s.Clock.Now()})
	})
	return r, made, err
}

// redeem posts the spend and stores the redemption.
func (s *Service) redeem(ctx context.Context, tx Tx, p access.Principal, pt Partner, r Redemption) (Redemption, error) {
	t, err := s.Ledger.PostWithin(ctx, tx, p, ledger.Entry{Kind: ledger.KindSpend,
		IdemKey: "partner:" + pt.ID + ":redeem:" + r.Reference, Effective: r.RedeemedAt,
		Cause:  ledger.Cause{Reason: "partner redemption: " + pt.Name + " " + r.Reference},
		Debits: []ledger.Debit{{Owner: ledger.Owner{Type: ledger.OwnerMember, ID: r.MemberID}, PointTypeID: pt.PointTypeID, Amount: r.Points}}})
	if err != nil {
		return r, err
	}
	r.LedgerTxID = t.ID
	if err := tx.InsertPartnerRedemption(ctx, r); err != nil {
		return r, err
	}
	return r, audit.Record(ctx, tx, p, r.RedeemedAt, "partner.redeemed", "partner", pt.ID, nil, r)
}

// same answers a repeated reference: the first redemption when it is the
// same payment, a conflict when it is another.
func same(prev Redemption, memberID string, points int64) (Redemption, error) {
	if prev.MemberID != memberID || prev.Points != points {
		return Redemption{}, errs.E(errs.Conflict, "reference_reused",
			"reference %q was already used for redemption %s of %d points by member %s; use a new reference for a new payment", prev.Reference, prev.ID, prev.Points, prev.MemberID)
	}
	return prev, nil
}
