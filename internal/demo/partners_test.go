package demo

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

func TestDemoPartnerSettles(t *testing.T) {
	eachDemo(t, func(t *testing.T, a *app.App, res Result, p access.Principal) {
		ctx := context.Background()
		pts, err := a.Partners.List(ctx, p, page.Request{Limit: 10})
		if err != nil || len(pts.Items) != 1 {
			t.Fatalf("partners %+v, %v", pts, err)
		}
		now := a.Clock.Now()
		st, err := a.Partners.Settlement(ctx, p, pts.Items[0].ID, now.AddDate(0, -3, 0).Format(time.DateOnly), now.Format(time.DateOnly))
		if err != nil {
			t.Fatal(err)
		}
		// Three hires earned club points for the dealer and the sales rep
		// (at least a point per pound of £826 hired); she paid with 150. The
		// partner owes £1.20 per 100 issued, rounded per month (3 months at most).
		tot := st.Total
		if tot.PointsIssued < 826 || tot.PointsRedeemed != 150 || tot.PartnerOwes < tot.PointsIssued*120/100-3 || tot.OperatorOwes != 143 {
			t.Errorf("settlement total %+v", st.Total)
		}
	})
}
