// Package reward holds the rewards catalog (merchandise, vouchers, services,
// information, event invitations, donations, partner offers, priced in
// points) and the redemption workflow: points are reserved when a
// redemption is requested, the organization's management and the operator
// approve where needed, and a rejection or cancellation gives the same
// points and the stock back.
package reward

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Item kinds.
const (
	Merchandise     = "merchandise"
	Voucher         = "voucher"
	ServiceKind     = "service"
	Information     = "information"
	EventInvitation = "event_invitation"
	Donation        = "donation"
	PartnerOffer    = "partner_offer"
)

// Kinds lists every item kind.
var Kinds = []string{Merchandise, Voucher, ServiceKind, Information, EventInvitation, Donation, PartnerOffer}

// Subkinds are the kinds of service items.
var Subkinds = []string{"training_seat", "consulting_hours", "extended_warranty", "payment_terms", "priority_support"}

// Item statuses.
const (
	ItemActive   = "active"
	ItemArchived = "archived"
)

// Periods of limits: calendar periods in UTC, or the whole time.
var Periods = []string{"month", "quarter", "year", "ever"}

// ItemLimit caps the units redeemed per member or per organization per period.
type ItemLimit struct {
	Count  int64  `json:"count"`
	Period string `json:"period"`
}

// ItemAudience restricts who may redeem an item; each non-empty list must
// match (an empty audience is everyone).
type ItemAudience struct {
	OrgTypes      []string `json:"organization_types" required:"false"`
	Tiers         []string `json:"tiers" required:"false"`
	Roles         []string `json:"roles" required:"false"` // of the redeeming member; an organization's own redemption does not match
	Organizations []string `json:"organizations" required:"false"`
}

// Item is a catalog item.
type Item struct {
	ID          string `json:"id"`
	TenantID    string `json:"-"`
	Kind        string `json:"kind"`
	Subkind     string `json:"subkind"`
	Name        string `json:"name"`
	Description string `json:"description"`
	PointTypeID string `json:"point_type_id"`
	Price       int64  `json:"price"`
	// TierPrices and RolePrices override the price for an organization's
	// tier (the level code) and a member's role; the lowest applies.
	TierPrices     map[string]int64 `json:"tier_prices"`
	RolePrices     map[string]int64 `json:"role_prices"`
	Stock          *int64           `json:"stock"` // nil: unlimited
	AvailableFrom  *time.Time       `json:"available_from"`
	AvailableUntil *time.Time       `json:"available_until"`
	MemberLimit    *ItemLimit       `json:"member_limit"`
	OrgLimit       *ItemLimit       `json:"organization_limit"`
	Audience       ItemAudience     `json:"audience"`
	// MoneyValue is what one unit costs the operator, in minor units; the
	// operator approves redemptions above the tenant's threshold.
	MoneyValue int64 `json:"money_value"`
	// NeedsManagement makes employees' redemptions wait for their
	// organization's management.
	NeedsManagement bool      `json:"needs_management_approval"`
	Status          string    `json:"status"`
	CreatedAt       time.Time `json:"created_at"`
	UpdatedAt       time.Time `json:"updated_at"`
}

// Settings are a tenant's redemption rules.
type Settings struct {
	// ApprovalThreshold: a redemption whose money value exceeds it waits
	// for the operator's approval (nil: never).
	ApprovalThreshold *int64 `json:"approval_threshold"`
	// EmployeeNeedsManagement makes every employee redemption wait for the
	// organization's management, whatever the item says.
	EmployeeNeedsManagement bool      `json:"employee_redemptions_need_management"`
	UpdatedAt               time.Time `json:"updated_at"`
}

// Usage names one per-period counter a redemption added to.
type Usage struct {
	OwnerType string `json:"owner_type"` // organization or member
	OwnerID   string `json:"owner_id"`
	Period    string `json:"period"`
}

// ItemFilter selects catalog items.
type ItemFilter struct {
	Status string
	Kind   string
}

// RedemptionFilter selects redemptions.
type RedemptionFilter struct {
	OrganizationID string
	MemberID       string
	Status         string
	ManagedBy      string // set by the service for an account manager: their organizations only
}

// Tx is what the reward service needs from storage. It includes the
// ledger's, because points are reserved and returned in the same database
// transaction as the redemption changes.
type Tx interface {
	ledger.Tx
	party.OrgReader
	party.MemberReader
	audit.Writer
	// OrganizationsExist returns the ids among ids that are not
	// organizations of the tenant.
	OrganizationsExist(ctx context.Context, tenantID string, ids []string) ([]string, error)

	InsertRewardItem(ctx context.Context, it Item) error
	GetRewardItem(ctx context.Context, tenantID, id string) (Item, error)
	// LockRewardItem locks an item for the transaction (an edit writes the
	// whole row back, stock included).
	LockRewardItem(ctx context.Context, tenantID, id string) error
	// PutRewardImage stores an item's picture, replacing the one it had.
	PutRewardImage(ctx context.Context, tenantID string, img Image) error
	// GetRewardImage reads an item's picture (NotFound: none).
	GetRewardImage(ctx context.Context, tenantID, itemID string) (Image, error)
	ListRewardItems(ctx context.Context, tenantID string, f ItemFilter, r page.Request) ([]Item, error)
	UpdateRewardItem(ctx context.Context, it Item) error
	// TakeRewardStock lowers a limited stock by qty if at least qty is
	// left (unlimited stock: always true); false means out of stock.
	TakeRewardStock(ctx context.Context, tenantID, itemID string, qty int64) (bool, error)
	ReturnRewardStock(ctx context.Context, tenantID, itemID string, qty int64) error
	// AddRewardUsage adds qty to a counter unless it would exceed limit.
	AddRewardUsage(ctx context.Context, tenantID, itemID string, u Usage, qty, limit int64) (bool, error)
	SubRewardUsage(ctx context.Context, tenantID, itemID string, u Usage, qty int64) error

	InsertRedemption(ctx context.Context, r Redemption) error
	GetRedemption(ctx context.Context, tenantID, id string) (Redemption, error)
	ListRedemptions(ctx context.Context, tenantID string, f RedemptionFilter, r page.Request) ([]Redemption, error)
	// MoveRedemption writes r (status, steps, voucher, return) if the
	// stored status is still from; false means another request moved it.
	MoveRedemption(ctx context.Context, r Redemption, from string) (bool, error)

	GetRewardSettings(ctx context.Context, tenantID string) (Settings, error)
	PutRewardSettings(ctx context.Context, tenantID string, s Settings) error
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// TierSource tells an organization's tier (level code) in a program, ""
// when it has none. The app reads it from the program state.
type TierSource interface {
	TierOf(ctx context.Context, tenantID, programID, orgID string) (string, error)
}

// Service manages the catalog and redemptions.
type Service struct {
	Store  Store
	Ledger *ledger.Service
	Clock  clock.Clock
	Tiers  TierSource // nil: tier prices and tier audiences never apply
	// Approvers checks the operator's approval of a redemption above the
	// approval threshold: four eyes (required to approve one).
	Approvers access.Approvers
	// Publish, if set, announces every status change (redemption.status).
	Publish outbound.Publisher
}

// actor names the caller in redemption steps.
func actor(p access.Principal) string {
	if p.StaffID != "" {
		return "staff:" + p.StaffID
	}
	return string(p.ActorType) + ":" + p.ActorID
}

// tierOf reads an organization's tier in the program of a point type.
func (s *Service) tierOf(ctx context.Context, tenantID, programID, orgID string) (string, error) {
	if s.Tiers == nil || programID == "" {
		return "", nil
	}
	return s.Tiers.TierOf(ctx, tenantID, programID, orgID)
}
