// Package events ingests what happens — invoices, orders, returns,
// trainings — and applies each running program's outcome from the pure
// engine in one database transaction with the event itself: ledger
// postings, program states and the stored outcome. It also prices carts
// (the checkout quote) and runs the programs' time-driven reviews.
package events

import (
	"context"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/join"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Record is a stored event with what each program did with it.
type Record struct {
	ID             string          `json:"id"`
	TenantID       string          `json:"-"`
	OrganizationID string          `json:"organization_id"`
	MemberID       string          `json:"member_id,omitempty"`
	Hash           string          `json:"-"`
	Event          engine.Event    `json:"event"`
	Results        []ProgramResult `json:"results"`
	CreatedAt      time.Time       `json:"created_at"`
}

// ProgramResult is one program's outcome for an event, with what later
// returns need: the lots its points went into and what was taken back.
type ProgramResult struct {
	engine.Outcome
	LedgerTx string   `json:"ledger_tx,omitempty"`
	Lots     []string `json:"lots,omitempty"`     // per earn
	Returned []int64  `json:"returned,omitempty"` // units returned so far, per line
	Clawed   []int64  `json:"clawed,omitempty"`   // points taken back so far, per earn
	Reclaim  int64    `json:"stamps_reclaimed,omitempty"`
}

// StateKey names one participant's state in a program. The program's own
// state has OwnerType "program" and an empty OwnerID.
type StateKey struct {
	ProgramID string
	OwnerType string
	OwnerID   string
}

// StoredState is a state row.
type StoredState struct {
	Key     StateKey
	State   engine.State
	Program engine.ProgramState // for the program's own row
	DueAt   time.Time           // next review (zero: none)
}

// ExternalKey names an event by its sender: its source and external id.
type ExternalKey struct{ Source, ExternalID string }

// Tx is what ingestion needs from storage.
type Tx interface {
	ledger.Tx
	party.OrgReader
	party.MemberReader
	party.ConsentReader
	audit.Writer
	InsertOrganization(ctx context.Context, o party.Organization) error
	// OrganizationsByRefs reads the organizations among ids and external
	// ids at once (unknown ones left out).
	OrganizationsByRefs(ctx context.Context, tenantID string, ids, externalIDs []string) ([]party.Organization, error)
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	RunningPrograms(ctx context.Context, tenantID string) ([]program.Program, error)
	ListVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error)

	GetEventByExternal(ctx context.Context, tenantID, source, externalID string) (Record, error)
	// EventsByExternal reads the events stored under any of keys (a batch's
	// duplicate check at once).
	EventsByExternal(ctx context.Context, tenantID string, keys []ExternalKey) ([]Record, error)
	// LockEventByExternal is GetEventByExternal that locks the event's
	// row for the transaction (a return reads and updates its original).
	LockEventByExternal(ctx context.Context, tenantID, source, externalID string) (Record, error)
	GetEvent(ctx context.Context, tenantID, id string) (Record, error)
	InsertEvent(ctx context.Context, r Record) error
	UpdateEventResults(ctx context.Context, tenantID, id string, results []ProgramResult) error
	ListEvents(ctx context.Context, tenantID, orgID string, r page.Request) ([]Record, error)
	InsertOutbox(ctx context.Context, tenantID string, msgs []OutboxMessage) error
	// GetStates reads the states that exist among keys (locking them for
	// the transaction when lock is set).
	GetStates(ctx context.Context, tenantID string, keys []StateKey, lock bool) ([]StoredState, error)
	PutStates(ctx context.Context, tenantID string, states []StoredState, at time.Time) error
	// DueStates lists up to limit organization states of a tenant due for
	// review at t, locked for the transaction.
	DueStates(ctx context.Context, tenantID string, t time.Time, limit int) ([]StoredState, error)
	// PurchaseHistory sums an organization's stored purchases and returns
	// (those before before; zero: all) per month, for programs that count
	// all history.
	PurchaseHistory(ctx context.Context, tenantID, orgID string, before time.Time) (engine.History, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service ingests events, quotes carts and reviews participants.
type Service struct {
	Store  Store
	Ledger *ledger.Service
	Clock  clock.Clock
	// Hooks take part in every new event's transaction (codes, goals,
	// referrals); Codes resolves promo codes in quotes. Both are optional.
	Hooks []Hook
	Codes CodeResolver
	// Coupons checks the coupons a quoted cart uses (optional).
	Coupons CouponResolver
	Plans   PlanSource // paid memberships (optional)
	// Partners vets the events a coalition partner's key sends (member
	// opted in, source forced); without it such keys send no events.
	Partners PartnerGate
	// Segments gives organizations' segment codes for org.segments (optional).
	Segments SegmentSource
	// Own lists the sources of the events the product makes itself
	// (claims, memberships, occasions). Ingest and IngestOne refuse them,
	// so that no client's event can take the external id of one the
	// product will make; the product ingests its own through IngestOwn.
	Own []string
	// Publish, if set, announces the review's tier changes (tier.changed).
	Publish outbound.Publisher
	// OnJoin, if set, is told how many single events each transaction of
	// joined events applied (see join).
	OnJoin func(events int)

	compiled sync.Map // tenant/program/version → *engine.Program
	runs     sync.Map // tenant/program → []*engine.Program, all versions in order
	cache    runningCache
	// joins applies the single events a caller sends at once together.
	joins    join.Joiner[access.Principal, joined, Result]
	joinInit sync.Once
}

// MaxBatch is the most events one batch may carry.
const MaxBatch = 5000
