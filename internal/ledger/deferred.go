package ledger

import (
	"context"
	"time"
)

// Deferred holds the rows of credit-only entries posted within one
// database transaction (PostDeferred), so that a batch of a thousand
// events writes its ledger rows in a few multi-row statements instead of
// three statements per event. It can also hold the batch's wallets (Hold):
// locked at once, changed in memory by the batch's credits, and written
// once each by Flush, instead of one statement per credit whose answer
// (the wallet after it) every posting waits for.
type Deferred struct {
	tenant   string
	txs      []Transaction
	postings []Posting
	lots     []Lot
	uses     []LotUse
	// held are the wallets locked for the batch, as its entries changed
	// them; changed lists those to write, in the order first changed.
	held    map[string]*Account
	changed []string
	isDirty map[string]bool
	// absent are wallets Hold asked for that did not exist: their first
	// credit creates them without first trying to update them.
	absent map[string]bool
}

func (d *Deferred) add(t Transaction) {
	d.tenant = t.TenantID
	d.txs = append(d.txs, t)
	d.postings = append(d.postings, t.Postings...)
	d.lots = append(d.lots, t.Lots...)
	d.uses = append(d.uses, t.Uses...)
}

// Hold locks the existing wallets among ids in one statement (in id
// order, as every holder does) and keeps them for the rest of the
// database transaction. A wallet not held (it does not exist yet, or was
// not named) is changed in the database as without Hold, and held from
// then on.
func (d *Deferred) Hold(ctx context.Context, tx Tx, tenantID string, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	accts, err := tx.LockAccountSet(ctx, tenantID, ids)
	if err != nil {
		return err
	}
	for i := range accts {
		d.keep(accts[i])
	}
	if len(accts) < len(ids) {
		if d.absent == nil {
			d.absent = map[string]bool{}
		}
		for _, id := range ids {
			if d.held[id] == nil {
				d.absent[id] = true
			}
		}
	}
	return nil
}

// isAbsent reports whether Hold found no wallet id (d may be nil).
func (d *Deferred) isAbsent(id string) bool { return d != nil && d.absent[id] }

// keep holds a locked wallet as read, unless it is held already (its
// copy may have changed since).
func (d *Deferred) keep(a Account) {
	if d.held == nil {
		d.held, d.isDirty = map[string]*Account{}, map[string]bool{}
	}
	if _, ok := d.held[a.ID]; !ok {
		d.held[a.ID] = &a
	}
}

// change is AddToAccount on a held wallet, with the same limits: the
// available balance may not fall below floor nor the total exceed
// MaxBalance. held is false for a wallet not held (d may be nil).
func (d *Deferred) change(id string, dAvail, dPend, floor int64, at time.Time) (a Account, ok, held bool) {
	if d == nil || d.held[id] == nil {
		return Account{}, false, false
	}
	h := d.held[id]
	if h.Available+dAvail < floor || h.Available+dAvail+h.Pending+dPend > MaxBalance {
		return *h, false, true
	}
	h.Available += dAvail
	h.Pending += dPend
	h.Seq++
	h.UpdatedAt = at.UTC().Truncate(time.Millisecond) // the stored precision
	if !d.isDirty[id] {
		d.isDirty[id] = true
		d.changed = append(d.changed, id)
	}
	return *h, true, true
}

// Flush writes the rows and the wallets' changes held, in tx; the entries
// take effect when tx commits. The wallets stay held: an entry posted in
// the database after a Flush (a spend) is taken into them by sync.
func (d *Deferred) Flush(ctx context.Context, tx Tx) error {
	if err := d.writeWallets(ctx, tx); err != nil {
		return err
	}
	if len(d.txs) == 0 {
		return nil
	}
	if err := tx.InsertPostings(ctx, d.tenant, d.postings); err != nil {
		return err
	}
	if len(d.lots) > 0 {
		if err := tx.InsertLots(ctx, d.lots); err != nil {
			return err
		}
	}
	if len(d.uses) > 0 {
		if err := tx.InsertUses(ctx, d.tenant, d.uses); err != nil {
			return err
		}
	}
	if err := tx.InsertTxs(ctx, d.txs); err != nil {
		return err
	}
	d.txs, d.postings, d.lots, d.uses = nil, nil, nil, nil
	return nil
}

// writeWallets writes the held wallets the entries changed.
func (d *Deferred) writeWallets(ctx context.Context, tx Tx) error {
	if len(d.changed) == 0 {
		return nil
	}
	accts := make([]Account, len(d.changed))
	for i, id := range d.changed {
		accts[i] = *d.held[id]
	}
	if err := tx.SetAccountSet(ctx, accts[0].TenantID, accts); err != nil {
		return err
	}
	d.changed, d.isDirty = nil, map[string]bool{}
	return nil
}

// sync takes an entry posted in the database past the held wallets (a
// spend, a clawback, after a Flush) into their copies: each wallet posting
// carries the wallet's sequence and balances after it.
func (d *Deferred) sync(t Transaction) {
	for _, p := range t.Postings {
		h := d.held[p.AccountID]
		if h == nil || p.AccountSeq == nil {
			continue
		}
		h.Seq, h.Available, h.Pending = *p.AccountSeq, *p.AvailableAfter, *p.PendingAfter
		h.UpdatedAt = t.Created.UTC().Truncate(time.Millisecond)
	}
}
