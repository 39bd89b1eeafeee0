package ledger

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/jobrun"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// DefaultBatch is how many lots one job transaction handles.
const DefaultBatch = 2000

// ExpireDue expires every lot of a tenant whose expiry is at or before at:
// each lot's remaining points go from the wallet to breakage, one
// transaction per lot (idempotency key expire:<lot>). Running it again
// changes nothing. It returns how many lots it expired; a lot it could not
// expire is skipped and reported in a *jobrun.Error, the others expire.
func (s *Service) ExpireDue(ctx context.Context, tenantID string, at time.Time, batch int) (int, error) {
	return s.runDue(ctx, JobExpire, tenantID, LotAvailable, at, batch, s.expireLot)
}

// ActivateDue makes every pending lot whose time has come available (one
// transaction per lot, idempotency key activate:<lot>). It returns how many
// lots it activated, and reports those it skipped as ExpireDue does.
func (s *Service) ActivateDue(ctx context.Context, tenantID string, at time.Time, batch int) (int, error) {
	return s.runDue(ctx, JobActivate, tenantID, LotPending, at, batch, s.activateLot)
}

// Names of the ledger's jobs.
const (
	JobExpire   = "expire"
	JobActivate = "activate"
)

// lotJob turns one due lot into its transaction (nil when there is nothing
// to post), changing the lot and the account in place.
type lotJob func(l *Lot, a *Account, tx *Transaction) bool

// runDue processes due lots in batches, each batch one database
// transaction: lock the due lots' accounts in id order (so that concurrent
// spends and other replicas' jobs wait rather than deadlock), read the
// lots again under the locks, and write everything with a few set-based
// statements (one per table, whatever the batch's size). A batch that
// fails for one lot is done again lot by lot, so that only that lot is
// left.
func (s *Service) runDue(ctx context.Context, job, tenantID, state string, at time.Time, batch int, fn lotJob) (int, error) {
	if batch <= 0 {
		batch = DefaultBatch
	}
	return jobrun.Run(ctx, jobrun.Batch[Lot]{Job: job, Size: batch, ID: func(l Lot) string { return l.ID },
		Due: func(ctx context.Context, limit int) ([]Lot, error) {
			return txn.Get(ctx, s.Store, func(tx Tx) ([]Lot, error) { return tx.DueLots(ctx, tenantID, state, at, limit) })
		},
		Do: func(ctx context.Context, due []Lot) (int, error) {
			return s.dueBatch(ctx, tenantID, state, at, due, fn)
		},
	})
}

// LotJobWrite is what one batch of a lot job writes: the transactions
// with their postings and lot uses, the lots moved from state From to To
// (Before holding each lot's remaining as read), and the wallets.
type LotJobWrite struct {
	TenantID string
	Txs      []Transaction
	Postings []Posting
	Uses     []LotUse
	From, To string
	Lots     []Lot
	Before   []int64
	Accounts []Account
}

func (s *Service) dueBatch(ctx context.Context, tenantID, state string, at time.Time, due []Lot, job lotJob) (int, error) {
	done := 0
	err := s.Store.Write(ctx, func(tx Tx) error {
		w, err := s.planBatch(ctx, tx, tenantID, state, at, due, job)
		done = len(w.Lots)
		if err != nil || done == 0 {
			return err
		}
		if err := tx.WriteLotJob(ctx, w); err != nil {
			return err
		}
		return s.announceExpiries(ctx, tx, tenantID, w.Txs, w.Accounts)
	})
	if err != nil {
		return 0, err
	}
	return done, nil
}

// planBatch locks the due lots' wallets in id order (so that concurrent
// spends and other replicas' jobs wait rather than deadlock), reads the
// lots again under the locks, and computes every row the batch writes.
func (s *Service) planBatch(ctx context.Context, tx Tx, tenantID, state string, at time.Time, due []Lot, job lotJob) (LotJobWrite, error) {
	w := LotJobWrite{TenantID: tenantID, From: state, To: map[string]string{LotPending: LotAvailable, LotAvailable: LotExpired}[state]}
	var acctIDs, lotIDs []string
	for _, l := range due {
		acctIDs = append(acctIDs, l.AccountID)
		lotIDs = append(lotIDs, l.ID)
	}
	slices.Sort(acctIDs)
	acctIDs = slices.Compact(acctIDs)
	accts, err := tx.LockAccountSet(ctx, tenantID, acctIDs)
	if err != nil {
		return w, err
	}
	if len(accts) != len(acctIDs) {
		return w, errs.E(errs.Internal, "ledger_inconsistent", "accounts of due lots are missing")
	}
	byID := make(map[string]*Account, len(accts))
	for i := range accts {
		byID[accts[i].ID] = &accts[i]
	}
	lots, err := tx.LotSet(ctx, tenantID, lotIDs)
	if err != nil {
		return w, err
	}
	slices.SortFunc(lots, func(a, b Lot) int { return strings.Compare(a.ID, b.ID) }) // a stable order: the sets come back in any
	now := s.Clock.Now()
	for i := range lots {
		l := &lots[i]
		if !isDue(*l, state, at) {
			continue // changed since the first read
		}
		before := l.Remaining
		a := byID[l.AccountID]
		t := Transaction{TenantID: tenantID, Created: now, ActorType: string(access.ActorSystem), ActorID: "jobs"}
		if job(l, a, &t) {
			a.UpdatedAt = now
			w.Txs = append(w.Txs, t)
			w.Postings = append(w.Postings, t.Postings...)
			w.Uses = append(w.Uses, t.Uses...)
		}
		w.Lots, w.Before = append(w.Lots, *l), append(w.Before, before)
	}
	w.Accounts = accts
	return w, nil
}

func isDue(l Lot, state string, at time.Time) bool {
	if l.State != state {
		return false
	}
	if state == LotPending {
		return !l.AvailableAt.After(at)
	}
	return l.ExpiresAt != nil && !l.ExpiresAt.After(at)
}

// expireLot moves a lot's remaining points to breakage.
func (s *Service) expireLot(l *Lot, a *Account, t *Transaction) bool {
	rem := l.Remaining
	l.State = LotExpired
	if rem == 0 {
		return false
	}
	t.Kind, t.IdemKey, t.Effective = KindExpire, "expire:"+l.ID, *l.ExpiresAt
	t.ID = TxID(t.TenantID, t.IdemKey)
	l.Remaining = 0
	t.Uses = []LotUse{{TxID: t.ID, LotID: l.ID, Amount: rem}}
	a.Available -= rem
	a.Seq++
	appendWallet(t, a, Available, -rem, l.ID)
	appendSystem(t, a.PointTypeID, SysBreakage, rem)
	return true
}

// activateLot moves a lot's points from pending to available; if the
// wallet is below zero, they repay the debt first.
func (s *Service) activateLot(l *Lot, a *Account, t *Transaction) bool {
	rem := l.Remaining
	l.State = LotAvailable
	if rem == 0 {
		return false
	}
	t.Kind, t.IdemKey, t.Effective = KindActivate, "activate:"+l.ID, l.AvailableAt
	t.ID = TxID(t.TenantID, t.IdemKey)
	a.Pending -= rem
	a.Seq++
	appendWallet(t, a, Pending, -rem, l.ID)
	a.Available += rem
	a.Seq++
	appendWallet(t, a, Available, rem, l.ID)
	if taken := rem - netted(rem, a.Available); taken > 0 {
		l.Remaining -= taken
		t.Uses = []LotUse{{TxID: t.ID, LotID: l.ID, Amount: taken}}
	}
	return true
}

// appendWallet adds a wallet posting that records the wallet's state after it.
func appendWallet(t *Transaction, a *Account, b Bucket, amount int64, lotID string) {
	seq, av, pe := a.Seq, a.Available, a.Pending
	t.Postings = append(t.Postings, Posting{TxID: t.ID, Seq: len(t.Postings) + 1, AccountID: a.ID, PointTypeID: a.PointTypeID,
		Bucket: b, Amount: amount, LotID: lotID, AccountSeq: &seq, AvailableAfter: &av, PendingAfter: &pe})
}

// appendSystem adds a posting to a point type's system account.
func appendSystem(t *Transaction, pointTypeID, kind string, amount int64) {
	t.Postings = append(t.Postings, Posting{TxID: t.ID, Seq: len(t.Postings) + 1, AccountID: SystemAccountID(pointTypeID, kind),
		PointTypeID: pointTypeID, Bucket: Available, Amount: amount})
}
