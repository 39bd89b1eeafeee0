package app

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The retention job erases members with no change and no event for the
// retention period, and only them.
func TestRetentionErasesInactiveMembers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		clk := clock.NewFake(time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC))
		a := New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
		p, _, owner := dealerWithPoints(t, a, "retention", 0)
		member := func(name, ext string) party.Member {
			m, err := a.Party.CreateMember(ctx, p, party.MemberInput{OrganizationID: owner.ID, Name: name, Roles: []party.Role{"sales"}, ExternalID: ext})
			must(t, err)
			return m
		}
		idle, busy := member("Idle Person", "P-1"), member("Busy Person", "P-2")
		clk.Advance(400 * 24 * time.Hour)
		_, err := a.Events.IngestOne(ctx, p, events.Input{Type: "invoice", Source: "erp", ExternalID: "INV-1", OccurredAt: clk.Now(),
			Organization: owner.ID, Member: "ext:P-2", Currency: "EUR", Lines: []events.LineInput{{SKU: "A", Qty: 1, UnitPrice: 100}}}, false)
		must(t, err)
		a.runJobsOnce(ctx) // retention off: nobody erased
		a.EraseInactive = 365 * 24 * time.Hour
		a.runJobsOnce(ctx)
		for _, c := range []struct {
			m      party.Member
			erased bool
		}{{idle, true}, {busy, false}} {
			got, err := a.Party.GetMember(ctx, p, c.m.ID)
			must(t, err)
			if strings.HasPrefix(got.Name, "erased-") != c.erased {
				t.Errorf("%s: now %q; erased should be %v", c.m.Name, got.Name, c.erased)
			}
		}
	})
}
