package events

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
)

// What people's paid memberships and segments are, read through the
// sources the app wires (Service.Plans, Service.Segments), once per
// organization in a row of events.

// segments reads an organization's segment codes once per organization
// in a row of events.
func (pp *people) segments(ctx context.Context, orgID string) ([]string, error) {
	if pp.s.Segments == nil {
		return nil, nil
	}
	if pp.lastSegs.org == orgID && pp.lastSegs.org != "" {
		return pp.lastSegs.segs, nil
	}
	ss, err := pp.s.Segments.SegmentsOf(ctx, pp.tx, pp.p.TenantID, orgID)
	if err != nil {
		return nil, err
	}
	pp.lastSegs.org, pp.lastSegs.segs = orgID, ss
	return ss, nil
}

// plans reads an organization's active memberships once per event time.
func (pp *people) plans(ctx context.Context, orgID string, at time.Time) ([]engine.Plan, error) {
	if pp.s.Plans == nil {
		return nil, nil
	}
	if pp.lastPlans.org == orgID && pp.lastPlans.at.Equal(at) {
		return pp.lastPlans.plans, nil
	}
	ps, err := pp.s.Plans.ActivePlans(ctx, pp.tx, pp.p.TenantID, orgID, at)
	if err != nil {
		return nil, err
	}
	pp.lastPlans.org, pp.lastPlans.at, pp.lastPlans.plans = orgID, at, ps
	return ps, nil
}
