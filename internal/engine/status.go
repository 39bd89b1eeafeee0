package engine

import (
	"sort"
	"time"
)

// ParticipantStatus is what a participant sees on one screen: enrolled or
// not, tier with progress to the next level, stamps, cards and the
// discount rates that apply now.
type ParticipantStatus struct {
	Enrolled   bool             `json:"enrolled"`
	EnrolledAt *time.Time       `json:"enrolled_at,omitempty"`
	Tier       *TierStatus      `json:"tier,omitempty"`
	Stamps     *Stamps          `json:"stamps,omitempty"`
	Cards      []string         `json:"cards"`
	Discounts  []RateStatus     `json:"discounts"`
	Counters   map[string]int64 `json:"counters"`
	LastOrder  *time.Time       `json:"last_order,omitempty"`
	// Caps are the program's caps per organization with this one's usage
	// in the current period.
	Caps []CapUsage `json:"caps"`
}

// TierStatus is a participant's level and the way to the next one.
type TierStatus struct {
	Level     Level      `json:"level"`
	Since     *time.Time `json:"since,omitempty"`
	Metric    string     `json:"metric"`
	Window    string     `json:"window"`
	Value     int64      `json:"value"` // the metric over the window now
	Next      *Level     `json:"next,omitempty"`
	Remaining int64      `json:"remaining,omitempty"` // to reach Next
	// AtRisk says the value is below the current level's threshold: the
	// next review will use a grace period or move down a level.
	AtRisk bool `json:"at_risk"`
	Grace  int  `json:"grace_used"`
	// Override is the tier granted by hand, while in force.
	Override *TierOverride `json:"override,omitempty"`
}

// RateStatus is a discount whose rate depends on the participant.
type RateStatus struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	PercentBP int64  `json:"percent_bp"`
	Reason    string `json:"reason"`
	// NextPercentBP is the next step's rate and Remaining the spend (minor
	// units) still needed to reach it; both 0 at the top step.
	NextPercentBP int64 `json:"next_percent_bp,omitempty"`
	Remaining     int64 `json:"remaining,omitempty"`
}

// Status summarizes a participant's standing in a program at a time.
func Status(p *Program, st State, now time.Time) ParticipantStatus {
	ps := ParticipantStatus{Enrolled: st.EnrolledAt != nil, EnrolledAt: st.EnrolledAt, LastOrder: st.LastOrder,
		Cards: []string{}, Discounts: []RateStatus{}, Counters: st.Counters, Caps: CapsUsage(p, "organization", st.Caps, now)}
	if ps.Counters == nil {
		ps.Counters = map[string]int64{}
	}
	if t := p.Def.Tiers; t != nil {
		settleOverride(t, &st, now) // st is a copy
		ps.Tier = tierStatus(t, &st, now)
	}
	if sc := p.Def.Stamps; sc != nil {
		ps.Stamps = &Stamps{Total: st.Stamps, Needed: sc.Needed, Completed: st.CardsDone}
	}
	for id, ok := range st.Cards {
		if ok {
			ps.Cards = append(ps.Cards, id)
		}
	}
	sort.Strings(ps.Cards)
	for i := range p.Def.Discounts {
		d := &p.Def.Discounts[i]
		if d.Kind != KindCumulative {
			continue
		}
		lv, why := cumulativeLevel(d, &st, now)
		r := RateStatus{ID: d.ID, Name: d.Name, Reason: why}
		if lv > 0 {
			r.PercentBP = d.Steps[lv-1].PercentBP
		}
		r.NextPercentBP, r.Remaining = nextStep(d, &st, now, lv)
		ps.Discounts = append(ps.Discounts, r)
	}
	return ps
}

func tierStatus(t *Tiers, st *State, now time.Time) *TierStatus {
	cur := levelIndex(t, st.Tier)
	v := metric(st.Window(t.Window, now), t.Metric)
	ts := &TierStatus{Level: t.Levels[cur], Since: st.TierSince, Metric: t.Metric, Window: t.Window, Value: v,
		AtRisk: v < t.Levels[cur].Threshold && !st.TierOverride.activeAt(now), Grace: st.Grace, Override: st.TierOverride}
	for i := cur + 1; i < len(t.Levels); i++ {
		if next := t.Levels[i]; !next.InvitationOnly { // the next level the metric can reach
			ts.Next, ts.Remaining = &next, max(next.Threshold-v, 0)
			break
		}
	}
	return ts
}

// AudienceMiss says why an organization is outside a program's audience,
// or "" when it is inside.
func (p *Program) AudienceMiss(o Org) string { return audienceMiss(p.Def.Audience, o) }
