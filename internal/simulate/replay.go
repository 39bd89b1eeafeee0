package simulate

import (
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/money"
	"github.com/loyal-b2b/loyal/internal/pricing"
)

// runner replays the history through one variant. It keeps what live
// keeps in the database — participant and program states, each invoice's
// outcome for later returns, the ledger — in maps.
type runner struct {
	in        *Input
	v         *Variant
	tot       Totals
	tm        timers
	bk        *book
	orgs      map[string]*orgState
	members   map[string]engine.State
	ps        engine.ProgramState
	invoices  map[string]*invoice        // source \x00 external id → purchase
	hist      map[string]*engine.History // purchases and returns so far, by organization (history.go)
	coupons   coupons
	cpn       CouponTotals
	periods   map[string][]membership.Period // paid memberships by organization (memberships.go)
	memberTot MembershipTotals
	codes     CodeTotals
	goals     map[string][]*simGoal // by organization (goals.go)
	goalTot   GoalTotals
	stats     map[string]*orgStats
	refused   map[string]int
	months    []Month
	prev      Totals
	monthEnd  time.Time
	// sums adds up the figures of stored events, which may reach the
	// int64 limit together; replay refuses a report that overflowed.
	sums money.Checked
}

// orgState is an organization's state in the program and when it is next
// due for review (zero: never), as live stores them.
type orgState struct {
	st  engine.State
	due time.Time
}

// invoice is a purchase received, with what the program did with it.
type invoice struct {
	ev       *engine.Event
	org      string
	applied  bool
	earns    []engine.Earn
	lots     []*lot // per earn
	returned []int64
	clawed   []int64
	reclaim  int64
	stamps   int64
	coupons  []string // the coupons it used
}

func newRunner(in *Input, v *Variant) *runner {
	r := &runner{in: in, v: v, orgs: map[string]*orgState{}, members: map[string]engine.State{},
		invoices: map[string]*invoice{}, coupons: coupons{}, stats: map[string]*orgStats{}, refused: map[string]int{}}
	r.bk = newBook(v.PointType, &r.tot, &r.tm)
	r.periods = map[string][]membership.Period{}
	for org, ps := range in.Periods {
		r.periods[org] = append([]membership.Period(nil), ps...)
	}
	r.goals = map[string][]*simGoal{}
	for _, g := range in.Goals {
		r.goals[g.OrganizationID] = append(r.goals[g.OrganizationID], &simGoal{g: g})
	}
	r.bk.sums = &r.sums
	r.monthEnd = firstOfMonth(in.From).AddDate(0, 1, 0)
	return r
}

func firstOfMonth(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// advance runs everything due up to t, closing the months it passes.
func (r *runner) advance(t time.Time) {
	for !r.monthEnd.After(t) {
		r.runTimers(r.monthEnd)
		r.closeMonth(r.monthEnd)
		r.monthEnd = r.monthEnd.AddDate(0, 1, 0)
	}
	r.runTimers(t)
}

func (r *runner) runTimers(at time.Time) {
	for {
		x, ok := r.tm.next(at)
		if !ok {
			return
		}
		switch x.kind {
		case activateTimer:
			r.bk.activate(x.lot)
		case expireTimer:
			if x.at.UnixMilli() == x.lot.expMs { // else activity pushed it back
				r.bk.expire(x.lot)
			}
		case redeemTimer:
			r.sums.Add(&r.tot.RedeemedAssumed, r.bk.take(x.lot.w, x.points, 0))
			r.bk.active(x.lot.w, nil, x.at)
		case reviewTimer:
			r.review(x.org, x.at)
		case couponTimer:
			r.expireCoupon(x.coupon)
		}
	}
}

// event replays one event as ingestion applies it.
func (r *runner) event(ev *Event) {
	org := r.org(ev)
	if ev.Type == engine.Return {
		r.ret(ev, org)
		return
	}
	inv := &invoice{ev: &ev.Event, org: ev.Org, coupons: ev.Coupons}
	v := r.v.at(ev.OccurredAt)
	if v == nil && len(ev.Coupons) > 0 {
		r.refuse(r.useCoupons(ev, nil)) // no program takes part: live refuses its coupons
		return
	}
	offers := r.offers(v, ev)
	if v != nil {
		part := r.participant(org, ev)
		discount := r.quote(v, part, ev, codeDiscounts(offers))
		out, err := engine.Evaluate(v, r.ps, part, &ev.Event)
		if err == nil {
			err = r.useCoupons(ev, &out)
		}
		if err != nil {
			r.refuse(err)
			return // live refuses the event: it is not stored, nothing changes
		}
		if out.Status == engine.Applied {
			r.post(v, ev, &out, inv)
			r.issueCoupons(ev, &out)
			r.sums.Add(&r.tot.QuoteDiscounts, discount)
			r.sums.Add(&r.stat(org, ev).discounts, discount)
		}
		r.keepAll(v, &out, ev)
	}
	// What the ingestion hooks do, in their order.
	r.useCodes(ev, offers)
	r.membershipEvent(ev)
	r.countGoals(ev, nil)
	if engine.Purchase(ev.Type) {
		amount, margin := r.value(ev.Lines, nil)
		r.sums.Add(&r.tot.Revenue, amount)
		r.sums.Add(&r.tot.Margin, margin)
		r.sums.Add(&r.stat(org, ev).revenue, amount)
		r.history(ev.Org).Add(ev.OccurredAt, amount, quantity(ev.Lines), 1)
		r.invoices[ev.Source+"\x00"+ev.ExternalID] = inv
	}
	r.tot.Events++
}

// quote prices a purchase the way the checkout would, for programs that
// give discounts.
func (r *runner) quote(v *engine.Program, part engine.Participant, ev *Event, codes []pricing.Discount) int64 {
	if !engine.Purchase(ev.Type) || len(ev.Lines) == 0 {
		return 0
	}
	if len(v.Def.Discounts) == 0 && v.Def.Tiers == nil && len(part.Plans) == 0 && len(ev.Coupons) == 0 && len(codes) == 0 {
		return 0 // nothing gives a discount: skip pricing
	}
	q, err := engine.Quote(v, r.ps, part, engine.Cart{Currency: ev.Currency, Lines: ev.Lines, Coupons: r.usable(ev), Codes: codes}, ev.OccurredAt)
	if err != nil {
		return 0 // Evaluate refuses the same event and says why
	}
	return q.Discount
}

// post credits an outcome's earns as ingestion does — one lot per wallet
// and dates — then takes the points the order spent.
func (r *runner) post(v *engine.Program, ev *Event, out *engine.Outcome, inv *invoice) {
	credits, lotOf := events.MergeEarns(out.Earns, v.Def.PointTypeID)
	lots := make([]*lot, len(credits))
	for i, c := range credits {
		lots[i] = r.bk.credit(c.Owner, c.Amount, ev.OccurredAt, c.AvailableAt, c.ExpiresAt)
		r.redeemLater(lots[i])
	}
	inv.applied, inv.earns = true, out.Earns
	if out.Stamps != nil {
		inv.stamps = out.Stamps.Added
	}
	inv.lots = make([]*lot, len(out.Earns))
	for i, j := range lotOf {
		inv.lots[i] = lots[j]
	}
	r.sums.Add(&r.stat(r.org(ev), ev).points, out.Points())
	if n := ev.PointsSpent; n > 0 {
		w := r.bk.wallet(ledger.Owner{Type: ledger.OwnerOrganization, ID: ev.Org})
		took := r.bk.take(w, n, -r.v.PointType.NegativeLimit)
		r.bk.active(w, nil, ev.OccurredAt)
		r.sums.Add(&r.tot.RedeemedByEvents, took)
		r.sums.Add(&r.tot.Unfunded, n-took)
	}
}

// redeemLater schedules the assumed redemption of a share of a lot.
func (r *runner) redeemLater(l *lot) {
	rate := r.in.Assumptions.RedemptionRateBP
	if rate == nil || *rate <= 0 {
		return
	}
	n := l.amount * *rate / 10000
	if n <= 0 {
		return
	}
	at := l.earned.AddDate(0, 0, r.in.Assumptions.RedemptionDelayDays)
	if at.Before(l.avail) {
		at = l.avail
	}
	r.tm.push(timer{at: at, kind: redeemTimer, lot: l, points: n})
}

// keepAll records the outcome's new states, as ingestion's keepAll.
func (r *runner) keepAll(v *engine.Program, out *engine.Outcome, ev *Event) {
	if out.Status != engine.Applied && out.Status != engine.Control {
		return
	}
	r.keep(ev.Org, out.OrgState, true, ev.OccurredAt)
	if ev.Member != "" {
		r.members[ev.Member] = out.MemberState
	}
	if v.NeedsProgramState() {
		r.ps = out.ProgramState
	}
}

// keep stores an organization's state; after an event a review becomes
// due next period, unless one is already due.
func (r *runner) keep(orgID string, st engine.State, due bool, now time.Time) {
	os := r.orgs[orgID]
	if os == nil {
		os = &orgState{}
		r.orgs[orgID] = os
	}
	os.st = st
	if due && (os.due.IsZero() || os.due.After(now)) {
		r.setDue(orgID, os, engine.NextDue(r.v.latest(), now))
	}
}

func (r *runner) setDue(orgID string, os *orgState, at time.Time) {
	if os.due.Equal(at) {
		return
	}
	os.due = at
	if !at.IsZero() {
		r.tm.push(timer{at: at, kind: reviewTimer, org: orgID})
	}
}

// participant is what the engine sees of the event's organization and
// member.
func (r *runner) participant(org Org, ev *Event) engine.Participant {
	part := engine.Participant{Org: org.Org, Plans: r.plansAt(ev.Org, ev.OccurredAt)}
	if os := r.orgs[ev.Org]; os != nil {
		part.OrgState = os.st
	}
	part.OrgState = r.seeded(ev.Org, part.OrgState, ev.OccurredAt)
	if r.v.Pilot != nil {
		part.Pilot = r.v.Pilot(org.ID)
	}
	if ev.Member != "" {
		m, ok := r.in.Members[ev.Member]
		if !ok {
			m = engine.Member{ID: ev.Member}
		}
		m.Consent = r.v.Consent == nil || r.v.Consent(org.ID, ev.OccurredAt)
		part.Member = &m
		part.MemberState = r.members[ev.Member]
	}
	return part
}

// org is the event's organization as the engine sees it.
func (r *runner) org(ev *Event) Org {
	o, ok := r.in.Orgs[ev.Org]
	if !ok || o.ID == "" {
		o.ID = ev.Org
	}
	return o
}

// refuse counts an event live would have refused, by its error code.
func (r *runner) refuse(err error) {
	code := "invalid"
	if e := errs.As(err); e != nil {
		code = e.Code
		if len(e.Fields) > 0 {
			code = e.Fields[0].Code
		}
	}
	r.refused[code]++
}

// review runs an organization's time-driven changes, as the review job.
func (r *runner) review(orgID string, at time.Time) {
	os := r.orgs[orgID]
	if os == nil || !os.due.Equal(at) {
		return // reviewed since, or no longer due then
	}
	v := r.v.at(at)
	if v == nil {
		os.due = time.Time{}
		return
	}
	out, err := engine.Review(v, r.ps, engine.Participant{Org: engine.Org{ID: orgID}, OrgState: os.st}, at)
	if err != nil {
		r.refuse(err)
		return
	}
	if v.NeedsProgramState() {
		r.ps = out.ProgramState
	}
	if len(out.Earns) > 0 {
		credits, _ := events.MergeEarns(out.Earns, v.Def.PointTypeID)
		for _, c := range credits {
			r.redeemLater(r.bk.credit(c.Owner, c.Amount, at, c.AvailableAt, c.ExpiresAt))
		}
		r.sums.Add(&r.stat(Org{Org: engine.Org{ID: orgID}}, nil).points, out.Points())
	}
	os.st = out.OrgState
	r.setDue(orgID, os, engine.NextDue(r.v.latest(), at))
}
