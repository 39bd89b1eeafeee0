package simulate

import (
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
)

// GoalTotals count the goals the replayed events achieved.
type GoalTotals struct {
	Achieved int64 `json:"achieved"`
	Points   int64 `json:"points"` // their reward points in this variant's point type
}

// simGoal is a goal being counted: its progress from the replayed events.
type simGoal struct {
	g        goal.Goal
	progress int64
	total    int64 // share goals: the partner's reported total
	achieved bool
}

// countGoals moves the goals of the event's organization (and member) as
// the goal hook does, and grants a goal's reward points when the event
// makes it reach its target.
func (r *runner) countGoals(ev *Event, orig *engine.Event) {
	total, isTotal, err := goal.ReportedTotal(&ev.Event)
	if err != nil {
		return
	}
	for _, sg := range r.goals[ev.Org] {
		g := &sg.g
		if sg.achieved || !g.InPeriod(ev.OccurredAt) || g.MemberID != "" && g.MemberID != ev.Member {
			continue
		}
		switch d, ok := g.Delta(&ev.Event, orig); {
		case isTotal && g.Metric == goal.Share:
			sg.total = total
		case ok:
			sg.progress += d
		default:
			continue
		}
		g.Progress, g.PartnerTotal = sg.progress, sg.total
		if g.Value() >= g.Target {
			r.achieve(sg, ev)
		}
	}
}

// achieve grants a goal's reward once: points in the variant's point type
// (a goal rewarded in another point type earns nothing here).
func (r *runner) achieve(sg *simGoal, ev *Event) {
	sg.achieved = true
	r.goalTot.Achieved++
	g := &sg.g
	if g.Reward.Points <= 0 || g.Reward.PointTypeID != r.v.PointType.ID {
		return
	}
	owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: g.OrganizationID}
	if g.MemberID != "" {
		owner = ledger.Owner{Type: ledger.OwnerMember, ID: g.MemberID}
	}
	r.redeemLater(r.bk.credit(owner, g.Reward.Points, ev.OccurredAt, nil, nil))
	r.goalTot.Points += g.Reward.Points
	r.sums.Add(&r.stat(Org{Org: engine.Org{ID: g.OrganizationID}}, nil).points, g.Reward.Points)
}
