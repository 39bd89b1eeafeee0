package engine

import (
	"fmt"
	"time"
)

// Review runs a participant's time-driven changes due at a time: tier
// requalification at the end of each review period (grace, then down one
// level), stored inactivity step-downs of cumulative discounts, and the
// monthly period bonus on last month's spend. It is idempotent: the state
// remembers the periods already reviewed and credited.
func Review(p *Program, ps ProgramState, part Participant, at time.Time) (Outcome, error) {
	out := Outcome{ProgramID: p.ID, Version: p.Version, Status: Applied,
		OrgState: part.OrgState.Clone(), MemberState: part.MemberState.Clone(), ProgramState: ps.Clone()}
	st := &out.OrgState
	if st.EnrolledAt == nil {
		out.Status, out.Reason = NotEnrolled, "not enrolled"
		return out, nil
	}
	if mv := settleOverride(p.Def.Tiers, st, at); mv != nil {
		out.Tier = mv
	}
	reviewTier(p, st, at, &out)
	settleCumulative(p, st, at, 0)
	if err := periodBonus(p, part.Org.ID, st, at, &out); err != nil {
		return Outcome{}, err
	}
	return out, nil
}

// reviewPeriod is the last review period completed at t and its end.
func reviewPeriod(review string, t time.Time) (string, time.Time) {
	if review == "year" {
		end := time.Date(t.UTC().Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		return end.AddDate(-1, 0, 0).Format("2006"), end
	}
	end := firstOfMonth(t)
	return MonthKey(end.AddDate(0, -1, 0)), end
}

func reviewTier(p *Program, st *State, at time.Time, out *Outcome) {
	t := p.Def.Tiers
	if t == nil {
		return
	}
	period, end := reviewPeriod(t.Review, at)
	if st.Reviewed >= period || !st.EnrolledAt.Before(end) {
		return
	}
	st.Reviewed = period
	cur := levelIndex(t, st.Tier)
	// The window as of the period's last instant; a previous-month window
	// is the month just ended, as a purchase in the next period sees it.
	asOf := end.Add(-time.Millisecond)
	if t.Window == "previous_month" {
		asOf = end
	}
	m := metric(st.Window(t.Window, asOf), t.Metric)
	reached := reachedLevel(t, m)
	from := t.Levels[cur]
	switch {
	case reached >= cur:
		st.Grace = 0
		if reached == cur {
			return
		}
		st.Tier = t.Levels[reached].Code
		out.Tier = &TierMove{From: from.Code, To: st.Tier, Reason: fmt.Sprintf("requalified for period %s: %s %s", period, t.Metric, amountOf(t.Metric, m))}
	case st.TierOverride.activeAt(end):
		return // a granted tier does not move down while in force
	case st.Grace < t.GracePeriods:
		st.Grace++
		out.Notes = append(out.Notes, fmt.Sprintf("tier %s at risk: %s %s in period %s is below %s; grace period %d of %d",
			from.Name, t.Metric, amountOf(t.Metric, m), period, amountOf(t.Metric, from.Threshold), st.Grace, t.GracePeriods))
		return
	default:
		st.Grace = 0
		st.Tier = t.Levels[below(t, cur)].Code
		out.Tier = &TierMove{From: from.Code, To: st.Tier, Reason: fmt.Sprintf("did not requalify for period %s: %s %s is below %s; down one level",
			period, t.Metric, amountOf(t.Metric, m), amountOf(t.Metric, from.Threshold))}
	}
	since := end
	st.TierSince = &since
}

// periodBonus credits last month's rate once per month; the points expire
// when the month they are credited in ends (DOMAIN §8.6).
func periodBonus(p *Program, orgID string, st *State, at time.Time, out *Outcome) error {
	pb := p.Def.PeriodBonus
	if pb == nil {
		return nil
	}
	start := firstOfMonth(at)
	last := MonthKey(start.AddDate(0, -1, 0))
	if st.Bonused >= last || !st.EnrolledAt.Before(start) {
		return nil
	}
	st.Bonused = last
	spend := st.Months.get(monthOf(start) - 1).Spend
	lv := reachedStep(pb.Steps, spend)
	if lv == 0 || spend <= 0 {
		return nil
	}
	rate := pb.Steps[lv-1].PercentBP
	pts, err := moneyToPoints(p.Value, spend, rate)
	if err != nil || pts == 0 {
		return err
	}
	if pts = (&evaluation{p: p, out: out}).withinBudget(pts); pts == 0 {
		return nil
	}
	expires := start.AddDate(0, 1, 0)
	out.Earns = append(out.Earns, Earn{Owner: OwnerOrganization, OwnerID: orgID, Points: pts, RuleID: "period_bonus",
		AvailableAt: &start, ExpiresAt: &expires,
		Reason: fmt.Sprintf("%s of %s spent in %s; spend by %s", percent(rate), formatMoney(spend), last, expires.AddDate(0, 0, -1).Format("2006-01-02"))})
	return nil
}

// NextDue is when Review next has something to do for a participant of
// the program after t (zero: never).
func NextDue(p *Program, t time.Time) time.Time {
	if p.Def.Tiers == nil && p.Def.PeriodBonus == nil && !hasStepDown(p) {
		return time.Time{}
	}
	return firstOfMonth(t).AddDate(0, 1, 0)
}

func hasStepDown(p *Program) bool {
	for _, d := range p.Def.Discounts {
		if d.Kind == KindCumulative && d.Basis == "lifetime" && d.StepDownDays > 0 {
			return true
		}
	}
	return false
}
