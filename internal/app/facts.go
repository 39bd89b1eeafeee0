package app

import (
	"context"
	"strconv"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
)

// personFacts gives every message's template the figures of its person,
// which live in other services: {{balance}} and {{expiring.*}} (their own
// wallet if they have one, else their organization's; the first point
// type), {{tier}} (their organization's level in the first active
// program) and {{goal.*}} (the first active goal of theirs or of their
// whole organization). A trigger's own values take precedence.
type personFacts struct{ a *App }

// Vars implements notify.Facts. What a person has none of stays empty.
func (f personFacts) Vars(ctx context.Context, tenantID string, m party.Member) (map[string]string, error) {
	p, v := access.System(tenantID), map[string]string{}
	for _, step := range []func(context.Context, access.Principal, party.Member, map[string]string) error{f.wallet, f.tier, f.goal} {
		if err := step(ctx, p, m, v); err != nil && !errs.Is(err, errs.NotFound) && !errs.Is(err, errs.Conflict) {
			return nil, err
		}
	}
	return v, nil
}

func (f personFacts) wallet(ctx context.Context, p access.Principal, m party.Member, v map[string]string) error {
	bs, err := f.a.Ledger.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerMember, ID: m.ID}, 0)
	if err == nil && len(bs) == 0 && m.OrganizationID != "" {
		bs, err = f.a.Ledger.Balances(ctx, p, ledger.Owner{Type: ledger.OwnerOrganization, ID: m.OrganizationID}, 0)
	}
	if err != nil || len(bs) == 0 {
		return err
	}
	v["balance"] = strconv.FormatInt(bs[0].Account.Available, 10)
	if ex := bs[0].NextExpiries; len(ex) > 0 {
		v["expiring.points"], v["expiring.date"] = strconv.FormatInt(ex[0].Amount, 10), ex[0].At.Format(time.DateOnly)
	}
	return nil
}

func (f personFacts) tier(ctx context.Context, p access.Principal, m party.Member, v map[string]string) error {
	if m.OrganizationID == "" {
		return nil
	}
	progs, err := f.a.Programs.List(ctx, p, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, pr := range progs.Items {
		if pr.Status != program.Active {
			continue
		}
		st, err := f.a.Events.Status(ctx, p, pr.ID, m.OrganizationID)
		if err != nil || st.Tier == nil {
			return err
		}
		// The code, as the tier triggers give it.
		v["tier"], v["program.name"] = st.Tier.Level.Code, pr.Name
		return nil
	}
	return nil
}

func (f personFacts) goal(ctx context.Context, p access.Principal, m party.Member, v map[string]string) error {
	if m.OrganizationID == "" {
		return nil
	}
	gs, err := f.a.Goals.List(ctx, p, goal.ListInput{Organization: m.OrganizationID, Status: goal.Active}, page.Request{Limit: page.MaxLimit})
	if err != nil {
		return err
	}
	for _, g := range gs.Items {
		if g.MemberID == "" || g.MemberID == m.ID {
			v["goal.name"], v["goal.progress"], v["goal.target"] = g.Name, strconv.FormatInt(g.Value(), 10), strconv.FormatInt(g.Target, 10)
			v["goal.percent"] = strconv.FormatInt(g.Percent(), 10)
			return nil
		}
	}
	return nil
}
