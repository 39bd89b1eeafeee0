package demo

import (
	"context"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/reward"
)

// The demo catalog has training seats, warranties, consulting hours, a
// voucher and a donation, and one employee redemption waiting for the
// organization's management, paid at the foreman's price.
func TestDemoRewards(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		items, err := a.Rewards.List(ctx, p, reward.ItemFilter{}, page.Request{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		kinds := map[string]int{}
		for _, it := range items.Items {
			kinds[it.Kind+"/"+it.Subkind]++
		}
		for _, k := range []string{"service/training_seat", "service/extended_warranty", "service/consulting_hours", "voucher/", "donation/"} {
			if kinds[k] == 0 {
				t.Errorf("no %s in the demo catalog: %v", k, kinds)
			}
		}
		waiting, err := a.Rewards.ListRedemptions(ctx, p, reward.RedemptionFilter{Status: reward.AwaitingManagement}, page.Request{Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		if len(waiting.Items) != 1 || waiting.Items[0].MemberID == "" || waiting.Items[0].PriceBasis != "role:foreman" {
			t.Fatalf("waiting for management: %+v", waiting.Items)
		}
	})
}
