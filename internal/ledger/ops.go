package ledger

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loyal-b2b/loyal/internal/lots"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// credit puts points into a wallet as a new lot, from a system account
// (issuance for earned points, adjustment for manual credits).
type credit struct {
	owner       Owner
	pointType   string
	amount      int64
	from        string     // system account kind
	availableAt *time.Time // nil: after the point type's pending days
	expiresAt   *time.Time // nil: by the point type's expiry policy
	neverExpire bool
}

func (c credit) apply(ctx context.Context, w *writer) error {
	pt, err := w.s.pointType(ctx, w.tx, w.tenant, c.pointType)
	if err != nil {
		return err
	}
	earned := w.t.Effective
	avail := earned.AddDate(0, 0, pt.PendingDays)
	if c.availableAt != nil {
		avail = *c.availableAt
	}
	exp := pt.Expiry.From(earned)
	switch {
	case c.neverExpire:
		exp = nil
	case c.expiresAt != nil:
		exp = c.expiresAt
	}
	if exp != nil && !exp.After(avail) {
		return errs.InvalidField("expires_at", "expires_before_available", "the points would expire (%s) before they become available (%s)",
			exp.Format(time.RFC3339), avail.Format(time.RFC3339))
	}
	pending := avail.After(w.now)
	dAvail, dPend, bucket, state := c.amount, int64(0), Available, LotAvailable
	if pending {
		dAvail, dPend, bucket, state = 0, c.amount, Pending, LotPending
	}
	a, ok, err := w.addTo(ctx, pt, c.owner, dAvail, dPend, noFloor)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Invalid, "balance_too_large", "the wallet's balance would exceed %d points", MaxBalance)
	}
	l := Lot{ID: ids.New(), TenantID: w.tenant, AccountID: a.ID, TxID: w.t.ID, Amount: c.amount, Remaining: c.amount,
		State: state, EarnedAt: earned, AvailableAt: avail, ExpiresAt: exp}
	taken := int64(0)
	if !pending {
		taken = c.amount - netted(c.amount, a.Available)
	}
	w.addLot(l, taken)
	w.postWallet(a, bucket, c.amount, l.ID)
	w.postSystem(pt.ID, c.from, -c.amount)
	w.touch(pt, a.ID, c.from)
	return nil
}

// addLot records a new lot of which taken points went at once to repay the
// wallet's debt.
func (w *writer) addLot(l Lot, taken int64) {
	l.Remaining = l.Amount - taken
	w.t.Lots = append(w.t.Lots, l)
	if taken != 0 {
		w.useAt[l.ID] = len(w.t.Uses)
		w.t.Uses = append(w.t.Uses, LotUse{TxID: w.t.ID, LotID: l.ID, Amount: taken})
	}
}

// debit takes points from a wallet's available lots, earliest expiry
// first, into a system account (redemption for spends, adjustment for
// manual debits). Below zero only as far as the point type allows.
type debit struct {
	owner     Owner
	pointType string
	amount    int64
	to        string // system account kind
}

func (d debit) apply(ctx context.Context, w *writer) error {
	pt, err := w.s.pointType(ctx, w.tx, w.tenant, d.pointType)
	if err != nil {
		return err
	}
	a, err := w.take(ctx, pt, d.owner, d.amount, -pt.NegativeLimit)
	if err != nil {
		return err
	}
	w.postWallet(a, Available, -d.amount, "")
	w.postSystem(pt.ID, d.to, d.amount)
	if d.to == SysRedemption { // an adjustment down is not a spend
		w.spent = append(w.spent, spent{Owner: d.owner, PointTypeID: pt.ID, Points: d.amount})
	}
	w.touch(pt, a.ID, d.to)
	return nil
}

// take lowers a wallet's available balance by amount (not below floor) and
// consumes its lots for the part the balance covered.
func (w *writer) take(ctx context.Context, pt PointType, o Owner, amount, floor int64) (Account, error) {
	a, ok, err := w.tx.AddToAccount(ctx, w.tenant, AccountID(pt.ID, o.Type, o.ID), -amount, 0, floor, w.now)
	if err != nil {
		return a, err
	}
	if !ok {
		return a, w.insufficient(ctx, pt, o, amount)
	}
	covered := lots.Covered(amount, a.Available) // what the lots held of it
	_, err = w.consume(ctx, a.ID, covered)
	return a, err
}

// insufficient explains why a wallet could not give amount points.
func (w *writer) insufficient(ctx context.Context, pt PointType, o Owner, amount int64) error {
	a, err := w.tx.GetAccount(ctx, w.tenant, AccountID(pt.ID, o.Type, o.ID))
	if errs.Is(err, errs.NotFound) {
		ok, err := w.tx.OwnerExists(ctx, w.tenant, o)
		if err != nil {
			return err
		}
		if !ok {
			return errs.InvalidField("owner", "unknown_owner", "no %s %q in this tenant", o.Type, o.ID)
		}
	} else if err != nil {
		return err
	}
	limit := ""
	if pt.NegativeLimit > 0 {
		limit = fmt.Sprintf(" and may go %d below zero", pt.NegativeLimit)
	}
	return errs.E(errs.Conflict, "insufficient_points", "the wallet has %d %s available%s; %d asked", a.Available, pt.Unit, limit, amount)
}

// consume takes amount from an account's available lots, earliest expiry
// first, then oldest, and returns the lots it took from.
func (w *writer) consume(ctx context.Context, accountID string, amount int64) ([]LotUse, error) {
	if err := w.writeDirty(ctx); err != nil {
		return nil, err
	}
	var taken []LotUse
	var after Lot
	for amount > 0 {
		lots, err := w.tx.SpendableLots(ctx, w.tenant, accountID, after, 16)
		if err != nil {
			return nil, err
		}
		if len(lots) == 0 {
			return w.consumeNew(accountID, amount, taken)
		}
		for i := range lots {
			l, ok := w.lots[lots[i].ID]
			if !ok {
				l = &lots[i]
				w.lots[l.ID] = l
			}
			n := min(amount, l.Remaining)
			w.use(l, n)
			taken = append(taken, LotUse{LotID: l.ID, Amount: n})
			amount -= n
			if amount == 0 {
				break
			}
		}
		after = lots[len(lots)-1]
	}
	return taken, nil
}

// consumeNew takes what the stored lots could not give from the available
// lots this transaction created in the account: an order may pay with
// points it earns itself. They are used after the stored ones, which
// expire no later under one point type's policy. The new lots are inserted
// at the end with what is left of them, so they need no update.
func (w *writer) consumeNew(accountID string, amount int64, taken []LotUse) ([]LotUse, error) {
	for i := range w.t.Lots {
		l := &w.t.Lots[i]
		if amount == 0 {
			break
		}
		if l.AccountID != accountID || l.State != LotAvailable || l.Remaining <= 0 {
			continue
		}
		n := min(amount, l.Remaining)
		l.Remaining -= n
		if j, ok := w.useAt[l.ID]; ok {
			w.t.Uses[j].Amount += n
		} else {
			w.useAt[l.ID] = len(w.t.Uses)
			w.t.Uses = append(w.t.Uses, LotUse{TxID: w.t.ID, LotID: l.ID, Amount: n})
		}
		taken = append(taken, LotUse{LotID: l.ID, Amount: n})
		amount -= n
	}
	if amount > 0 {
		return nil, errs.E(errs.Internal, "ledger_inconsistent", "account %s: lots hold less than its balance", accountID)
	}
	return taken, nil
}

// transfer moves points between two wallets of one point type. The
// receiving wallet gets lots that keep the expiry of the lots they came
// from.
type transfer struct {
	from, to  Owner
	pointType string
	amount    int64
}

func (t transfer) apply(ctx context.Context, w *writer) error {
	pt, err := w.s.pointType(ctx, w.tx, w.tenant, t.pointType)
	if err != nil {
		return err
	}
	// Lock both wallets in id order, so that opposite transfers wait for
	// each other instead of deadlocking.
	pair := []string{AccountID(pt.ID, t.from.Type, t.from.ID), AccountID(pt.ID, t.to.Type, t.to.ID)}
	slices.Sort(pair)
	if _, err := w.tx.LockAccounts(ctx, w.tenant, pair); err != nil {
		return err
	}
	src, ok, err := w.tx.AddToAccount(ctx, w.tenant, AccountID(pt.ID, t.from.Type, t.from.ID), -t.amount, 0, 0, w.now)
	if err != nil {
		return err
	}
	if !ok {
		return w.insufficient(ctx, pt, t.from, t.amount)
	}
	taken, err := w.consume(ctx, src.ID, t.amount)
	if err != nil {
		return err
	}
	dst, ok, err := w.addTo(ctx, pt, t.to, t.amount, 0, noFloor)
	if err != nil {
		return err
	}
	if !ok {
		return errs.E(errs.Invalid, "balance_too_large", "the receiving wallet's balance would exceed %d points", MaxBalance)
	}
	w.postWallet(src, Available, -t.amount, "")
	w.postWallet(dst, Available, t.amount, "")
	budget := netted(t.amount, dst.Available) // what lands in lots after any debt is repaid
	for _, u := range taken {
		orig, err := w.lot(ctx, u.LotID)
		if err != nil {
			return err
		}
		keep := min(u.Amount, budget)
		budget -= keep
		w.addLot(Lot{ID: ids.New(), TenantID: w.tenant, AccountID: dst.ID, TxID: w.t.ID, Amount: u.Amount, State: LotAvailable,
			EarnedAt: w.t.Effective, AvailableAt: w.t.Effective, ExpiresAt: orig.ExpiresAt}, u.Amount-keep)
	}
	return nil
}

// Clawback policies: what to do when the lot being clawed back was already
// (partly) spent (see package lots).
const (
	ClawSourceOnly    = lots.SourceOnly    // take only what is left in the lot
	ClawOtherLots     = lots.OtherLots     // take the rest from other available lots, down to zero
	ClawAllowNegative = lots.AllowNegative // take the rest from other lots, then below zero
)

// ClawbackPolicies lists the policies.
var ClawbackPolicies = lots.Policies

// clawback takes back points of a lot (a return of goods): from the lot
// first, then as the policy says. The points go back to issuance.
type clawback struct {
	lotID  string
	amount int64
	policy string
}

func (c clawback) apply(ctx context.Context, w *writer) error {
	l0, err := w.tx.GetLot(ctx, w.tenant, c.lotID)
	if errs.Is(err, errs.NotFound) {
		return errs.InvalidField("lot_id", "unknown_lot", "no lot %q in this tenant", c.lotID)
	}
	if err != nil {
		return err
	}
	accts, err := w.tx.LockAccounts(ctx, w.tenant, []string{l0.AccountID})
	if err != nil {
		return err
	}
	if len(accts) != 1 {
		return errs.E(errs.Internal, "ledger_inconsistent", "the account of lot %s is missing", l0.ID)
	}
	a := accts[0]
	l, err := w.lot(ctx, c.lotID) // read again under the account's lock
	if err != nil {
		return err
	}
	fromLot := int64(0)
	if l.State != LotExpired {
		fromLot = min(c.amount, l.Remaining)
	}
	pt, err := w.s.pointType(ctx, w.tx, w.tenant, a.PointTypeID)
	if err != nil {
		return err
	}
	owner := Owner{Type: a.OwnerType, ID: a.OwnerID}
	if fromLot > 0 {
		bucket, dAvail, dPend := Available, -fromLot, int64(0)
		if l.State == LotPending {
			bucket, dAvail, dPend = Pending, 0, -fromLot
		}
		w.use(l, fromLot)
		a, _, err = w.tx.AddToAccount(ctx, w.tenant, a.ID, dAvail, dPend, noFloor, w.now)
		if err != nil {
			return err
		}
		w.postWallet(a, bucket, -fromLot, l.ID)
		w.postSystem(pt.ID, SysIssuance, fromLot)
	}
	rest := lots.ClawRest(c.policy, c.amount-fromLot, a.Available, pt.NegativeLimit)
	if rest == 0 {
		return nil
	}
	a, err = w.take(ctx, pt, owner, rest, -pt.NegativeLimit)
	if err != nil {
		return err
	}
	w.postWallet(a, Available, -rest, "")
	w.postSystem(pt.ID, SysIssuance, rest)
	return nil
}
