// Package goal holds goals ("do A, get B", DOMAIN.md §3.13): a target for
// an organization or one of its members over a period — buy an amount or a
// quantity of a range, place orders, reach a share of the partner's
// purchases, complete trainings, report sales claims — whose progress every
// ingested event updates (Hook) and whose reward is granted once, when the
// progress reaches the target.
package goal

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Metrics a goal measures.
const (
	Amount    = "amount"    // net purchase amount, minor units
	Quantity  = "quantity"  // net units bought
	Orders    = "orders"    // purchase events
	Share     = "share"     // operator's purchases as basis points of the partner's total
	Trainings = "trainings" // training events
	Claims    = "claims"    // sales-claim events
)

// Metrics lists every metric.
var Metrics = []string{Amount, Quantity, Orders, Share, Trainings, Claims}

// Stored statuses. Upcoming and Expired are derived from the period for an
// active goal (StatusAt).
const (
	Active    = "active"
	Achieved  = "achieved"
	Cancelled = "cancelled"
	Upcoming  = "upcoming"
	Expired   = "expired"
)

// Statuses lists the statuses a list can filter by.
var Statuses = []string{Active, Achieved, Expired, Upcoming, Cancelled}

// TotalEvent is the event type by which a partner reports its total
// purchases (of every supplier) for a share goal, in its attribute
// TotalAttr, in minor units. The latest report replaces the previous one.
const (
	TotalEvent = "custom:purchases_total"
	TotalAttr  = "total"
)

// Goal is a target for an organization, or one of its members, over the
// period [StartsAt, EndsAt).
type Goal struct {
	ID             string    `json:"id"`
	TenantID       string    `json:"tenant_id"`
	OrganizationID string    `json:"organization_id"`
	MemberID       string    `json:"member_id,omitempty"` // "": the whole organization
	Name           string    `json:"name"`
	Metric         string    `json:"metric"`
	SKUs           []string  `json:"skus"`       // lines counted (amount, quantity, orders, share); empty: all
	Categories     []string  `json:"categories"` // ditto, by category
	Target         int64     `json:"target"`
	StartsAt       time.Time `json:"starts_at"`
	EndsAt         time.Time `json:"ends_at"`
	Reward         Reward    `json:"reward"`
	Status         string    `json:"status"` // stored: active, achieved or cancelled
	// Progress is the metric's counter; for share it is the operator's net
	// purchase amount, and PartnerTotal the partner's reported total.
	Progress      int64      `json:"progress"`
	PartnerTotal  int64      `json:"partner_total"`
	AchievedAt    *time.Time `json:"achieved_at,omitempty"`
	AchievedEvent string     `json:"achieved_event,omitempty"`
	RewardTx      string     `json:"reward_tx,omitempty"`
	CreatedAt     time.Time  `json:"created_at"`
	UpdatedAt     time.Time  `json:"updated_at"`
}

// Reward is what achieving a goal grants: points into the organization's or
// member's wallet, and/or a text (a gift, a trip) recorded on achievement.
type Reward struct {
	PointTypeID string `json:"point_type_id,omitempty"`
	Points      int64  `json:"points"`
	Text        string `json:"text"`
}

// Filter narrows a list of goals.
type Filter struct {
	OrganizationID string
	MemberID       string
	Status         string // one of Statuses, or "" for all
	Now            time.Time
}

// Tx is what goals need from storage.
type Tx interface {
	audit.Writer
	party.OrgReader
	party.MemberReader
	GetPointType(ctx context.Context, tenantID, id string) (ledger.PointType, error)
	GetEventByExternal(ctx context.Context, tenantID, source, externalID string) (events.Record, error)

	InsertGoal(ctx context.Context, g Goal) error
	HasGoals(ctx context.Context, tenantID string) (bool, error)
	GetGoal(ctx context.Context, tenantID, id string) (Goal, error)
	ListGoals(ctx context.Context, tenantID string, f Filter, r page.Request) ([]Goal, error)
	// CancelGoal cancels an active goal; false when it is not active.
	CancelGoal(ctx context.Context, tenantID, id string, at time.Time) (bool, error)
	// OpenGoals reads an organization's active goals whose period holds at
	// (one indexed query per event).
	OpenGoals(ctx context.Context, tenantID, orgID string, at time.Time) ([]Goal, error)
	// AddGoalProgress adds delta to a goal's counter and returns the new
	// counter and partner total; the update is atomic, so concurrent
	// events add up.
	AddGoalProgress(ctx context.Context, tenantID, id string, delta int64, at time.Time) (progress, total int64, err error)
	// SetGoalPartnerTotal records the partner's reported total.
	SetGoalPartnerTotal(ctx context.Context, tenantID, id string, total int64, at time.Time) (progress, totalOut int64, err error)
	// AchieveGoal marks an active goal achieved; false when another event
	// achieved it first (the reward is then not granted again).
	AchieveGoal(ctx context.Context, tenantID, id, eventID, rewardTx string, at time.Time) (bool, error)
}

// Store runs functions with a Tx.
type Store = txn.Runner[Tx]

// Service manages goals.
type Service struct {
	Store Store
	Clock clock.Clock
	Used  *tenantflag.Flags // shared with Hook; told of new goals
}

// Value is the goal's measure compared with its target: the counter, or
// for share the basis points of the partner's total (capped at 10000).
func (g Goal) Value() int64 {
	if g.Metric == Share {
		return shareBP(g.Progress, g.PartnerTotal)
	}
	return g.Progress
}

// Percent is how far the goal is, 0–100 (floor).
func (g Goal) Percent() int64 {
	v := g.Value()
	switch {
	case g.Status == Achieved || v >= g.Target:
		return 100
	case v <= 0 || g.Target <= 0:
		return 0
	}
	return v * 100 / g.Target // v < Target ≤ 10^15: no overflow
}

// StatusAt is the goal's status at now: achieved and cancelled as stored;
// an active goal is upcoming before its period and expired after it.
func (g Goal) StatusAt(now time.Time) string {
	switch {
	case g.Status != Active:
		return g.Status
	case now.Before(g.StartsAt):
		return Upcoming
	case !now.Before(g.EndsAt):
		return Expired
	}
	return Active
}
