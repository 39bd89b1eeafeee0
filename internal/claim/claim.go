// Package claim holds sales claims (DOMAIN.md §3.14): a partner's employee
// reports a sale with its invoice document, duplicates are refused, and
// operator staff approve it — the claim then becomes a "claim" event whose
// points follow the program's rules — or reject it with a reason.
package claim

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Claim statuses. Approving is held while the claim's event is ingested,
// so that of two approvals only one goes ahead.
const (
	Pending   = "pending"
	Approving = "approving"
	Approved  = "approved"
	Rejected  = "rejected"
)

// Source is the event source of approved claims; the claim id is the
// event's external id, so a claim is ingested at most once.
const Source = "claims"

// Claim is a reported sale.
type Claim struct {
	ID             string                 `json:"id"`
	TenantID       string                 `json:"-"`
	ProgramID      string                 `json:"program_id"`
	OrganizationID string                 `json:"organization_id"`
	MemberID       string                 `json:"member_id"`
	InvoiceNumber  string                 `json:"invoice_number"`
	InvoiceKey     string                 `json:"-"` // normalized, for duplicate detection
	InvoiceDate    string                 `json:"invoice_date"`
	EndCustomer    string                 `json:"end_customer"`
	Currency       string                 `json:"currency"`
	Lines          []ClaimLine            `json:"lines"`
	Amount         int64                  `json:"amount"` // sum of the lines, minor units
	Document       DocumentInfo           `json:"document"`
	Status         string                 `json:"status"`
	Reason         string                 `json:"reason"` // of a rejection
	EventID        string                 `json:"event_id"`
	Points         int64                  `json:"points"` // credited by the approval's event
	Results        []events.ProgramResult `json:"results"`
	DecidedBy      string                 `json:"decided_by"`
	DecidedAt      *time.Time             `json:"decided_at"`
	CreatedAt      time.Time              `json:"created_at"`
	UpdatedAt      time.Time              `json:"updated_at"`
}

// ClaimLine is one product line of a claim; money in minor units.
type ClaimLine struct {
	SKU       string `json:"sku"`
	Category  string `json:"category,omitempty"`
	Qty       int64  `json:"qty"`
	UnitPrice int64  `json:"unit_price"`
}

// DocumentInfo describes a claim's document.
type DocumentInfo struct {
	Filename    string `json:"filename"`
	ContentType string `json:"content_type"`
	Size        int64  `json:"size"`
	SHA256      string `json:"sha256"`
}

// Settings are a program's claim rules.
type Settings struct {
	ProgramID  string    `json:"program_id"`
	WindowDays int       `json:"window_days"` // claims for invoices older than this are refused
	Enabled    bool      `json:"enabled"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// DefaultSettings apply to a program whose claim settings were never set.
func DefaultSettings(programID string) Settings {
	return Settings{ProgramID: programID, WindowDays: 90, Enabled: true}
}

// Filter narrows a list of claims.
type Filter struct {
	OrganizationID string
	Status         string
	ManagedBy      string // an account manager's organizations only
}

// Tx is what the claim service needs from storage.
type Tx interface {
	audit.Writer
	access.Reach
	party.OrgReader
	party.MemberReader
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	// GetClaimSettings returns NotFound when a program has none.
	GetClaimSettings(ctx context.Context, tenantID, programID string) (Settings, error)
	PutClaimSettings(ctx context.Context, tenantID string, s Settings) error
	// InsertClaim stores a claim and its document; a concurrent duplicate
	// is a Conflict.
	InsertClaim(ctx context.Context, c Claim, data []byte) error
	GetClaim(ctx context.Context, tenantID, id string) (Claim, error)
	// ActiveClaimByInvoice and ActiveClaimByDocument find a claim that is
	// not rejected (NotFound when none).
	ActiveClaimByInvoice(ctx context.Context, tenantID, orgID, invoiceKey string) (Claim, error)
	ActiveClaimByDocument(ctx context.Context, tenantID, sha string) (Claim, error)
	ListClaims(ctx context.Context, tenantID string, f Filter, r page.Request) ([]Claim, error)
	// UpdateClaimFrom writes c if the stored claim's status is one of from
	// (and, for Approving, was last updated before staleBefore), reporting
	// whether it did.
	UpdateClaimFrom(ctx context.Context, c Claim, from string, staleBefore time.Time) (bool, error)
	GetClaimDocument(ctx context.Context, tenantID, id string) ([]byte, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Ingester ingests the event of an approved claim (events.Service).
type Ingester interface {
	IngestOwn(ctx context.Context, p access.Principal, in events.Input) (events.Result, error)
}

// Service manages claims.
type Service struct {
	Store  Store
	Events Ingester
	Clock  clock.Clock
	// Publish, if set, announces submissions and decisions (claim.status).
	Publish outbound.Publisher
}
