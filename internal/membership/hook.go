package membership

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
)

// Hook records the paid period of every membership purchase or renewal
// event in the event's transaction, and refuses membership events that
// name no plan on sale. Plans is told of the tenant's new period.
type Hook struct {
	Plans *Plans
}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (Hook) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// AfterEvent implements events.Hook.
func (k Hook) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	if rec.Event.Type != engine.Membership {
		return nil
	}
	tx, err := events.TxAs[Tx](h.Tx)
	if err != nil {
		return err
	}
	pl, action, fee, err := readEvent(ctx, tx, h.Principal.TenantID, rec.Event.Attributes)
	if err != nil || action == ActionLapse {
		return err
	}
	// Locked before its periods are read: two sales at once would
	// otherwise both start where the last period ends, and one of the
	// fees would buy no time.
	if err := tx.LockOrganization(ctx, h.Principal.TenantID, rec.OrganizationID); err != nil {
		return err
	}
	periods, err := tx.OrgPeriods(ctx, h.Principal.TenantID, rec.OrganizationID)
	if err != nil {
		return err
	}
	per := NextPeriod(pl, periods, rec.Event.OccurredAt)
	per.ID, per.TenantID, per.OrganizationID, per.Fee, per.Currency = ids.New(), h.Principal.TenantID, rec.OrganizationID, fee, pl.Currency
	per.EventID, per.CreatedAt = rec.ID, h.Now
	if k.Plans != nil {
		k.Plans.Used.MarkUsed(h.Principal.TenantID)
	}
	return tx.InsertPeriod(ctx, per)
}

// EventPlan is the plan code and action of a membership event that pays
// for a period ("" when it records a lapse or names no action).
func EventPlan(attrs map[string]string) (code string, pays bool) {
	a := attrs["action"]
	return strings.ToLower(strings.TrimSpace(attrs["plan"])), a == ActionPurchase || a == ActionRenewal
}

// readEvent checks a membership event's attributes: action (purchase,
// renewal or lapse), plan (its code) and an optional fee paid.
func readEvent(ctx context.Context, tx Tx, tenantID string, attrs map[string]string) (Plan, string, int64, error) {
	action := attrs["action"]
	switch action {
	case ActionPurchase, ActionRenewal, ActionLapse:
	default:
		return Plan{}, "", 0, errs.InvalidField("attributes.action", "invalid_action", "a membership event's action is purchase, renewal or lapse")
	}
	code := strings.ToLower(strings.TrimSpace(attrs["plan"]))
	pl, err := tx.PlanByCode(ctx, tenantID, code)
	if errs.Is(err, errs.NotFound) {
		return pl, "", 0, errs.InvalidField("attributes.plan", "unknown_plan", "no membership plan with code %q", code)
	}
	if err != nil || action == ActionLapse {
		return pl, action, 0, err
	}
	if pl.Status != PlanActive {
		return pl, "", 0, errs.InvalidField("attributes.plan", "plan_archived", "plan %q is no longer sold", code)
	}
	fee := pl.Fee
	if s, ok := attrs["fee"]; ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > 1e12 {
			return pl, "", 0, errs.InvalidField("attributes.fee", "invalid_fee", "fee is the amount paid in minor units, e.g. 22000")
		}
		fee = n
	}
	return pl, action, fee, nil
}

// NextPeriod is the period a purchase at t pays for: from t, or — while a
// period of the plan still runs — from its end, so renewing early loses
// nothing. The action says whether the organization had the plan before.
// The simulator replays membership events with it.
func NextPeriod(pl Plan, periods []Period, t time.Time) Period {
	start, action := t, ActionPurchase
	for _, p := range periods {
		if p.PlanID != pl.ID {
			continue
		}
		action = ActionRenewal
		if p.EndsAt.After(start) {
			start = p.EndsAt
		}
	}
	return Period{PlanID: pl.ID, Action: action, StartsAt: start, EndsAt: start.AddDate(0, int(pl.PeriodMonths), 0)}
}

// Plans gives the engine an organization's memberships active at a time;
// it implements events.PlanSource. Used remembers for a second whether a
// tenant ever sold a membership, so that the events and quotes of tenants
// that do not sell them pay no query.
type Plans struct {
	Used tenantflag.Flags
}

// CheckTx implements events.TxChecker: the app checks at startup that
// ingestion's transaction is also this package's Tx.
func (*Plans) CheckTx(tx events.Tx) error { return events.Needs[Tx](tx) }

// ActivePlans implements events.PlanSource.
func (p *Plans) ActivePlans(ctx context.Context, etx events.Tx, tenantID, orgID string, at time.Time) ([]engine.Plan, error) {
	tx, err := events.TxAs[Tx](etx)
	if err != nil {
		return nil, err
	}
	has, err := p.Used.Uses(tenantID, func() (bool, error) { return tx.HasPeriods(ctx, tenantID) })
	if err != nil || !has {
		return nil, err
	}
	pls, err := tx.ActivePeriodPlans(ctx, tenantID, orgID, at)
	if err != nil || len(pls) == 0 {
		return nil, err
	}
	out := make([]engine.Plan, len(pls))
	for i, pl := range pls {
		out[i] = pl.Engine()
	}
	return out, nil
}
