package engine

import (
	"fmt"
)

// upgradeTier moves the participant up to the highest level the tier
// metric reaches after the event. Downgrades wait for the review.
func (e *evaluation) upgradeTier() {
	t := e.p.Def.Tiers
	if t == nil {
		return
	}
	st := &e.out.OrgState
	cur := levelIndex(t, st.Tier)
	if st.Tier == "" {
		st.Tier = t.Levels[0].Code
	}
	m := metric(e.tierWindow(t.Window), t.Metric)
	reached := reachedLevel(t, m)
	if reached <= cur {
		return
	}
	from := t.Levels[cur]
	to := t.Levels[reached]
	at := e.ev.OccurredAt
	st.Tier, st.TierSince, st.Grace = to.Code, &at, 0
	e.out.Tier = &TierMove{From: from.Code, To: to.Code,
		Reason: fmt.Sprintf("%s over %s reached %s (threshold of %s)", t.Metric, window(t.Window), amountOf(t.Metric, m), amountOf(t.Metric, to.Threshold))}
}

// tierWindow is the tier metric's window after the purchase was recorded:
// the window before it plus its totals, or summed again.
func (e *evaluation) tierWindow(window string) Month {
	amount, qty := e.ev.Totals()
	if w, ok := e.vars.windows.afterPurchase(window, Month{Spend: amount, Quantity: qty, Orders: 1}); ok {
		return w
	}
	return e.out.OrgState.Window(window, e.ev.OccurredAt)
}

// reachedLevel is the highest level whose threshold m reaches;
// invitation-only levels are granted, never reached.
func reachedLevel(t *Tiers, m int64) int {
	lv := 0
	for i, l := range t.Levels {
		if m >= l.Threshold && !l.InvitationOnly {
			lv = i
		}
	}
	return lv
}

func window(w string) string {
	switch w {
	case "calendar_year":
		return "the calendar year"
	case "previous_month":
		return "the previous month"
	case "lifetime":
		return "all time"
	}
	return "the last 12 months"
}

// amountOf formats a metric value: money for spend, a count otherwise.
func amountOf(metric string, n int64) string {
	if metric == "spend" {
		return formatMoney(n)
	}
	return fmt.Sprintf("%d", n)
}

// stampCard adds the program card's stamps for the event's qualifying
// lines and grants a reward for every full card.
func (e *evaluation) stampCard() error {
	sc := e.p.Def.Stamps
	if sc == nil {
		return nil
	}
	var n int64
	var memo []int8
	if e.p.stamps != nil {
		memo = e.memoOf(e.p.stamps)
	}
	for i, l := range e.ev.Lines {
		if e.p.stamps != nil {
			ok, err := e.lineCond(e.p.stamps, memo, i)
			if err != nil {
				return fmt.Errorf("stamps.lines: %w", err)
			}
			if !ok {
				continue
			}
		}
		if sc.PerUnit {
			n += l.Qty
		} else {
			n = 1
		}
	}
	if n > 0 {
		e.out.OrgState.Stamps += n
		e.addStamps(n)
	}
	return nil
}

// addStamps reports stamps added to the card and turns full cards into
// rewards; the card restarts with what is left over.
func (e *evaluation) addStamps(n int64) {
	sc := e.p.Def.Stamps
	st := &e.out.OrgState
	if e.out.Stamps == nil {
		e.out.Stamps = &Stamps{}
	}
	e.out.Stamps.Added += n
	if sc == nil {
		e.out.Stamps.Total = st.Stamps
		return
	}
	e.out.Stamps.Needed = sc.Needed
	for st.Stamps >= sc.Needed {
		st.Stamps -= sc.Needed
		st.CardsDone++
		e.out.Stamps.Completed++
		e.cardReward(sc)
	}
	e.out.Stamps.Total = st.Stamps
}

func (e *evaluation) cardReward(sc *StampCard) {
	r := sc.Reward
	reason := fmt.Sprintf("stamp card full: %d stamps", sc.Needed)
	o := e.part.Org.ID
	if r.Type == EffectEarn {
		if n := e.withinBudget(r.Fixed); n > 0 { // the card's points count against the budget too
			e.out.Earns = append(e.out.Earns, Earn{Owner: OwnerOrganization, OwnerID: o, Points: n, Reason: reason})
		}
		return
	}
	e.grant(r.Type, r.RewardID, r.Name, owner{OwnerOrganization, o}, reason)
}

// issueCards issues fixed discount cards whose entry threshold the
// purchase reaches (DOMAIN §8.12).
func (e *evaluation) issueCards() {
	amount, _ := e.ev.Totals()
	for _, d := range e.p.Def.Discounts {
		st := &e.out.OrgState
		if d.Kind != KindCard || st.Cards[d.ID] || amount < d.EntryThreshold {
			continue
		}
		if st.Cards == nil {
			st.Cards = map[string]bool{}
		}
		st.Cards[d.ID] = true
		e.out.Notes = append(e.out.Notes, fmt.Sprintf("card %q issued: a purchase of %s reached the entry threshold of %s",
			orDefault(d.Name, d.ID), formatMoney(amount), formatMoney(d.EntryThreshold)))
	}
}
