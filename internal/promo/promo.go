// Package promo holds promo-code campaigns: one shared code (SKIDKA30) or
// batches of unique codes, with a validity window, a minimum order, a
// product scope, usage limits, a budget and an effect (percent or fixed
// amount off, a free item, bonus points). Codes are checked in quotes
// (events.CodeResolver) and redeemed, exactly once, in the transaction of
// the order that carries them (events.Hook).
package promo

import (
	"context"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
	"github.com/loyal-b2b/loyal/internal/pricing"
	"github.com/loyal-b2b/loyal/internal/program"
)

// Campaign kinds.
const (
	Shared = "shared" // one code that many organizations use
	Unique = "unique" // batches of codes, each redeemed once
	// Personal campaigns issue each organization its own codes, on every
	// purchase or every month, each valid for a while (personal.go).
	Personal = "personal"
)

// Campaign statuses.
const (
	Active = "active"
	Paused = "paused"
)

// Effect types.
const (
	EffectPercent  = "percent"      // PercentBP off the eligible lines
	EffectFixed    = "fixed_amount" // Amount (minor units) off the eligible amount
	EffectFreeItem = "free_item"    // one unit of SKU free
	EffectBonus    = "bonus_points" // Points credited to the organization's wallet
)

// CodeEffect is what a code gives.
type CodeEffect struct {
	Type      string `json:"type"`
	PercentBP int64  `json:"percent_bp,omitempty"`
	Amount    int64  `json:"amount,omitempty"`
	SKU       string `json:"sku,omitempty"`
	Points    int64  `json:"points,omitempty"`
}

// Campaign is a promo-code campaign. Used and BudgetUsed show its
// consumption: redemptions, and the discount money (or, for bonus_points,
// the points) they gave.
type Campaign struct {
	ID          string        `json:"id"`
	TenantID    string        `json:"-"`
	Name        string        `json:"name"`
	ProgramID   string        `json:"program_id,omitempty"` // "" = any program
	Kind        string        `json:"kind"`
	Code        string        `json:"code,omitempty"` // the shared code
	Status      string        `json:"status"`
	StartsAt    time.Time     `json:"starts_at"`
	EndsAt      *time.Time    `json:"ends_at,omitempty"`
	MinOrder    int64         `json:"min_order"`
	Scope       pricing.Scope `json:"scope"`
	Effect      CodeEffect    `json:"effect"`
	TotalLimit  int64         `json:"total_limit"`   // 0 = unlimited
	PerOrgLimit int64         `json:"per_org_limit"` // 0 = unlimited
	Exclusive   bool          `json:"exclusive"`
	Group       string        `json:"stacking_group,omitempty"`
	Budget      int64         `json:"budget"` // 0 = unlimited
	// Partners are the coalition partners whose events may use the
	// campaign's codes. None by default: a partner's key may not spend
	// the operator's codes (its uses and budget) unless granted.
	Partners   []string  `json:"partners"`
	Used       int64     `json:"used"`
	BudgetUsed int64     `json:"budget_used"`
	Codes      int64     `json:"codes"`           // how many codes it has
	Issue      *Issue    `json:"issue,omitempty"` // personal campaigns: when codes are issued
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Code is one stored code; a unique code's Redeemed* say who used it.
type Code struct {
	TenantID      string     `json:"-"`
	Code          string     `json:"code"`
	CampaignID    string     `json:"campaign_id"`
	RedeemedAt    *time.Time `json:"redeemed_at,omitempty"`
	RedeemedEvent string     `json:"redeemed_event,omitempty"`
	RedeemedOrg   string     `json:"redeemed_organization,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	// A personal code's owner, end and the event that issued it.
	Organization string     `json:"organization,omitempty"`
	ExpiresAt    *time.Time `json:"expires_at,omitempty"`
	IssuedEvent  string     `json:"issued_event,omitempty"`
}

// Redemption is a code used by an order.
type Redemption struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"-"`
	CampaignID     string    `json:"campaign_id"`
	Code           string    `json:"code"`
	OrganizationID string    `json:"organization_id"`
	EventID        string    `json:"event_id"`
	Discount       int64     `json:"discount"`
	Points         int64     `json:"points"`
	CreatedAt      time.Time `json:"created_at"`
}

// Tx is what the promo service needs from storage.
type Tx interface {
	audit.Writer
	GetProgram(ctx context.Context, tenantID, id string) (program.Program, error)
	ListVersions(ctx context.Context, tenantID, programID string) ([]program.Version, error)

	InsertCampaign(ctx context.Context, c Campaign) error
	GetCampaign(ctx context.Context, tenantID, id string) (Campaign, error)
	ListCampaigns(ctx context.Context, tenantID string, r page.Request) ([]Campaign, error)
	// SetCampaignStatus sets a campaign's status unless it has it already,
	// and reports whether it changed it.
	SetCampaignStatus(ctx context.Context, tenantID, id, status string, at time.Time) (bool, error)
	SetCampaignPartners(ctx context.Context, tenantID, id string, partners []string, at time.Time) error
	// ExistingPartners returns those of ids that are partners of the tenant.
	ExistingPartners(ctx context.Context, tenantID string, ids []string) ([]string, error)
	// InsertCodes stores codes of a campaign, skipping those that exist in
	// the tenant, and returns how many it stored (counted on the campaign).
	InsertCodes(ctx context.Context, tenantID, campaignID string, codes []string, at time.Time) (int64, error)
	// ExistingCodes returns those of codes that exist in the tenant.
	ExistingCodes(ctx context.Context, tenantID string, codes []string) ([]string, error)
	GetCode(ctx context.Context, tenantID, code string) (Code, error)
	ListCodes(ctx context.Context, tenantID, campaignID string, r page.Request) ([]Code, error)
	OrgUsage(ctx context.Context, tenantID, campaignID, orgID string) (int64, error)

	// UseCampaign counts one use and value against the budget, unless the
	// total limit or the budget would be exceeded (then false).
	UseCampaign(ctx context.Context, tenantID, id string, value int64, at time.Time) (bool, error)
	// UseCode marks a unique code redeemed, unless it already is (false).
	UseCode(ctx context.Context, tenantID, code, orgID, eventID string, at time.Time) (bool, error)
	// UseOrg counts one use by an organization, unless it reached limit
	// (false); limit 0 is unlimited.
	UseOrg(ctx context.Context, tenantID, campaignID, orgID string, limit int64) (bool, error)
	InsertPromoRedemption(ctx context.Context, r Redemption) error
	ListPromoRedemptions(ctx context.Context, tenantID, campaignID string, r page.Request) ([]Redemption, error)

	// Personal codes (personal.go).
	InsertCodeIssue(ctx context.Context, tenantID, campaignID string, i Issue) error
	// CodeIssues reads the issue settings of the tenant's personal campaigns.
	CodeIssues(ctx context.Context, tenantID string) (map[string]Issue, error)
	// InsertPersonalCode records a code's owner, end and issue key unless
	// the key or the code is taken (false).
	InsertPersonalCode(ctx context.Context, tenantID string, c PersonalCode) (bool, error)
	DeletePersonalCode(ctx context.Context, tenantID, code string) error
	PersonalCodeByKey(ctx context.Context, tenantID, campaignID, key string) (PersonalCode, error)
	GetPersonalCode(ctx context.Context, tenantID, code string) (PersonalCode, error)
	// PersonalCodes reads the owners of a page of a campaign's codes.
	PersonalCodes(ctx context.Context, tenantID string, codes []string) (map[string]PersonalCode, error)
	// Participants lists the organizations enrolled in a program.
	Participants(ctx context.Context, tenantID, programID string) ([]string, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages campaigns, checks codes in quotes and redeems them on
// orders.
type Service struct {
	Store Store
	Clock clock.Clock
	// FailLimit is how many unknown codes one API key may try per minute
	// (0: DefaultFailLimit).
	FailLimit int
	// personal remembers whether a tenant has personal campaigns, so that
	// the purchases of tenants without pay no query.
	personal  tenantflag.Flags
	fails     *throttle.Limiter
	failsOnce sync.Once
}
