// Package membership sells paid memberships (DOMAIN §3.10): plans with a
// fee, a period and benefits — a discount, an earn multiplier, perks such
// as free delivery — that organizations buy and renew. Purchases and
// renewals are events ("membership"), so programs can react to them and
// they appear in the organization's history; the paid periods are written
// in the same transaction by this package's ingestion hook. Benefits apply
// in the engine and the quote only while a period covers the time.
package membership

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Perks a plan may list besides its discount and multiplier.
const (
	PerkFreeDelivery    = "free_delivery"
	PerkPrioritySupport = "priority_support"
	PerkExclusiveItems  = "exclusive_items"
	PerkExtendedTerms   = "extended_payment_terms"
)

// Perks lists the known perks.
var Perks = []string{PerkFreeDelivery, PerkPrioritySupport, PerkExclusiveItems, PerkExtendedTerms}

// Plan statuses: an archived plan is no longer sold; paid periods run out.
const (
	PlanActive   = "active"
	PlanArchived = "archived"
)

// Plan is a paid membership offer.
type Plan struct {
	ID               string    `json:"id"`
	TenantID         string    `json:"-"`
	Code             string    `json:"code"`
	Name             string    `json:"name"`
	Description      string    `json:"description"`
	Fee              int64     `json:"fee"` // minor units per period
	Currency         string    `json:"currency"`
	PeriodMonths     int64     `json:"period_months"`
	DiscountBP       int64     `json:"discount_bp"`
	EarnMultiplierBP int64     `json:"earn_multiplier_bp"`
	Perks            []string  `json:"perks"`
	Status           string    `json:"status"`
	CreatedAt        time.Time `json:"created_at"`
	UpdatedAt        time.Time `json:"updated_at"`
}

// Period is one paid period of a plan for an organization.
type Period struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"-"`
	PlanID         string    `json:"plan_id"`
	OrganizationID string    `json:"organization_id"`
	Action         string    `json:"action"` // purchase or renewal
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Fee            int64     `json:"fee"`
	Currency       string    `json:"currency"`
	EventID        string    `json:"event_id"`
	CreatedAt      time.Time `json:"created_at"`
}

// Membership actions, the "action" attribute of membership events.
const (
	ActionPurchase = "purchase"
	ActionRenewal  = "renewal"
	ActionLapse    = "lapse"
)

// Tx is what the membership service needs from storage.
type Tx interface {
	audit.Writer
	party.OrgReader
	InsertPlan(ctx context.Context, p Plan) error
	UpdatePlan(ctx context.Context, p Plan) error
	GetPlan(ctx context.Context, tenantID, id string) (Plan, error)
	PlanByCode(ctx context.Context, tenantID, code string) (Plan, error)
	ListPlans(ctx context.Context, tenantID string) ([]Plan, error)
	InsertPeriod(ctx context.Context, p Period) error
	// OrgPeriods lists an organization's periods, oldest first.
	OrgPeriods(ctx context.Context, tenantID, orgID string) ([]Period, error)
	// ActivePeriodPlans lists the plans whose periods cover at.
	ActivePeriodPlans(ctx context.Context, tenantID, orgID string, at time.Time) ([]Plan, error)
	HasPeriods(ctx context.Context, tenantID string) (bool, error)
	// LapsedPeriods lists up to limit periods that ended in (after, until]
	// with no later period of the same plan and organization.
	LapsedPeriods(ctx context.Context, tenantID string, after, until time.Time, limit int) ([]Period, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Ingester takes membership events in; events.Service is one.
type Ingester interface {
	IngestFor(ctx context.Context, p access.Principal, in events.Input, dryRun bool) (events.Result, error)
}

// Service manages plans and memberships.
type Service struct {
	Store  Store
	Clock  clock.Clock
	Events Ingester
}
