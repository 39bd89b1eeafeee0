package analytics_test

import (
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/app/reachtest"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// An account manager's per-organization reports cover their own
// organizations only.
func TestAccountManagerSeesOwnOrganizations(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := reachtest.New(t, db)
		ctx := t.Context()
		for i, org := range []string{f.TomOrg.ID, f.VeraOrg.ID} {
			_, err := f.App.Events.IngestOne(ctx, f.Sys, events.Input{Type: "invoice", Source: "erp", ExternalID: "INV-" + org, OccurredAt: f.Clock.Now(),
				Organization: org, Currency: "GBP", Lines: []events.LineInput{{SKU: "BRICK-1", Qty: int64(i + 1), UnitPrice: 1000}}}, false)
			if err != nil {
				t.Fatal(err)
			}
		}
		f.Clock.Advance(time.Minute)
		all, err := f.App.Analytics.Organizations(ctx, f.Sys, analytics.Query{}, false)
		if err != nil || len(all) != 2 {
			t.Fatalf("every organization: %d %v", len(all), err)
		}
		mine, err := f.App.Analytics.Organizations(ctx, f.Tom, analytics.Query{}, false)
		if err != nil || len(mine) != 1 || mine[0].OrganizationID != f.TomOrg.ID {
			t.Errorf("Tom's organizations: %+v %v", mine, err)
		}
		if s, err := f.App.Analytics.Sales(ctx, f.Tom, analytics.Query{}); err != nil || s.Revenue != 1000 {
			t.Errorf("Tom's sales: %+v %v", s, err)
		}
	})
}
