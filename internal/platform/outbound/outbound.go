// Package outbound lets a service announce what happened (points spent, a
// claim decided, a goal reached…) to the tenant's webhooks and message
// triggers, inside the transaction that made the change: the announcement
// is queued in the outbox with the change, so it leaves if and only if
// the change commits. Messaging (internal/notify) implements Publisher;
// the services only know this small interface, so they need not import
// messaging (which imports them).
package outbound

import (
	"context"
	"sync/atomic"
)

// Types of what services announce (the webhook event types).
const (
	EventProcessed   = "event.processed"
	PointsEarned     = "points.earned"
	PointsSpent      = "points.spent"
	PointsExpired    = "points.expired"
	TierChanged      = "tier.changed"
	RedemptionStatus = "redemption.status"
	ClaimStatus      = "claim.status"
	ConsentRecorded  = "consent.recorded"
	MemberRegistered = "member.registered"
	GoalProgress     = "goal.progress"
	GoalAchieved     = "goal.achieved"
)

// Publisher queues an announcement in the caller's transaction tx (the
// storage transaction the change runs in).
type Publisher interface {
	Publish(ctx context.Context, tx any, tenantID, typ string, data any) error
}

// Publish announces through p; a nil p (a service built without
// messaging, as in most tests) announces nothing.
func Publish(ctx context.Context, p Publisher, tx any, tenantID, typ string, data any) error {
	if p == nil {
		return nil
	}
	return p.Publish(ctx, tx, tenantID, typ, data)
}

// Ref is a Publisher set after the services that use it are built (the
// messaging service is built last, over them). Until Set it announces
// nothing.
type Ref struct{ p atomic.Pointer[Publisher] }

// Set makes r announce through p.
func (r *Ref) Set(p Publisher) { r.p.Store(&p) }

// Publish implements Publisher.
func (r *Ref) Publish(ctx context.Context, tx any, tenantID, typ string, data any) error {
	if p := r.p.Load(); p != nil {
		return (*p).Publish(ctx, tx, tenantID, typ, data)
	}
	return nil
}
