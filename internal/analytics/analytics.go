// Package analytics answers "is it working" (DOMAIN §6): participation,
// sales, purchase cycles and churn risk, cohort retention, ABC and RFM
// classes, the economics of points, and pilot-versus-control uplift. Sales
// figures come from the purchase facts that an ingestion hook writes
// (sales_facts), ledger figures from the ledger; both are read through
// exact aggregates written with them (aggregates.go). docs/ANALYTICS.md
// defines every number.
package analytics

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Fact types: a purchase (invoice, order or claim) or a return.
const (
	FactPurchase = "purchase"
	FactReturn   = "return"
)

// Fact is one purchase or return, as sales_facts holds it. Amount is
// positive for both; Type tells the sign.
type Fact struct {
	TenantID       string
	EventID        string
	OrganizationID string
	OccurredMs     int64
	Type           string
	Amount         int64
	Qty            int64
	Cost           int64
}

// OrgTotal is one organization's facts in a range, summed.
type OrgTotal struct {
	OrganizationID           string
	Purchases, Returns, Cost int64
	Orders                   int64
}

// StateRow is one participant's program state as stored (JSON).
type StateRow struct {
	ProgramID string
	OwnerType string
	OwnerID   string
	State     string
}

// Enrolment is when an organization enrolled in a program (zero: it has a
// state but has not enrolled), read without decoding the whole state.
type Enrolment struct {
	OrganizationID string
	At             time.Time
}

// OrgStatus is what the participation figures need of an organization.
type OrgStatus struct {
	ID, Status string
	CreatedAt  time.Time
}

// Activity is an organization that earned or spent (on its own wallets or
// its members') before a report's end; Active when it did within the
// report's active window too.
type Activity struct {
	OrganizationID string
	Active         bool
}

// SystemSum is what a system account's postings add up to: within the
// range and everything before its end.
type SystemSum struct {
	AccountID string
	InRange   int64
	BeforeTo  int64
}

// Tx is what analytics needs from storage.
type Tx interface {
	Originals
	DashboardTx
	AggregatesTx
	InsertFact(ctx context.Context, f Fact) error
	// InsertFacts is InsertFact for many facts at once.
	InsertFacts(ctx context.Context, facts []Fact) error
	// EventsWithoutFacts reads purchases and returns stored without a sales
	// fact (from before analytics), by id after after.
	EventsWithoutFacts(ctx context.Context, tenantID, after string, limit int) ([]events.Record, error)
	// ScanFacts calls fn for every fact before toMs, ordered by
	// organization then time.
	ScanFacts(ctx context.Context, tenantID string, toMs int64, fn func(Fact) error) error
	// OrgTotals sums each organization's facts in [fromMs, toMs) in SQL.
	OrgTotals(ctx context.Context, tenantID string, fromMs, toMs int64) ([]OrgTotal, error)
	ProgramStates(ctx context.Context, tenantID, programID string) ([]StateRow, error)
	// Enrolments reads when each organization enrolled in the program
	// (every program's states when programID is "").
	Enrolments(ctx context.Context, tenantID, programID string) ([]Enrolment, error)
	// StateEnrolments is Enrolments from the states themselves.
	StateEnrolments(ctx context.Context, tenantID, programID string) ([]Enrolment, error)
	// ScanOrgStatuses streams every organization's id, status and creation.
	ScanOrgStatuses(ctx context.Context, tenantID string, fn func(OrgStatus) error) error
	ScanOrganizations(ctx context.Context, tenantID string, fn func(party.Organization) error) error
	ActiveMembersPerOrg(ctx context.Context, tenantID string, toMs int64) (map[string]int64, error)
	// LedgerWalletActivity lists from the ledger the organizations with an
	// earn or spend effective before toMs on their wallets or their
	// members', and whether one was at or after activeFromMs.
	LedgerWalletActivity(ctx context.Context, tenantID string, pointTypes []string, activeFromMs, toMs int64) ([]Activity, error)
	PointTypesOf(ctx context.Context, tenantID, programID string) ([]ledger.PointType, error)
	SystemSums(ctx context.Context, tenantID string, accounts []string, fromMs, toMs int64) ([]SystemSum, error)
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	// Together runs independent reads side by side where the store gives
	// each a connection of its own, else one after the other.
	Together(reads ...func() error) error
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service computes analytics.
type Service struct {
	Store Store
	Clock clock.Clock
	// FromScratch recomputes every report from the facts and the ledger
	// instead of reading the aggregates: the reference the aggregates are
	// checked against (tests, `loyal analytics check`).
	FromScratch bool
	dash        dashCache
}

// Query selects what a report covers: events in [From, To), optionally
// of one program's participants, with churn factor K.
type Query struct {
	From, To  time.Time
	ProgramID string
	K         float64
}

// DefaultK is the churn factor when none is given: an organization is at
// risk after twice its own purchase cycle without an order.
const DefaultK = 2

// Normalize fills defaults (To = now, From = To − 365 days, K = 2) and
// checks the query, naming the field at fault.
func (q *Query) Normalize(now time.Time) error {
	var f errs.Fields
	if q.To.IsZero() {
		q.To = now
	}
	if q.From.IsZero() {
		q.From = q.To.AddDate(0, 0, -365)
	}
	q.From, q.To = q.From.UTC().Truncate(time.Millisecond), q.To.UTC().Truncate(time.Millisecond)
	if !q.From.Before(q.To) {
		f.Add("from", "after_to", "from (%s) must be before to (%s)", q.From.Format(time.RFC3339), q.To.Format(time.RFC3339))
	}
	if q.K == 0 {
		q.K = DefaultK
	}
	if q.K < 1 || q.K > 20 {
		f.Add("k", "out_of_range", "k is the churn factor, between 1 and 20 (default 2)")
	}
	return f.Err()
}

// prepare checks the principal and the query, and the program if named.
func (s *Service) prepare(ctx context.Context, p access.Principal, q *Query) error {
	if err := p.Can(access.ReadData); err != nil {
		return err
	}
	if err := q.Normalize(s.Clock.Now()); err != nil {
		return err
	}
	if q.ProgramID == "" {
		return nil
	}
	_, err := s.program(ctx, p, q.ProgramID)
	return err
}

// program reads a program, turning "not found" into a field error.
func (s *Service) program(ctx context.Context, p access.Principal, id string) (program.Program, error) {
	pr, err := txn.Get(ctx, s.Store, func(tx Tx) (program.Program, error) { return tx.GetProgram(ctx, p.TenantID, id) })
	if errs.Is(err, errs.NotFound) {
		return pr, errs.InvalidField("program", "unknown_program", "no program %q in this tenant", id)
	}
	return pr, err
}

const dayMs = int64(24 * time.Hour / time.Millisecond)
