package ledger

import (
	"cmp"
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/join"
)

// A client's earns that arrive while its earlier ones are being posted
// wait and are then posted together, in one database transaction
// (package join): on PostgreSQL one BEGIN and COMMIT and a pipeline for
// them all instead of each its own. Each keeps its own answer; a batch of
// several that fails posts each alone, as it would have been.
//
// Only plain earns are joined: each credits one wallet, so a batch that
// changes its wallets in id order (as every holder of several wallets
// does) and writes its aggregates at the end, in key order, cannot
// deadlock on PostgreSQL with another batch, an event batch or a single
// change (a transfer would lock its two wallets in its own order).

// joinable reports whether a request may be posted with others.
func (x posting) joinable() bool {
	r := x.r
	if r.kind != KindEarn || r.systemKey || r.deferTo != nil || r.after != nil || len(r.ops) != 1 {
		return false
	}
	_, ok := r.ops[0].(credit)
	return ok
}

// wallet is the id of the wallet a joinable posting credits.
func (x posting) wallet() string {
	c := x.r.ops[0].(credit)
	return AccountID(c.pointType, c.owner.Type, c.owner.ID)
}

// joinEarn posts an earn with the caller's others that wait.
func (s *Service) joinEarn(ctx context.Context, p access.Principal, x posting) (Transaction, error) {
	s.joinInit.Do(func() {
		s.joins = join.Joiner[access.Principal, posting, Transaction]{Apply: s.postAll,
			Key: func(x posting) string { return x.key }}
	})
	return s.joins.Do(ctx, p, x)
}

// postAll posts joined earns in one database transaction: their wallets
// held (locked at once, in id order, and written once each at the end),
// their rows written together, the aggregates last; one alone is posted
// as any other request.
func (s *Service) postAll(ctx context.Context, p access.Principal, xs []posting) ([]Transaction, error) {
	if len(xs) == 1 {
		t, err := s.postOne(ctx, p, xs[0])
		return []Transaction{t}, err
	}
	order, wallets := make([]int, len(xs)), make([]string, len(xs))
	for i := range order {
		order[i], wallets[i] = i, xs[i].wallet()
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(wallets[a], wallets[b]) })
	out := make([]Transaction, len(xs))
	err := s.Store.Write(ctx, func(tx Tx) error {
		tx.HoldAggregates()
		d := &Deferred{}
		taken, err := s.heldBatch(ctx, tx, p.TenantID, xs, wallets, d)
		if err != nil {
			return err
		}
		for _, i := range order {
			if out[i], err = s.postHeld(ctx, tx, p, xs[i], d, taken); err != nil {
				return err
			}
		}
		if err := d.Flush(ctx, tx); err != nil {
			return err
		}
		return tx.FlushAggregates(ctx)
	})
	return out, err
}

// heldBatch holds a batch's wallets in d and returns which of the ids its
// earns could have been posted under are taken: one statement each,
// whatever the batch's size.
func (s *Service) heldBatch(ctx context.Context, tx Tx, tenantID string, xs []posting, wallets []string, d *Deferred) (map[string]bool, error) {
	if err := d.Hold(ctx, tx, tenantID, wallets); err != nil {
		return nil, err
	}
	txIDs := make([]string, 0, 2*len(xs))
	for _, x := range xs {
		txIDs = append(txIDs, x.id, TxID(tenantID, x.key))
	}
	found, err := tx.TxIDsTaken(ctx, tenantID, txIDs)
	if err != nil {
		return nil, err
	}
	taken := make(map[string]bool, len(found))
	for _, id := range found {
		taken[id] = true
	}
	return taken, nil
}

// postHeld posts an earn of a joined batch with its rows and wallet left
// in d, or answers it with the transaction posted before under its key
// (taken lists the ids in use).
func (s *Service) postHeld(ctx context.Context, tx Tx, p access.Principal, x posting, d *Deferred, taken map[string]bool) (Transaction, error) {
	if taken[TxID(p.TenantID, x.key)] {
		if prev, found, err := s.earlier(ctx, tx, p.TenantID, x.key, x.hash); found || err != nil {
			return prev, err
		}
	}
	if taken[x.id] {
		prev, err := tx.GetTx(ctx, p.TenantID, x.id)
		if err != nil {
			return Transaction{}, err
		}
		if prev.RequestHash != x.hash {
			return Transaction{}, keyReused(x.key, prev)
		}
		return prev, nil
	}
	x.r.deferTo = d
	return s.apply(ctx, tx, p, x.r, x.id, x.key, x.hash)
}
