package demo

import (
	"context"
	"fmt"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/reward"
)

func ptr[T any](v T) *T { return &v }

// rewardSeeds is Atlas's catalog, priced in club points (a penny each):
// mostly services a builders' merchant can give cheaply, a voucher and a
// donation. Money values are Atlas's cost in pence.
var rewardSeeds = []reward.ItemInput{
	{Kind: reward.ServiceKind, Subkind: "training_seat", Name: "Waterproofing systems course — one seat",
		Description: "A day at the Leeds training centre with certification; foremen at a reduced price.",
		Price:       4000, RolePrices: map[string]int64{"foreman": 250}, Stock: ptr[int64](12), MoneyValue: 9500, NeedsManagement: true,
		MemberLimit: &reward.ItemLimit{Count: 1, Period: "quarter"}},
	{Kind: reward.ServiceKind, Subkind: "extended_warranty", Name: "Mixer warranty +2 years",
		Description: "Extends the manufacturer's warranty on one site mixer bought from Atlas.",
		Price:       1500, TierPrices: map[string]int64{"gold": 1000, "silver": 1250}, MoneyValue: 4000},
	{Kind: reward.ServiceKind, Subkind: "extended_warranty", Name: "Power tools warranty +3 years",
		Description: "Covers one cordless tool kit bought this year.", Price: 2500, TierPrices: map[string]int64{"gold": 2000}, MoneyValue: 6500,
		Audience: reward.ItemAudience{OrgTypes: []string{"dealer", "installer"}}},
	{Kind: reward.ServiceKind, Subkind: "consulting_hours", Name: "Site consulting — 2 hours with an Atlas engineer",
		Description: "Thermal and moisture survey with a written report.", Price: 6000, MoneyValue: 18000,
		OrgLimit: &reward.ItemLimit{Count: 2, Period: "quarter"}},
	{Kind: reward.Voucher, Name: "£25 fuel voucher", Description: "A code for any Shell station in the UK.", Price: 2500, MoneyValue: 2500,
		MemberLimit: &reward.ItemLimit{Count: 1, Period: "month"}, Stock: ptr[int64](200)},
	{Kind: reward.Donation, Name: "Donate 500 points to Habitat for Humanity GB",
		Description: "Atlas gives £5 to the charity for every 500 points.", Price: 500, MoneyValue: 500},
}

// seedRewards fills the catalog, sets operator approval above £150, and
// has foreman Ivan Petrov of Brick & Beam ask for a training seat with his
// own points: it waits for his director George Barnes.
func seedRewards(ctx context.Context, a *app.App, p access.Principal, pointTypeID string, members map[string]party.Member) error {
	var seat reward.Item
	for i, in := range rewardSeeds {
		in.PointTypeID = pointTypeID
		it, err := a.Rewards.Create(ctx, p, in)
		if err != nil {
			return fmt.Errorf("reward %q: %w", in.Name, err)
		}
		if i == 0 {
			seat = it
		}
	}
	if _, err := a.Rewards.PutSettings(ctx, p, reward.Settings{ApprovalThreshold: ptr[int64](15000)}); err != nil {
		return err
	}
	_, err := a.Rewards.Redeem(ctx, p, reward.RedeemInput{ItemID: seat.ID, Organization: "ext:R-3001", Member: members["P-11"].ID, Quantity: 1})
	return err
}
