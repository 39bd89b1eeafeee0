package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
)

// earnSeeds are invoices of the last months, in points (1 point per £1).
var earnSeeds = []struct {
	org     string
	points  int64
	daysAgo int
}{
	{"D-1001", 18400, 95}, {"D-1002", 9650, 80}, {"R-3001", 4210, 70}, {"R-3001", 2890, 25}, {"R-3002", 1320, 60},
	{"R-3003", 3775, 40}, {"R-3005", 860, 15}, {"I-4001", 1540, 50}, {"I-4001", 720, 9}, {"I-4003", 2305, 33},
}

// seedPoints gives the dealer club its points — worth a penny each,
// expiring after 12 months, transferable from an organization to its
// employees — and a few months of earning, a redemption and a bonus passed
// on to a foreman.
func seedPoints(ctx context.Context, a *app.App, p access.Principal, programID string, orgs map[string]party.Organization, members map[string]party.Member) error {
	pt, err := a.Ledger.CreatePointType(ctx, p, programID, ledger.PointTypeInput{Code: "points", Name: "Club points", Unit: "points",
		Currency: "GBP", ValueNum: 1, ValueDen: 1, Expiry: "months:12", PendingDays: 14, Transfers: []string{ledger.OrgToMember},
		ApprovalAbove: 5000})
	if err != nil {
		return err
	}
	now := a.Clock.Now()
	for i, e := range earnSeeds {
		_, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: fmt.Sprintf("demo-invoice-%d", i+1), PointTypeID: pt.ID, Amount: e.points,
			Owner:       ledger.Owner{Type: ledger.OwnerOrganization, ID: orgs[e.org].ID},
			EffectiveAt: now.Add(-time.Duration(e.daysAgo) * 24 * time.Hour),
			Cause:       ledger.Cause{Reason: fmt.Sprintf("invoice INV-%05d", 41000+i), EventID: fmt.Sprintf("INV-%05d", 41000+i)}})
		if err != nil {
			return fmt.Errorf("earn for %s: %w", e.org, err)
		}
	}
	dealer := ledger.Owner{Type: ledger.OwnerOrganization, ID: orgs["R-3001"].ID}
	if _, err := a.Ledger.Spend(ctx, p, ledger.SpendInput{IdemKey: "demo-redemption-1", Owner: dealer, PointTypeID: pt.ID, Amount: 1500,
		Cause: ledger.Cause{Reason: "redeemed: extended warranty pack"}}); err != nil {
		return err
	}
	_, err = a.Ledger.Transfer(ctx, p, ledger.TransferInput{IdemKey: "demo-bonus-1", From: dealer, PointTypeID: pt.ID, Amount: 300,
		To: ledger.Owner{Type: ledger.OwnerMember, ID: members["P-11"].ID}, Reason: "bonus for the Leeds site job"})
	return err
}
