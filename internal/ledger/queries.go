package ledger

import (
	"context"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Balance is a wallet's state in one point type.
type Balance struct {
	Account      Account
	PointType    PointType
	MoneyValue   int64 // of the available points, in minor units of PointType.Currency
	ExpiringSoon int64 // available points expiring within the asked window
	NextExpiries []Expiring
}

// Expiring is an amount of points expiring at a time.
type Expiring struct {
	At     time.Time
	Amount int64
}

// maxExpiries is how many upcoming expiries a balance lists.
const maxExpiries = 5

// Balances returns an owner's wallets: available and pending points (cached
// on the account row, one read each), the points expiring within the
// window, and the next expiries.
func (s *Service) Balances(ctx context.Context, p access.Principal, o Owner, within time.Duration) ([]Balance, error) {
	if err := p.Can(access.ReadData); err != nil {
		return nil, err
	}
	if err := checkOwner(o); err != nil {
		return nil, err
	}
	now := s.Clock.Now()
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Balance, error) {
		ok, err := tx.OwnerExists(ctx, p.TenantID, o)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, errs.NotFoundf(string(o.Type), o.ID)
		}
		if err := p.RequireReach(ctx, tx, string(o.Type), o.ID); err != nil {
			return nil, err
		}
		accts, err := tx.ListAccountsOf(ctx, p.TenantID, o)
		if err != nil {
			return nil, err
		}
		out := make([]Balance, 0, len(accts))
		for _, a := range accts {
			b, err := s.balance(ctx, tx, a, now, within)
			if err != nil {
				return nil, err
			}
			out = append(out, b)
		}
		return out, nil
	})
}

func (s *Service) balance(ctx context.Context, tx Tx, a Account, now time.Time, within time.Duration) (Balance, error) {
	pt, err := s.pointType(ctx, tx, a.TenantID, a.PointTypeID)
	if err != nil {
		return Balance{}, err
	}
	b := Balance{Account: a, PointType: pt}
	if b.MoneyValue, err = pt.MoneyValue(max(a.Available, 0)); err != nil {
		return Balance{}, err
	}
	lots, err := tx.ExpiringLots(ctx, a.TenantID, a.ID, time.UnixMilli(NeverMs-1), maxExpiries)
	if err != nil {
		return Balance{}, err
	}
	for _, l := range lots {
		b.NextExpiries = append(b.NextExpiries, Expiring{At: *l.ExpiresAt, Amount: l.Remaining})
	}
	if within > 0 {
		soon, err := tx.ExpiringLots(ctx, a.TenantID, a.ID, now.Add(within), 0)
		if err != nil {
			return Balance{}, err
		}
		for _, l := range soon {
			b.ExpiringSoon += l.Remaining
		}
	}
	return b, nil
}

// GetAccount returns an account; for a system account its balance is
// summed from its postings.
func (s *Service) GetAccount(ctx context.Context, p access.Principal, id string) (Account, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Account{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Account, error) {
		a, err := tx.GetAccount(ctx, p.TenantID, id)
		if err != nil {
			return a, err
		}
		if a.OwnerType != OwnerSystem {
			return a, p.RequireReach(ctx, tx, string(a.OwnerType), a.OwnerID)
		}
		a.Available, err = tx.SystemBalance(ctx, p.TenantID, id)
		return a, err
	})
}

// Statement returns a page of an account's postings, oldest first, each
// with the balance after it.
func (s *Service) Statement(ctx context.Context, p access.Principal, accountID string, r page.Request) (page.Page[StatementLine], error) {
	if err := p.Can(access.ReadData); err != nil {
		return page.Page[StatementLine]{}, err
	}
	rows, err := txn.Get(ctx, s.Store, func(tx Tx) ([]StatementLine, error) {
		a, err := tx.GetAccount(ctx, p.TenantID, accountID)
		if err != nil {
			return nil, err
		}
		if a.OwnerType == OwnerSystem {
			return nil, errs.E(errs.Invalid, "system_account", "statements are kept for wallets; account %s is a system account", accountID)
		}
		if err := p.RequireReach(ctx, tx, string(a.OwnerType), a.OwnerID); err != nil {
			return nil, err
		}
		return tx.Statement(ctx, p.TenantID, accountID, r)
	})
	return page.Build(r, rows, func(l StatementLine) string { return statementKey(l) }), err
}

// statementKey is a statement line's cursor: the account sequence and the
// posting's place in its transaction.
func statementKey(l StatementLine) string {
	return strconv.FormatInt(*l.AccountSeq, 10) + ":" + strconv.Itoa(l.Seq) + ":" + l.TxID
}

// GetTransaction returns a transaction with its postings, lots and uses.
func (s *Service) GetTransaction(ctx context.Context, p access.Principal, id string) (Transaction, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Transaction{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Transaction, error) { return tx.GetTx(ctx, p.TenantID, id) })
}
