package simulate

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/promo"
)

// Extras is what the simulation reads of the features that react to
// events besides programs (as the ingestion hooks do live).
type Extras interface {
	ListPlans(ctx context.Context, tenantID string) ([]membership.Plan, error)
	OrgPeriods(ctx context.Context, tenantID, orgID string) ([]membership.Period, error)
	GetCode(ctx context.Context, tenantID, code string) (promo.Code, error)
	GetCampaign(ctx context.Context, tenantID, id string) (promo.Campaign, error)
	GetPersonalCode(ctx context.Context, tenantID, code string) (promo.PersonalCode, error)
	ListGoals(ctx context.Context, tenantID string, f goal.Filter, r page.Request) ([]goal.Goal, error)
}

// readExtras fills the memberships, promo codes and goals the events of
// in meet.
func readExtras(ctx context.Context, tx Tx, tenantID string, in *Input) error {
	replayed := make(map[string]bool, len(in.Events))
	orgs := map[string]bool{}
	codes := map[string]bool{}
	for _, e := range in.Events {
		replayed[e.ID], orgs[e.Org] = true, true
		for _, c := range e.Codes {
			codes[c] = true
		}
	}
	if err := readMemberships(ctx, tx, tenantID, in, orgs, replayed); err != nil {
		return err
	}
	if err := readCodes(ctx, tx, tenantID, in, codes); err != nil {
		return err
	}
	return readGoals(ctx, tx, tenantID, in, orgs)
}

// readMemberships reads the plans and, per organization, the periods the
// replayed events did not buy.
func readMemberships(ctx context.Context, tx Tx, tenantID string, in *Input, orgs, replayed map[string]bool) error {
	pls, err := tx.ListPlans(ctx, tenantID)
	if err != nil || len(pls) == 0 {
		return err
	}
	in.Plans, in.Periods = map[string]membership.Plan{}, map[string][]membership.Period{}
	for _, pl := range pls {
		in.Plans[pl.ID] = pl
	}
	for org := range orgs {
		ps, err := tx.OrgPeriods(ctx, tenantID, org)
		if err != nil {
			return err
		}
		for _, p := range ps {
			if !replayed[p.EventID] {
				in.Periods[org] = append(in.Periods[org], p)
			}
		}
	}
	return nil
}

// readCodes reads the campaigns of the codes the events carry (and a
// personal code's owner and end).
func readCodes(ctx context.Context, tx Tx, tenantID string, in *Input, codes map[string]bool) error {
	for c := range codes {
		code, err := tx.GetCode(ctx, tenantID, c)
		if errs.Is(err, errs.NotFound) {
			continue
		}
		if err != nil {
			return err
		}
		camp, err := tx.GetCampaign(ctx, tenantID, code.CampaignID)
		if err != nil {
			return err
		}
		if camp.Kind == promo.Personal {
			pc, err := tx.GetPersonalCode(ctx, tenantID, c)
			if err != nil {
				return err
			}
			at := pc.ExpiresAt
			code.Organization, code.ExpiresAt = pc.OrganizationID, &at
		}
		if in.Codes == nil {
			in.Codes = map[string]Code{}
		}
		in.Codes[c] = Code{Code: code, Campaign: camp}
	}
	return nil
}

// readGoals reads the goals of the events' organizations whose periods
// start in the range and that were not cancelled: the simulation counts
// them from their start, as live did.
func readGoals(ctx context.Context, tx Tx, tenantID string, in *Input, orgs map[string]bool) error {
	for org := range orgs {
		r := page.Request{Limit: page.MaxLimit}
		for {
			gs, err := tx.ListGoals(ctx, tenantID, goal.Filter{OrganizationID: org}, r)
			if err != nil {
				return err
			}
			for i, g := range gs {
				if i == r.Limit {
					break
				}
				if g.Status != goal.Cancelled && !g.StartsAt.Before(in.From) && g.StartsAt.Before(in.To) {
					in.Goals = append(in.Goals, g)
				}
			}
			if len(gs) <= r.Limit {
				break
			}
			r.After = gs[r.Limit-1].ID
		}
	}
	return nil
}
