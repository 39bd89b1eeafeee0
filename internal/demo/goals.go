package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/party"
)

// birthSeeds are the birth dates of some members, by external id ("" for
// the month and day: today's, so that `loyal jobs run occasions` finds a
// birthday on the demo's first day).
var birthSeeds = []struct{ ext, year, monthDay string }{
	{"P-10", "1991", ""},
	{"P-1", "1968", "04-17"},
	{"P-6", "1979", "11-02"},
	{"P-12", "1986", "07-23"},
	{"P-20", "1982", "01-09"},
}

// seedGoals gives members birth dates, sets Brick & Beam a quarter's
// insulation goal (in progress: 21 of 40 units) and Hannah Moss a
// training goal, and sends the events that moved them.
func seedGoals(ctx context.Context, a *app.App, p access.Principal, pointTypeID string) error {
	now := a.Clock.Now()
	for _, b := range birthSeeds {
		md := b.monthDay
		if md == "" {
			md = now.Format("01-02")
		}
		bd := b.year + "-" + md
		if _, err := time.Parse(time.DateOnly, bd); err != nil {
			bd = b.year + "-02-28" // today is 29 February and the year is common
		}
		if _, err := a.Party.UpdateMember(ctx, p, party.ExternalRef+b.ext, party.MemberPatch{Birthday: &bd}); err != nil {
			return fmt.Errorf("birthday of %s: %w", b.ext, err)
		}
	}
	start, end := now.AddDate(0, 0, -30), now.AddDate(0, 0, 60)
	goals := []goal.Input{
		{Name: "Insulation push: 40 units this quarter", Organization: "ext:R-3001", Metric: goal.Quantity, Categories: []string{"insulation"},
			Target: 40, StartsAt: start, EndsAt: end, Reward: goal.Reward{PointTypeID: pointTypeID, Points: 2000, Text: "Free delivery on the next order"}},
		{Name: "Complete three product trainings", Member: "ext:P-10", Metric: goal.Trainings, Target: 3, StartsAt: start, EndsAt: end,
			Reward: goal.Reward{Text: "Certified installer badge and a place at the spring open day"}},
	}
	for _, in := range goals {
		if _, err := a.Goals.Create(ctx, p, in); err != nil {
			return fmt.Errorf("goal %q: %w", in.Name, err)
		}
	}
	_, err := a.Events.Ingest(ctx, p, goalEvents(now), false)
	return err
}

// goalEvents are the events of the goals' period so far.
func goalEvents(now time.Time) []events.Input {
	ins := func(qty int64) []events.LineInput {
		return []events.LineInput{{SKU: "INS-ROLL-100", Category: "insulation", Qty: qty, UnitPrice: 4200}}
	}
	return []events.Input{
		{Type: "invoice", Source: "erp", ExternalID: "INV-52200", OccurredAt: now.AddDate(0, 0, -12), Organization: "ext:R-3001", Currency: "GBP", Lines: ins(12)},
		{Type: "invoice", Source: "erp", ExternalID: "INV-52201", OccurredAt: now.AddDate(0, 0, -3), Organization: "ext:R-3001", Member: "ext:P-10", Currency: "GBP", Lines: ins(9)},
		{Type: "training", Source: "lms", ExternalID: "TRN-881", OccurredAt: now.AddDate(0, 0, -8), Organization: "ext:R-3001", Member: "ext:P-10",
			Attributes: map[string]string{"course": "Loft insulation basics"}},
	}
}
