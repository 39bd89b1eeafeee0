package goal_test

import (
	"testing"

	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager sets, reads, lists and cancels the goals of their
// own organizations only.
func TestAccountManagerReach(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx, goals := t.Context(), f.App.Goals
		in := goal.Input{Name: "Q1 orders", Metric: goal.Orders, Target: 5, StartsAt: f.Clock.Now(), EndsAt: f.Clock.Now().AddDate(0, 3, 0),
			Organization: f.VeraOrg.ID, Reward: goal.Reward{Text: "a day at the brickworks"}}
		_, err := goals.Create(ctx, f.Tom, in)
		reachtest.Refused(t, "a goal", err)
		in.Organization, in.Member = "", f.VeraMember.ID
		_, err = goals.Create(ctx, f.Tom, in)
		reachtest.Refused(t, "a member's goal", err)
		in.Organization, in.Member = f.TomOrg.ID, ""
		mine, err := goals.Create(ctx, f.Tom, in)
		if err != nil {
			t.Fatalf("a goal of his own organization: %v", err)
		}
		in.Organization = f.VeraOrg.ID
		theirs, err := goals.Create(ctx, f.Sys, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = goals.Get(ctx, f.Tom, theirs.ID)
		reachtest.Refused(t, "reading a goal", err)
		if _, err := goals.Get(ctx, f.Tom, mine.ID); err != nil {
			t.Errorf("reading his own goal: %v", err)
		}
		_, err = goals.List(ctx, f.Tom, goal.ListInput{}, page.Request{Limit: 10})
		reachtest.Refused(t, "listing every goal", err)
		_, err = goals.List(ctx, f.Tom, goal.ListInput{Organization: f.VeraOrg.ID}, page.Request{Limit: 10})
		reachtest.Refused(t, "listing goals", err)
		_, err = goals.List(ctx, f.Tom, goal.ListInput{Member: f.VeraMember.ID}, page.Request{Limit: 10})
		reachtest.Refused(t, "listing a member's goals", err)
		if pg, err := goals.List(ctx, f.Tom, goal.ListInput{Organization: f.TomOrg.ID}, page.Request{Limit: 10}); err != nil || len(pg.Items) != 1 {
			t.Errorf("his own organization's goals: %v %v", pg.Items, err)
		}
		_, err = goals.Cancel(ctx, f.Tom, theirs.ID)
		reachtest.Refused(t, "cancelling a goal", err)
		if g, _ := goals.Get(ctx, f.Sys, theirs.ID); g.Status != goal.Active {
			t.Errorf("a refused cancel changed the goal: %s", g.Status)
		}
	})
}
