package engine

import (
	"fmt"
	"slices"
	"sync"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Evaluate runs one program version over one event for a participant. It
// does not change its inputs; the new states are in the outcome. An error
// means the event is wrong for this program (its currency, say), never a
// partial result.
func Evaluate(p *Program, ps ProgramState, part Participant, ev *Event) (Outcome, error) {
	e := evaluations.Get().(*evaluation)
	defer evaluations.Put(e)
	e.reset()
	e.result = Outcome{ProgramID: p.ID, Version: p.Version, Status: Applied,
		OrgState: part.OrgState.Clone(), MemberState: part.MemberState.Clone(), ProgramState: ps.Clone()}
	if ok := admit(p, &part, ev, &e.result); !ok {
		return e.result, nil
	}
	if len(ev.Lines) > 0 && ev.Currency != p.Def.Currency {
		return Outcome{}, errs.InvalidField("currency", "currency_mismatch",
			"the event is in %q but program %s runs in %s", ev.Currency, p.ID, p.Def.Currency)
	}
	e.p, e.part, e.ev, e.out = p, part, ev, &e.result
	if err := e.run(); err != nil {
		return Outcome{}, err
	}
	return e.result, nil
}

// admit decides whether the participant takes part: pilot, audience and
// enrollment. It enrolls on the first event when enrollment is automatic.
func admit(p *Program, part *Participant, ev *Event, out *Outcome) bool {
	switch part.Pilot {
	case "control":
		out.Status, out.Reason = Control, "the organization is in the pilot's control group"
		recordTotals(&out.OrgState, ev, 1)
		return false
	case "outside":
		out.Status, out.Reason = Outside, "the program is in pilot and the organization is not in it"
		return false
	}
	if why := audienceMiss(p.Def.Audience, part.Org); why != "" {
		out.Status, out.Reason = Outside, why
		return false
	}
	if out.OrgState.EnrolledAt == nil {
		if p.Def.Enrollment == "explicit" {
			out.Status, out.Reason = NotEnrolled, "the program needs explicit enrollment and the organization is not enrolled"
			return false
		}
		at := ev.OccurredAt
		out.OrgState.EnrolledAt, out.Enrolled = &at, true
	}
	return true
}

// audienceMiss says why an organization is outside an audience, or "".
func audienceMiss(a Audience, o Org) string {
	switch {
	case len(a.Organizations) > 0 && !slices.Contains(a.Organizations, o.ID):
		return "the organization is not in the program's list of organizations"
	case len(a.OrganizationTypes) > 0 && !slices.Contains(a.OrganizationTypes, o.Type):
		return fmt.Sprintf("organizations of type %q are not in the program's audience", o.Type)
	case len(a.Regions) > 0 && !slices.Contains(a.Regions, o.Region):
		return fmt.Sprintf("region %q is not in the program's audience", o.Region)
	case len(a.Tags) > 0 && !slices.ContainsFunc(o.Tags, func(t string) bool { return slices.Contains(a.Tags, t) }):
		return "the organization has none of the audience's tags"
	}
	return ""
}

// evaluation is one run of a program over an event. Evaluations are
// pooled: their scratch space (the variables expressions see, buffers of
// reasons and earns) is reused, so that an evaluation allocates little
// besides its outcome. Nothing of the scratch space may end up in the
// outcome.
type evaluation struct {
	p      *Program
	part   Participant
	ev     *Event
	out    *Outcome
	result Outcome // what out points to
	vars   varsCache
	// earned so far by this event, per owner level, before multipliers of
	// later rules; multiply effects scale these. The outcome gets a copy.
	pending  []Earn
	capKeys  []string // scratch space of capped
	ownerBuf [2]owner // scratch space of owners
	why      []byte   // scratch space of points
	whyBuf   [192]byte
	// suffixes of the reasons of pending earns, written once at the end
	suffixes []suffix
	ends     []int // scratch space of finishReasons
	memos    []lineMemo
}

var evaluations = sync.Pool{New: func() any { return new(evaluation) }}

// reset readies a pooled evaluation: its scratch space is emptied and
// kept. The other fields are all set before they are read (what the last
// evaluation left there goes with the pool at the next collections);
// zeroing the whole evaluation cost more than all the rest of its
// bookkeeping.
func (e *evaluation) reset() {
	e.pending, e.capKeys, e.why = e.pending[:0], e.capKeys[:0], e.why[:0]
	e.suffixes, e.ends, e.memos = e.suffixes[:0], e.ends[:0], e.memos[:0]
}

func (e *evaluation) run() error {
	if e.ev.Type == Return {
		return errs.E(errs.Invalid, "return_without_original", "a return is evaluated with its original invoice")
	}
	e.out.Tier = settleOverride(e.p.Def.Tiers, &e.out.OrgState, e.ev.OccurredAt)
	e.vars.build(e.ev, &e.part, &e.out.OrgState)
	if err := e.runRules(); err != nil {
		return err
	}
	if err := e.applyTierMultiplier(); err != nil {
		return err
	}
	if err := e.applyPlanMultipliers(); err != nil {
		return err
	}
	e.finishReasons()
	e.limitEmployees()
	e.limitBudget()
	e.out.Earns = append(e.out.Earns, e.pending...) // a copy: pending is scratch space
	if Purchase(e.ev.Type) {
		recordTotals(&e.out.OrgState, e.ev, 1)
		amount, _ := e.ev.Totals()
		settleCumulative(e.p, &e.out.OrgState, e.ev.OccurredAt, amount)
		recordBrackets(e.p, &e.out.OrgState, e.ev, 1)
		e.issueCards()
		e.upgradeTier()
		if err := e.stampCard(); err != nil {
			return err
		}
	}
	e.recordPoints()
	return e.spendPoints()
}

// recordTotals adds a purchase (sign 1) or takes back a return (-1).
func recordTotals(s *State, ev *Event, sign int64) {
	if !Purchase(ev.Type) {
		return
	}
	amount, qty := ev.Totals()
	s.add(ev.OccurredAt, Month{Spend: sign * amount, Quantity: sign * qty, Orders: sign})
	if sign > 0 && (s.LastOrder == nil || ev.OccurredAt.After(*s.LastOrder)) {
		at := ev.OccurredAt
		s.LastOrder = &at
	}
}

// recordPoints counts the points earned towards the "points" metric.
func (e *evaluation) recordPoints() {
	var n int64
	for _, x := range e.out.Earns {
		if x.Owner == OwnerOrganization {
			n += x.Points
		}
	}
	if n != 0 {
		e.out.OrgState.add(e.ev.OccurredAt, Month{Points: n})
	}
}

// spendPoints checks an order's points payment against the program's cap.
func (e *evaluation) spendPoints() error {
	if e.ev.PointsSpent == 0 {
		return nil
	}
	if e.ev.PointsSpent < 0 {
		return errs.InvalidField("points_spent", "negative", "points_spent must not be negative")
	}
	pp := e.p.Def.PointsPayment
	if pp == nil {
		return errs.InvalidField("points_spent", "not_allowed", "program %s does not let points pay for orders", e.p.ID)
	}
	amount, _ := e.ev.Totals()
	max, err := maxPointsPayment(e.p, amount)
	if err != nil {
		return err
	}
	if e.ev.PointsSpent > max {
		return errs.InvalidField("points_spent", "over_cap", "at most %d points may pay for this order (%s of %s)",
			max, percent(pp.MaxShareBP), formatMoney(amount))
	}
	return nil
}

// suffix is a multiplier's note on the reasons of the first upTo pending
// earns.
type suffix struct {
	upTo int
	text string
}

// addSuffix notes a multiplier applied to the earns pending so far.
func (e *evaluation) addSuffix(text string) {
	if len(e.pending) > 0 {
		e.suffixes = append(e.suffixes, suffix{len(e.pending), text})
	}
}

// finishReasons appends to each pending earn's reason the multipliers
// applied after it was earned, in order. The new reasons are written one
// after the other into one string, and each earn's reason is its part.
func (e *evaluation) finishReasons() {
	if len(e.suffixes) == 0 {
		return
	}
	b := e.why[:0]
	ends := e.ends[:0]
	for i := range e.pending {
		b = append(b, e.pending[i].Reason...)
		for _, s := range e.suffixes {
			if i < s.upTo {
				b = append(b, s.text...)
			}
		}
		ends = append(ends, len(b))
	}
	all, start := string(b), 0
	for i, end := range ends {
		e.pending[i].Reason, start = all[start:end], end
	}
	e.why, e.ends, e.suffixes = b, ends, e.suffixes[:0]
}
