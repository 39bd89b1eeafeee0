package admin

import (
	"context"
	"slices"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/party"
)

// atRisk is the organization search's at-risk filter: the organizations
// whose churn risk is high — no order for more than twice their own
// purchase cycle (analytics' churn_risk, as segments' churn_risk = high),
// over the last 365 days. When more than party.MaxIDs are at risk, the
// ones with the most revenue are kept, and capped says so.
func (c *Console) atRisk(ctx context.Context, p access.Principal) (ids []string, capped bool, err error) {
	orgs, err := c.svc.Analytics.Organizations(ctx, p, analytics.Query{}, true)
	if err != nil {
		return nil, false, err
	}
	if capped = len(orgs) > party.MaxIDs; capped {
		slices.SortStableFunc(orgs, func(a, b *analytics.OrgStats) int { return int(min(max(b.Revenue-a.Revenue, -1), 1)) })
		orgs = orgs[:party.MaxIDs]
	}
	ids = make([]string, 0, len(orgs))
	for _, o := range orgs {
		ids = append(ids, o.OrganizationID)
	}
	return ids, capped, nil
}
