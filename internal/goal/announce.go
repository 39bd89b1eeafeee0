package goal

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/platform/outbound"
)

// ProgressData is what goal.progress (the whole percentage rose, short of
// the target) and goal.achieved announce.
type ProgressData struct {
	GoalID          string `json:"goal_id"`
	Name            string `json:"name"`
	OrganizationID  string `json:"organization_id"`
	MemberID        string `json:"member_id,omitempty"`
	Metric          string `json:"metric"`
	Progress        int64  `json:"progress"`
	Target          int64  `json:"target"`
	Percent         int64  `json:"percent"`
	PreviousPercent int64  `json:"previous_percent"`
	EventID         string `json:"event_id"`
	RewardPoints    int64  `json:"reward_points,omitempty"`
}

// announce publishes a goal's progress (typ goal.progress or
// goal.achieved) in the event's transaction.
func (c *counter) announce(ctx context.Context, typ string, g *Goal, prev int64) error {
	d := ProgressData{GoalID: g.ID, Name: g.Name, OrganizationID: g.OrganizationID, MemberID: g.MemberID, Metric: g.Metric,
		Progress: g.Value(), Target: g.Target, Percent: g.Percent(), PreviousPercent: prev, EventID: c.rec.ID, RewardPoints: g.Reward.Points}
	return outbound.Publish(ctx, c.pub, c.h.Tx, c.rec.TenantID, typ, d)
}
