package goal

import (
	"context"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/outbound"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
)

// Hook counts every new event towards the goals of its organization, in
// the event's transaction, and grants a goal's reward when the event makes
// it reach its target. Events that cannot move a goal cost nothing; the
// others cost one indexed query for the organization's open goals.
//
// Only events whose occurred_at falls in a goal's period count; a return
// counts when it and its original invoice do. Once achieved, a goal stops
// counting: a later return does not revoke the reward.
type Hook struct {
	// Used, shared with the service, remembers whether a tenant has goals
	// at all, so that tenants without pay no query per event.
	Used *tenantflag.Flags
	// Publish, if set, announces progress (goal.progress, when the whole
	// percentage rises) and achievement (goal.achieved).
	Publish outbound.Publisher
}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (Hook) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook.
func (k Hook) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	ev := &rec.Event
	total, isTotal, err := reportedTotal(ev)
	if err != nil {
		return err
	}
	moves := isTotal || engine.Purchase(ev.Type) || ev.Type == engine.Return || ev.Type == engine.Training
	if !moves {
		return nil
	}
	tx, err := events.TxAs[Tx](h.Tx)
	if err != nil {
		return err
	}
	has, err := k.Used.Uses(rec.TenantID, func() (bool, error) { return tx.HasGoals(ctx, rec.TenantID) })
	if err != nil || !has {
		return err
	}
	goals, err := tx.OpenGoals(ctx, rec.TenantID, rec.OrganizationID, ev.OccurredAt)
	if err != nil || len(goals) == 0 {
		return err
	}
	c := counter{tx: tx, h: h, rec: rec, pub: k.Publish}
	for i := range goals {
		g := &goals[i]
		if g.MemberID != "" && g.MemberID != rec.MemberID {
			continue
		}
		if err := c.count(ctx, g, total, isTotal); err != nil {
			return err
		}
	}
	return nil
}

// reportedTotal reads a partner's total purchases from a purchases_total
// event; a malformed total refuses the event.
func reportedTotal(ev *engine.Event) (int64, bool, error) {
	if ev.Type != TotalEvent {
		return 0, false, nil
	}
	s := ev.Attributes[TotalAttr]
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, true, errs.InvalidField("attributes."+TotalAttr, "invalid_total",
			"a %s event carries the partner's total purchases in attribute %q as a whole number of minor units, not %q", TotalEvent, TotalAttr, s)
	}
	return n, true, nil
}

// counter applies one event to the goals it moves.
type counter struct {
	tx   Tx
	h    *events.HookCtx
	rec  *events.Record
	orig *events.Record // a return's original, read once
	pub  outbound.Publisher
}

func (c *counter) count(ctx context.Context, g *Goal, total int64, isTotal bool) error {
	var err error
	tenant, now := c.rec.TenantID, c.h.Now
	var orig *engine.Event
	if c.rec.Event.Type == engine.Return {
		if o := c.original(ctx); o != nil {
			orig = &o.Event
		}
	}
	prev := g.Percent()
	switch delta, ok := g.Delta(&c.rec.Event, orig); {
	case isTotal && g.Metric == Share:
		g.Progress, g.PartnerTotal, err = c.tx.SetGoalPartnerTotal(ctx, tenant, g.ID, total, now)
	case ok:
		g.Progress, g.PartnerTotal, err = c.tx.AddGoalProgress(ctx, tenant, g.ID, delta, now)
	default:
		return nil
	}
	if err != nil {
		return err
	}
	if g.Value() < g.Target {
		if g.Percent() > prev {
			return c.announce(ctx, outbound.GoalProgress, g, prev)
		}
		return nil
	}
	return c.achieve(ctx, g, prev)
}

// original reads a return's invoice (nil if it cannot be read: ingestion
// has already refused a return whose original is unknown).
func (c *counter) original(ctx context.Context) *events.Record {
	if c.orig == nil {
		o, err := c.tx.GetEventByExternal(ctx, c.rec.TenantID, c.rec.Event.Source, c.rec.Event.Original)
		if err != nil {
			return nil
		}
		c.orig = &o
	}
	return c.orig
}

// achieve marks the goal achieved by this event and grants its reward.
// The conditional update lets exactly one event achieve a goal, so the
// points are credited once even when events race.
func (c *counter) achieve(ctx context.Context, g *Goal, prev int64) error {
	tenant, now := c.rec.TenantID, c.h.Now
	key := "goal:" + g.ID
	txID := ""
	if g.Reward.Points > 0 {
		txID = ledger.TxID(tenant, key)
	}
	ok, err := c.tx.AchieveGoal(ctx, tenant, g.ID, c.rec.ID, txID, now)
	if err != nil || !ok {
		return err
	}
	before := *g
	g.Status, g.AchievedAt, g.AchievedEvent, g.RewardTx, g.UpdatedAt = Achieved, &now, c.rec.ID, txID, now
	if g.Reward.Points > 0 {
		owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: g.OrganizationID}
		if g.MemberID != "" {
			owner = ledger.Owner{Type: ledger.OwnerMember, ID: g.MemberID}
		}
		_, err := c.h.Post(ctx, ledger.Entry{Kind: ledger.KindEarn, IdemKey: key, Effective: c.rec.Event.OccurredAt,
			Cause:   ledger.Cause{EventID: c.rec.ID, Reason: "goal achieved: " + g.Name},
			Credits: []ledger.Credit{{Owner: owner, PointTypeID: g.Reward.PointTypeID, Amount: g.Reward.Points}}})
		if err != nil {
			return err
		}
	}
	if err := c.announce(ctx, outbound.GoalAchieved, g, prev); err != nil {
		return err
	}
	return audit.Record(ctx, c.tx, c.h.Principal, now, "goal.achieved", "goal", g.ID, before, *g)
}

// inPeriod reports whether a moment falls in the goal's period.
func (g *Goal) inPeriod(t time.Time) bool {
	return !t.Before(g.StartsAt) && t.Before(g.EndsAt)
}
