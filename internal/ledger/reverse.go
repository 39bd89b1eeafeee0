package ledger

import (
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// reversal undoes a transaction: the lots it created are voided (they must
// be untouched), the lots it took from are given back (or, if they have
// expired since, their points go to breakage), and every system posting is
// negated. A wallet whose balance is below zero is repaid first.
type reversal struct {
	txID string
}

// walletChange is what a reversal does to one wallet.
type walletChange struct {
	before   Account
	total    int64 // the wallet's postings must sum to this
	buckets  map[Bucket]int64
	lotDelta int64 // change of the remaining of its available lots
}

func (r reversal) apply(ctx context.Context, w *writer) error {
	// Locked before it is checked: two reversals of one transaction would
	// otherwise both find it unreversed, and the second, waiting only for
	// the wallets, would give the points back a second time.
	orig, err := w.tx.LockTx(ctx, w.tenant, r.txID)
	if err != nil {
		return err
	}
	switch {
	case orig.Kind == KindReverse:
		return errs.E(errs.Invalid, "not_reversible", "transaction %s is itself a reversal; reversals cannot be reversed", orig.ID)
	case orig.Kind == KindExpire || orig.Kind == KindActivate:
		return errs.E(errs.Invalid, "not_reversible", "transaction %s is an %s done by the ledger itself and cannot be reversed; adjust the wallet instead", orig.ID, orig.Kind)
	case orig.ReversedBy != "":
		return errs.E(errs.Conflict, "already_reversed", "transaction %s was already reversed by %s", orig.ID, orig.ReversedBy)
	}
	w.t.ReversesID = orig.ID
	wallets, err := w.lockWallets(ctx, orig)
	if err != nil {
		return err
	}
	if err := w.voidLots(ctx, orig, wallets); err != nil {
		return err
	}
	if err := w.restoreUses(ctx, orig, wallets); err != nil {
		return err
	}
	for _, p := range orig.Postings {
		if _, ok := wallets[p.AccountID]; !ok { // a system account: negate
			w.t.Postings = append(w.t.Postings, Posting{TxID: w.t.ID, Seq: len(w.t.Postings) + 1, AccountID: p.AccountID,
				PointTypeID: p.PointTypeID, Bucket: p.Bucket, Amount: -p.Amount})
		}
	}
	return w.settleWallets(ctx, wallets)
}

// lockWallets locks the wallets the transaction touched, in id order, and
// notes what the reversal must post to each.
func (w *writer) lockWallets(ctx context.Context, orig Transaction) (map[string]*walletChange, error) {
	totals := map[string]int64{}
	var ids []string
	for _, p := range orig.Postings {
		if p.AccountSeq == nil {
			continue // a system account
		}
		if _, seen := totals[p.AccountID]; !seen {
			ids = append(ids, p.AccountID)
		}
		totals[p.AccountID] -= p.Amount
	}
	slices.Sort(ids)
	accts, err := w.tx.LockAccounts(ctx, w.tenant, ids)
	if err != nil {
		return nil, err
	}
	if len(accts) != len(ids) {
		return nil, errs.E(errs.Internal, "ledger_inconsistent", "wallets of transaction %s are missing", orig.ID)
	}
	out := make(map[string]*walletChange, len(accts))
	for _, a := range accts {
		out[a.ID] = &walletChange{before: a, total: totals[a.ID], buckets: map[Bucket]int64{}}
	}
	return out, nil
}

func (w *writer) voidLots(ctx context.Context, orig Transaction, wallets map[string]*walletChange) error {
	for _, created := range orig.Lots {
		l, err := w.lot(ctx, created.ID)
		if err != nil {
			return err
		}
		ownUse := int64(0) // taken at creation to repay a debt
		for _, u := range orig.Uses {
			if u.LotID == l.ID {
				ownUse += u.Amount
			}
		}
		if l.State == LotExpired || l.State == LotVoid || l.Amount-l.Remaining != ownUse {
			return errs.E(errs.Conflict, "points_already_used",
				"points of transaction %s were already spent, transferred or expired; claw back the rest instead of reversing", orig.ID)
		}
		wc := wallets[l.AccountID]
		b := bucketOf(l.State)
		wc.buckets[b] -= l.Amount
		if b == Available {
			wc.lotDelta -= l.Remaining
		}
		l.State = LotVoid
		w.use(l, l.Remaining)
	}
	return nil
}

func (w *writer) restoreUses(ctx context.Context, orig Transaction, wallets map[string]*walletChange) error {
	for _, u := range orig.Uses {
		if u.Amount <= 0 || slices.ContainsFunc(orig.Lots, func(l Lot) bool { return l.ID == u.LotID }) {
			continue
		}
		l, err := w.lot(ctx, u.LotID)
		if err != nil {
			return err
		}
		wc := wallets[l.AccountID]
		if l.State == LotExpired || l.State == LotVoid {
			wc.total -= u.Amount // these points went to breakage instead
			pt := wc.before.PointTypeID
			w.postSystem(pt, SysBreakage, u.Amount)
			continue
		}
		b := bucketOf(l.State)
		wc.buckets[b] += u.Amount
		if b == Available {
			wc.lotDelta += u.Amount
		}
		w.use(l, -u.Amount)
	}
	return nil
}

// settleWallets posts each wallet's changes; what no lot accounts for (the
// part of a spend that went below zero) goes to the available bucket. Then,
// if the wallet is below zero, restored lots first repay the debt.
func (w *writer) settleWallets(ctx context.Context, wallets map[string]*walletChange) error {
	order := make([]string, 0, len(wallets))
	for id := range wallets {
		order = append(order, id)
	}
	slices.Sort(order)
	for _, id := range order {
		wc := wallets[id]
		rest := wc.total - wc.buckets[Available] - wc.buckets[Pending]
		wc.buckets[Available] += rest
		pt, err := w.s.pointType(ctx, w.tx, w.tenant, wc.before.PointTypeID)
		if err != nil {
			return err
		}
		floor := min(-pt.NegativeLimit, wc.before.Available) // never worse than the limit, unless it already was
		a, ok, err := w.tx.AddToAccount(ctx, w.tenant, id, wc.buckets[Available], wc.buckets[Pending], floor, w.now)
		if err != nil {
			return err
		}
		if !ok {
			return errs.E(errs.Conflict, "insufficient_points", "reversing would take wallet %s below its limit (available %d, may go %d below zero)",
				id, wc.before.Available, pt.NegativeLimit)
		}
		for _, b := range []Bucket{Available, Pending} {
			if wc.buckets[b] != 0 {
				w.postWallet(a, b, wc.buckets[b], "")
			}
		}
		excess := max(wc.before.Available, 0) + wc.lotDelta - max(a.Available, 0)
		if excess < 0 {
			// The wallet was in debt and points earned since repaid part of
			// it; forgiving the debt frees those points again. They come
			// back as a lot expiring by the point type's policy from now.
			now := w.now
			w.addLot(Lot{ID: ids.New(), TenantID: w.tenant, AccountID: id, TxID: w.t.ID, Amount: -excess, State: LotAvailable,
				EarnedAt: now, AvailableAt: now, ExpiresAt: pt.Expiry.From(now)}, 0)
		}
		if excess > 0 {
			if _, err := w.consume(ctx, id, excess); err != nil {
				return err
			}
		}
	}
	return nil
}

func bucketOf(state string) Bucket {
	if state == LotPending {
		return Pending
	}
	return Available
}
