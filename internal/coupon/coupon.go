// Package coupon holds the coupons (entitlements) programs grant: a stamp
// card's "11th pair free", a rule's "10% off the next order" or "a free bag
// of cement". A coupon is issued, in the transaction of the event whose
// outcome grants it, to the organization or member the grant names, with
// the benefit and validity its program defines; it is listed on its owner,
// checked and priced by the checkout quote, used exactly once by the order
// that names it (a conditional update), given back or not when that order
// comes back in full (its program's policy), and expired by the jobs. A
// grant whose program defines no coupon of that id is issued without a
// benefit: staff use it by hand (a gift, a service).
package coupon

import (
	"context"
	"github.com/loyal-b2b/loyal/internal/access"
	"strconv"
	"time"

	"github.com/google/uuid"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Statuses of a coupon.
const (
	Available = "available"
	Used      = "used"
	Expired   = "expired"
)

// Statuses lists them.
var Statuses = []string{Available, Used, Expired}

// Coupon is one coupon held by an organization or one of its members.
type Coupon struct {
	ID             string         `json:"id"`
	TenantID       string         `json:"-"`
	ProgramID      string         `json:"program_id"`
	OrganizationID string         `json:"organization_id"`
	OwnerType      string         `json:"owner_type"` // organization or member
	OwnerID        string         `json:"owner_id"`
	Grant          string         `json:"grant"`     // the effect's type: coupon or reward
	TemplateID     string         `json:"coupon_id"` // the definition's coupon (the effect's reward_id)
	Name           string         `json:"name"`
	Benefit        *engine.Coupon `json:"benefit,omitempty"` // nil: used by hand, not at checkout
	Status         string         `json:"status"`
	Reason         string         `json:"reason"`
	SourceEvent    string         `json:"source_event"`
	IssuedAt       time.Time      `json:"issued_at"`
	ExpiresAt      *time.Time     `json:"expires_at,omitempty"`
	UsedEvent      string         `json:"used_event,omitempty"`
	UsedAt         *time.Time     `json:"used_at,omitempty"`
	Discount       int64          `json:"discount"` // what it took off the order that used it
	Restored       int64          `json:"restored"` // times given back by a return
	CreatedAt      time.Time      `json:"created_at"`
	UpdatedAt      time.Time      `json:"updated_at"`
}

// Use is how a coupon leaves its available state.
type Use struct {
	EventID  string // the order (empty when staff use it by hand)
	At       time.Time
	Discount int64
}

// Filter narrows a list of coupons.
type Filter struct {
	OrganizationID string
	OwnerType      string // with OwnerID: one owner's coupons
	OwnerID        string
	Status         string
}

// Tx is what coupons need from storage.
type Tx interface {
	audit.Writer
	access.Reach
	party.OrgReader
	party.MemberReader
	GetEventByExternal(ctx context.Context, tenantID, source, externalID string) (events.Record, error)

	InsertCoupons(ctx context.Context, cs []Coupon) error
	HasCoupons(ctx context.Context, tenantID string) (bool, error)
	GetCoupon(ctx context.Context, tenantID, id string) (Coupon, error)
	ListCoupons(ctx context.Context, tenantID string, f Filter, r page.Request) ([]Coupon, error)
	// UseCoupon marks an available coupon used; false when it is not
	// available any more (another order used it first).
	UseCoupon(ctx context.Context, tenantID, id string, u Use) (bool, error)
	// CouponsUsedBy lists the coupons an event used.
	CouponsUsedBy(ctx context.Context, tenantID, eventID string) ([]Coupon, error)
	// RestoreCoupon makes a coupon used by eventID available again (or
	// expired, when it ended by at); false when it is not used by it.
	RestoreCoupon(ctx context.Context, tenantID, id, eventID string, at time.Time) (bool, error)
	// ExpireCoupons marks the available coupons ended by at expired and
	// returns how many.
	ExpireCoupons(ctx context.Context, tenantID string, at time.Time) (int64, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service lists, uses and expires coupons; it is also the ingestion hook
// that issues and uses them and the quote's coupon resolver.
type Service struct {
	Store Store
	Clock clock.Clock
	// Used remembers whether a tenant has coupons at all, so that returns
	// of tenants without pay no query.
	Used tenantflag.Flags
}

// namespace derives coupon ids.
var namespace = uuid.MustParse("5b0f3c1e-2d7a-4e3b-9c61-8a4f0e2d1c77")

// ID is the id of the i-th grant of a program's outcome for an event: the
// same in live ingestion and in a simulation replaying the event, so that
// an order naming the coupon finds it in both.
func ID(eventID, programID string, i int) string {
	return uuid.NewSHA1(namespace, []byte(eventID+"/"+programID+"/"+strconv.Itoa(i))).String()
}

// UsableAt says why coupon c cannot be used at t by an order of the
// organization (and member), or "" when it can.
func UsableAt(c Coupon, orgID, memberID string, t time.Time) string {
	switch {
	case c.OrganizationID != orgID || (c.OwnerType == engine.OwnerMember && c.OwnerID != memberID):
		return "unknown coupon"
	case c.Status == Used:
		return "already used"
	case c.ExpiresAt != nil && (c.Status == Expired || !t.Before(*c.ExpiresAt)):
		return "expired on " + c.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC")
	case c.Status != Available:
		return "not available (" + c.Status + ")"
	case t.Before(c.IssuedAt):
		return "not issued yet at the order's time"
	case c.Benefit == nil:
		return "it has no benefit at checkout: staff use it by hand"
	}
	return ""
}

// Engine is what the engine needs of the coupon to price it.
func (c Coupon) Engine() engine.CouponUse {
	u := engine.CouponUse{ID: c.ID, Name: c.Name, ExpiresAt: c.ExpiresAt}
	if c.Benefit != nil {
		u.Benefit = *c.Benefit
	}
	return u
}
