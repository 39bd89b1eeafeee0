// Package card holds participants' cards: one per (tenant, member or
// organization, program), with a number a till can scan, a serial that
// wallets (Apple, Google) use to name the pass, and the card's live state
// — discount, points, stamps, coupons, tier — computed from the services
// that own those figures (events' standing, the ledger, coupons), never
// recomputed here. The wallet packages build passes from a Card and its
// State; UpdatedSince tells them which cards changed.
package card

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Owner types of a card.
const (
	OwnerMember       = string(ledger.OwnerMember)
	OwnerOrganization = string(ledger.OwnerOrganization)
)

// Card is a participant's card in a program.
type Card struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"-"`
	ProgramID      string    `json:"program_id"`
	OwnerType      string    `json:"owner_type" enum:"member,organization"`
	OwnerID        string    `json:"owner_id"`
	OrganizationID string    `json:"organization_id" doc:"The organization itself, or the member's organization"`
	Number         string    `json:"number" doc:"16 digits with a Luhn check digit: what the till scans (QR, Code 128)"`
	Serial         string    `json:"serial" doc:"The wallets' serial number of the card's pass"`
	Status         string    `json:"status"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	// Shown is the state the wallets last received (JSON, "" before the
	// first), ShownBefore the one before it: change messages compare
	// them. ShownAt is when Shown last changed.
	Shown       string    `json:"-"`
	ShownBefore string    `json:"-"`
	ShownAt     time.Time `json:"-"`
}

// Card statuses.
const Active = "active"

// Tx is what cards need from storage.
type Tx interface {
	audit.Writer
	access.Reach
	party.OrgReader
	party.MemberReader
	DesignTx
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)

	// InsertCard stores a card; a taken number or serial is a Conflict
	// with code card_number_taken (the caller draws again), and a card
	// the owner already has in the program is left as it is.
	InsertCard(ctx context.Context, c Card) error
	GetCard(ctx context.Context, tenantID, id string) (Card, error)
	CardBySerial(ctx context.Context, tenantID, serial string) (Card, error)
	CardByNumber(ctx context.Context, tenantID, number string) (Card, error)
	CardOf(ctx context.Context, tenantID, programID, ownerType, ownerID string) (Card, error)
	// ListCardsOf returns the cards of an owner, in every program.
	ListCardsOf(ctx context.Context, tenantID, ownerType, ownerID string) ([]Card, error)
	// CardsChangedSince returns, in id order after r.After, the cards
	// whose owner's wallets, whose organization's standing in the card's
	// program, whose organization's coupons, or whose program's design
	// changed after since.
	CardsChangedSince(ctx context.Context, tenantID string, since time.Time, r page.Request) ([]Card, error)
	// SetCardShown replaces a card's shown state if it is still old,
	// reporting whether it was.
	SetCardShown(ctx context.Context, tenantID, cardID, old, shown string, at time.Time) (bool, error)
	InsertPassToken(ctx context.Context, tenantID, cardID, hash string, at time.Time) error
	PassTokenExists(ctx context.Context, tenantID, cardID, hash string) (bool, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Standings is events' standing of an organization in a program.
type Standings interface {
	Status(ctx context.Context, p access.Principal, programID, orgRef string) (events.Standing, error)
}

// Balances is the ledger's view of an owner's wallets.
type Balances interface {
	Balances(ctx context.Context, p access.Principal, o ledger.Owner, within time.Duration) ([]ledger.Balance, error)
	ListPointTypes(ctx context.Context, p access.Principal, programID string) ([]ledger.PointType, error)
}

// Coupons lists an organization's (or member's) coupons.
type Coupons interface {
	List(ctx context.Context, p access.Principal, in coupon.ListInput, r page.Request) (page.Page[coupon.Coupon], error)
}

// Service issues cards and tells their state.
type Service struct {
	Store     Store
	Clock     clock.Clock
	Standings Standings
	Balances  Balances
	Coupons   Coupons
}
