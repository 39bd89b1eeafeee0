package ledger

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Problem is a broken invariant found by Check.
type Problem struct {
	Tenant string `json:"tenant_id"`
	Kind   string `json:"kind"`   // unbalanced_tx, balance_mismatch, lot_mismatch, lots_vs_balance, negative
	Entity string `json:"entity"` // the transaction, account or lot
	Detail string `json:"detail"`
}

// Check verifies the ledger of a tenant ("" for every tenant): every
// transaction balances per point type, every cached balance equals the sum
// of its postings, every lot's remaining equals its amount minus its uses,
// the lots of every wallet hold its balance, and no wallet is below its
// limit. It returns what is wrong (at most a hundred of each kind).
func (s *Service) Check(ctx context.Context, tenantID string) ([]Problem, error) {
	return txn.Get(ctx, s.Store, func(tx Tx) ([]Problem, error) { return tx.CheckLedger(ctx, tenantID) })
}
