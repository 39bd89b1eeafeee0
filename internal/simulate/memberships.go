package simulate

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/membership"
)

// Paid memberships, as live keeps them: the periods bought before the
// range (Input.Periods) and those the range's membership events pay for
// (membership.NextPeriod, as the membership hook); while a period covers
// an event, its plan's discount and earn multiplier apply (engine.Plan).

// MembershipTotals count the paid periods the replayed events bought.
type MembershipTotals struct {
	Periods int64 `json:"periods"`
}

// plansAt are an organization's memberships active at t.
func (r *runner) plansAt(org string, t time.Time) []engine.Plan {
	var out []engine.Plan
	for _, p := range r.periods[org] {
		if p.StartsAt.After(t) || !p.EndsAt.After(t) {
			continue
		}
		if pl, ok := r.in.Plans[p.PlanID]; ok {
			out = append(out, pl.Engine())
		}
	}
	return out
}

// membershipEvent records the period a membership purchase or renewal
// pays for, after the programs evaluated it (the hook runs after them).
func (r *runner) membershipEvent(ev *Event) {
	if ev.Type != engine.Membership {
		return
	}
	code, pays := membership.EventPlan(ev.Attributes)
	if !pays {
		return
	}
	for _, pl := range r.in.Plans {
		if pl.Code == code {
			p := membership.NextPeriod(pl, r.periods[ev.Org], ev.OccurredAt)
			p.OrganizationID, p.EventID = ev.Org, ev.ID
			r.periods[ev.Org] = append(r.periods[ev.Org], p)
			r.memberTot.Periods++
			return
		}
	}
}
