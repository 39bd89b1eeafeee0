package analytics

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Group is one side of a pilot: its organizations' revenue in the range.
type Group struct {
	Organizations          int64 `json:"organizations"`
	Revenue                int64 `json:"revenue"`
	Orders                 int64 `json:"orders"`
	RevenuePerOrganization int64 `json:"revenue_per_organization" doc:"revenue / organizations, rounded half up"`
}

// Uplift compares a pilot with its control group.
type Uplift struct {
	ProgramID  string   `json:"program_id"`
	Pilot      Group    `json:"pilot"`
	Control    Group    `json:"control"`
	Difference int64    `json:"difference" doc:"pilot − control revenue per organization"`
	UpliftRate *float64 `json:"uplift_rate" doc:"difference / control revenue per organization, 4 decimals; null when the control's is 0"`
}

// Uplift reports a piloted program's pilot against its control group over
// q. Every organization of a group counts, buying or not.
func (s *Service) Uplift(ctx context.Context, p access.Principal, q Query) (Uplift, error) {
	if q.ProgramID == "" {
		return Uplift{}, errs.InvalidField("program", "required", "name the piloted program")
	}
	if err := s.prepare(ctx, p, &q); err != nil {
		return Uplift{}, err
	}
	pr, err := s.program(ctx, p, q.ProgramID)
	if err != nil {
		return Uplift{}, err
	}
	if len(pr.Pilot) == 0 || len(pr.Control) == 0 {
		return Uplift{}, errs.InvalidField("program", "no_pilot", "program %s has no pilot with a control group", pr.ID)
	}
	side := map[string]*Group{}
	r := Uplift{ProgramID: pr.ID, Pilot: Group{Organizations: int64(len(pr.Pilot))}, Control: Group{Organizations: int64(len(pr.Control))}}
	for _, id := range pr.Pilot {
		side[id] = &r.Pilot
	}
	for _, id := range pr.Control {
		side[id] = &r.Control
	}
	q.ProgramID = "" // the groups, enrolled or not
	orgs, err := s.totals(ctx, p.TenantID, q, func(id string) bool { return side[id] != nil })
	if err != nil {
		return r, err
	}
	var c checked
	for _, o := range orgs {
		g := side[o.OrganizationID]
		c.Add(&g.Revenue, o.Revenue)
		g.Orders += o.Orders
	}
	for _, g := range []*Group{&r.Pilot, &r.Control} {
		g.RevenuePerOrganization = divRound(g.Revenue, g.Organizations)
	}
	r.Difference = c.Diff(r.Pilot.RevenuePerOrganization, r.Control.RevenuePerOrganization)
	if err := c.err(); err != nil {
		return r, err
	}
	if c := r.Control.RevenuePerOrganization; c != 0 {
		u := round4(float64(r.Difference) / float64(c))
		r.UpliftRate = &u
	}
	return r, nil
}
