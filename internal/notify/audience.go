package notify

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Audience is the people a campaign would reach now, and how many of them
// hold each role: what a sender checks before confirming. A person with
// two roles counts under both, so the roles may add up to more than the
// total (as in the campaign's reach).
type Audience struct {
	Total  int         `json:"audience"`
	ByRole []RoleCount `json:"by_role"`
}

// RoleCount is how many people of an audience hold a role.
type RoleCount struct {
	Role   string `json:"role"`
	People int    `json:"people"`
}

// AudienceByRole counts a campaign's audience now, in total and by each
// of its roles (every role for a campaign to any role; roles nobody
// holds are left out). It reads in one transaction, so the parts agree.
func (s *Service) AudienceByRole(ctx context.Context, p access.Principal, id string) (Audience, error) {
	if err := p.Can(access.ReadData); err != nil {
		return Audience{}, err
	}
	return txn.Get(ctx, s.Store, func(tx Tx) (Audience, error) {
		c, err := tx.GetMessageCampaign(ctx, p.TenantID, id)
		if err != nil {
			return Audience{}, err
		}
		all, err := tx.Audience(ctx, p.TenantID, c.SegmentID, c.Roles, maxAudience+1)
		if err != nil {
			return Audience{}, err
		}
		a := Audience{Total: len(all)}
		for _, role := range campaignRoles(c) {
			people, err := tx.Audience(ctx, p.TenantID, c.SegmentID, []string{role}, maxAudience+1)
			if err != nil {
				return Audience{}, err
			}
			if len(people) > 0 {
				a.ByRole = append(a.ByRole, RoleCount{Role: role, People: len(people)})
			}
		}
		return a, nil
	})
}

// campaignRoles are the roles a campaign names, or every role.
func campaignRoles(c Campaign) []string {
	if len(c.Roles) > 0 {
		return c.Roles
	}
	roles := make([]string, len(party.Roles))
	for i, r := range party.Roles {
		roles[i] = string(r)
	}
	return roles
}
