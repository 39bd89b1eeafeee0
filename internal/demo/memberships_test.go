package demo

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
)

// TestDemoMembership: the demo dealer R-3001 holds an active Atlas Pro
// membership, and its quote shows the plan's discount.
func TestDemoMembership(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		ms, err := a.Memberships.Of(ctx, p, "ext:R-3001")
		if err != nil || len(ms) != 1 || !ms[0].Active || ms[0].Plan.Code != "pro" {
			t.Fatalf("R-3001 memberships %+v, %v; want an active Atlas Pro", ms, err)
		}
		if be := ms[0].Plan.BreakEven(); be != 2_000_000 {
			t.Errorf("Atlas Pro break-even %d, want 20,000.00 (600.00 / 3%%)", be)
		}
	})
}
