// Package ledger is the points ledger: double-entry transactions over
// accounts, points held in lots with pending periods and expiry, and one
// write pipeline through which every change of value passes.
//
// Invariants, checked by Check and by property tests:
//   - the postings of every transaction sum to zero per point type;
//   - a wallet's cached available and pending balances equal the sums of its
//     postings in each bucket;
//   - a lot's remaining equals its amount minus its uses;
//   - a wallet's available lots hold exactly max(available, 0) and its
//     pending lots exactly its pending balance;
//   - no wallet is below zero, or below minus its point type's negative limit.
package ledger

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/access"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Kind is what a transaction does.
type Kind string

// Transaction kinds.
const (
	KindEarn     Kind = "earn"
	KindSpend    Kind = "spend"
	KindExpire   Kind = "expire"
	KindActivate Kind = "activate"
	KindClawback Kind = "clawback"
	KindAdjust   Kind = "adjust"
	KindTransfer Kind = "transfer"
	KindReverse  Kind = "reverse"
)

// OwnerType says whose an account is.
type OwnerType string

// Account owners.
const (
	OwnerOrganization OwnerType = "organization"
	OwnerMember       OwnerType = "member"
	OwnerSystem       OwnerType = "system"
)

// System accounts of a point type. They are counterparts of wallets: an
// earn moves points from issuance to a wallet, a spend from the wallet to
// redemption, an expiry to breakage.
const (
	SysIssuance   = "issuance"
	SysRedemption = "redemption"
	SysBreakage   = "breakage"
	SysAdjustment = "adjustment"
	SysSettlement = "settlement"
)

// SystemKinds lists the system accounts every point type has.
var SystemKinds = []string{SysIssuance, SysRedemption, SysBreakage, SysAdjustment, SysSettlement}

// Bucket is the part of a wallet a posting changes.
type Bucket string

// Buckets: pending points are earned but not yet spendable.
const (
	Available Bucket = "available"
	Pending   Bucket = "pending"
)

// Lot states.
const (
	LotPending   = "pending"
	LotAvailable = "available"
	LotExpired   = "expired"
	LotVoid      = "void" // its transaction was reversed
)

// NeverMs is how "never expires" is stored: a time after every real one, so
// that one index orders lots by expiry with the never-expiring last.
const NeverMs int64 = 253402300799999 // 9999-12-31T23:59:59.999Z

// Owner names an organization or a member.
type Owner struct {
	Type OwnerType `json:"type"`
	ID   string    `json:"id"`
}

// Account is a wallet of an owner in one point type, or a system account.
type Account struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"tenant_id"`
	PointTypeID string    `json:"point_type_id"`
	OwnerType   OwnerType `json:"owner_type"`
	OwnerID     string    `json:"owner_id"`
	Available   int64     `json:"available"`
	Pending     int64     `json:"pending"`
	Seq         int64     `json:"seq"` // postings to the account so far; orders its statement
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// Transaction is one atomic change of the ledger.
type Transaction struct {
	ID          string    `json:"id"`
	TenantID    string    `json:"tenant_id"`
	Kind        Kind      `json:"kind"`
	IdemKey     string    `json:"idempotency_key"`
	RequestHash string    `json:"-"`
	Effective   time.Time `json:"effective_at"`
	Created     time.Time `json:"created_at"`
	ActorType   string    `json:"actor_type"`
	ActorID     string    `json:"actor_id"`
	StaffID     string    `json:"staff_id"`
	EventID     string    `json:"event_id"`
	Reference   string    `json:"reference"`
	RuleID      string    `json:"rule_id"`
	Reason      string    `json:"reason"`
	ReversesID  string    `json:"reverses_id"`
	ReversedBy  string    `json:"reversed_by"`
	Postings    []Posting `json:"postings"`
	Lots        []Lot     `json:"lots"` // lots this transaction created
	Uses        []LotUse  `json:"uses"` // lots it reduced (negative: restored)
}

// Posting is one leg of a transaction.
type Posting struct {
	TxID           string `json:"-"`
	Seq            int    `json:"seq"`
	AccountID      string `json:"account_id"`
	PointTypeID    string `json:"point_type_id"`
	Bucket         Bucket `json:"bucket"`
	Amount         int64  `json:"amount"`
	LotID          string `json:"lot_id,omitempty"`
	AccountSeq     *int64 `json:"account_seq,omitempty"`     // wallets only
	AvailableAfter *int64 `json:"available_after,omitempty"` // wallets only
	PendingAfter   *int64 `json:"pending_after,omitempty"`   // wallets only
}

// Lot is points earned together: they become available together and
// expire together.
type Lot struct {
	ID          string     `json:"id"`
	TenantID    string     `json:"-"`
	AccountID   string     `json:"account_id"`
	TxID        string     `json:"tx_id"`
	Amount      int64      `json:"amount"`
	Remaining   int64      `json:"remaining"`
	State       string     `json:"state"`
	EarnedAt    time.Time  `json:"earned_at"`
	AvailableAt time.Time  `json:"available_at"`
	ExpiresAt   *time.Time `json:"expires_at"` // nil: never
}

// LotUse is an amount taken from a lot by a transaction (negative when a
// reversal gives it back).
type LotUse struct {
	TxID   string `json:"tx_id"`
	LotID  string `json:"lot_id"`
	Amount int64  `json:"amount"`
}

// AccountDelta changes a wallet's cached balances.
type AccountDelta struct {
	AccountID string
	Available int64
	Pending   int64
}

// StatementLine is one posting to an account with its transaction.
type StatementLine struct {
	Posting
	Kind      Kind
	Effective time.Time
	Created   time.Time
	Reason    string
	EventID   string
	Reference string
	RuleID    string
}

// Tx is what the ledger needs from storage inside a transaction.
type Tx interface {
	audit.Writer
	access.Reach
	InsertPointType(ctx context.Context, pt PointType) error
	GetPointType(ctx context.Context, tenantID, id string) (PointType, error)
	ListPointTypes(ctx context.Context, tenantID, programID string) ([]PointType, error)
	ProgramExists(ctx context.Context, tenantID, id string) (bool, error)
	OwnerExists(ctx context.Context, tenantID string, o Owner) (bool, error)
	// Relation reports how owner a relates to owner b for transfers:
	// "org_to_member" (b works at a), "member_to_org", "branch_to_holding"
	// (a's parent is b), "holding_to_branch", or "".
	Relation(ctx context.Context, tenantID string, a, b Owner) (string, error)

	InsertAccounts(ctx context.Context, accts []Account) error
	// InsertAccountOfOwner creates a wallet if its owner (an organization
	// or member of the tenant) exists and the wallet does not.
	InsertAccountOfOwner(ctx context.Context, a Account) error
	GetAccount(ctx context.Context, tenantID, id string) (Account, error)
	// LockAccounts reads the existing accounts among ids (sorted) for update.
	LockAccounts(ctx context.Context, tenantID string, ids []string) ([]Account, error)
	// AddToAccount changes a wallet's balances and bumps its sequence,
	// unless the new available balance would fall below floor; it returns
	// the new state and whether the row was updated.
	AddToAccount(ctx context.Context, tenantID, id string, dAvail, dPending, floor int64, at time.Time) (Account, bool, error)
	SetAccounts(ctx context.Context, accts []Account) error
	// SetAccountSet is SetAccounts for any number of locked accounts, set-wise where the engine can.
	SetAccountSet(ctx context.Context, tenantID string, accts []Account) error
	ListAccountsOf(ctx context.Context, tenantID string, o Owner) ([]Account, error)

	// InsertTx inserts a transaction with its legs unless its id (derived
	// from its idempotency key) exists; it reports whether it inserted.
	InsertTx(ctx context.Context, t Transaction) (bool, error)
	InsertTxs(ctx context.Context, txs []Transaction) error
	// HoldAggregates keeps the analytics aggregates of the transactions
	// inserted from now on until FlushAggregates writes them all, in one
	// order (several client earns posted in one database transaction).
	HoldAggregates()
	FlushAggregates(ctx context.Context) error
	GetTx(ctx context.Context, tenantID, id string) (Transaction, error)
	// TxIDsTaken returns those of ids that are transactions' ids.
	TxIDsTaken(ctx context.Context, tenantID string, ids []string) ([]string, error)
	// LockTx is GetTx that also locks the transaction's row until the end
	// of the database transaction (reversals check and mark it).
	LockTx(ctx context.Context, tenantID, id string) (Transaction, error)
	// SetReversedBy marks a transaction reversed unless it already is; it
	// reports whether it did.
	SetReversedBy(ctx context.Context, tenantID, id, by string) (bool, error)
	InsertPostings(ctx context.Context, tenantID string, ps []Posting) error
	InsertLots(ctx context.Context, lots []Lot) error
	InsertUses(ctx context.Context, tenantID string, uses []LotUse) error
	UpdateLots(ctx context.Context, lots []Lot) error
	GetLot(ctx context.Context, tenantID, id string) (Lot, error)
	SpendableLots(ctx context.Context, tenantID, accountID string, after Lot, limit int) ([]Lot, error)
	DueLots(ctx context.Context, tenantID, state string, before time.Time, limit int) ([]Lot, error)
	LotsByID(ctx context.Context, tenantID string, ids []string) ([]Lot, error)
	// LockAccountSet and LotSet are LockAccounts and LotsByID for sets of
	// any size (batches, the jobs), each one statement; LockAccountSet
	// locks in id order whatever the order of ids.
	LockAccountSet(ctx context.Context, tenantID string, ids []string) ([]Account, error)
	LotSet(ctx context.Context, tenantID string, ids []string) ([]Lot, error)
	// WriteLotJob writes a batch of a lot job in a few set-based
	// statements; it fails, writing nothing, if a lot left w.From.
	WriteLotJob(ctx context.Context, w LotJobWrite) error
	ExpiringLots(ctx context.Context, tenantID, accountID string, before time.Time, limit int) ([]Lot, error)
	// LatestLotExpiry is the latest expiry of an account's pending and
	// available lots (nil: none expires).
	LatestLotExpiry(ctx context.Context, tenantID, accountID string) (*time.Time, error)
	// ExtendLots sets the expiry of an account's pending and available
	// lots that expire before until to until.
	ExtendLots(ctx context.Context, tenantID, accountID string, until time.Time) error
	// ExpiringWallets lists up to limit wallets after account id after (of
	// one point type, or all) with available points expiring by before.
	ExpiringWallets(ctx context.Context, tenantID, pointTypeID string, before time.Time, after string, limit int) ([]ExpiringWallet, error)
	Statement(ctx context.Context, tenantID, accountID string, r page.Request) ([]StatementLine, error)
	SystemBalance(ctx context.Context, tenantID, accountID string) (int64, error)

	// InsertAdjustment stores an adjustment unless one with its id exists;
	// it reports whether it did.
	InsertAdjustment(ctx context.Context, a Adjustment) (bool, error)
	UpdateAdjustment(ctx context.Context, a Adjustment) error
	GetAdjustment(ctx context.Context, tenantID, id string) (Adjustment, error)
	ListAdjustments(ctx context.Context, tenantID, status string, r page.Request) ([]Adjustment, error)

	CheckLedger(ctx context.Context, tenantID string) ([]Problem, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]
