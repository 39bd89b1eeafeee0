package app

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A tier granted by hand, and the grant's end, reach tier.changed
// subscribers like the moves of events and reviews, with the direction.
func TestGrantedTierIsAnnounced(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		a := New(config.Config{WebhooksAllowPrivate: true}, slog.New(slog.DiscardHandler), clock.NewFake(time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)), db, nil)
		c := newTierClub(t, a)
		inbox, url := newHookInbox(t)
		types := []string{notify.TierChanged}
		_, _, err := a.Notify.CreateWebhook(ctx, c.p, notify.WebhookInput{URL: &url, Types: &types})
		must(t, err)
		_, err = a.Events.GrantTier(ctx, c.p, c.pr.ID, c.org.ID, events.TierGrant{Level: "silver", Reason: "strategic partner"})
		must(t, err)
		_, err = a.Events.EndTierGrant(ctx, c.p, c.pr.ID, c.org.ID)
		must(t, err)
		drainRelay(t, a)
		got := inbox.of(notify.TierChanged)
		if len(got) != 2 {
			t.Fatalf("tier.changed %d times, want 2: %v", len(got), got)
		}
		up := map[string]any{"organization_id": c.org.ID, "tier_from": "base", "tier_to": "silver", "direction": "up"}
		down := map[string]any{"organization_id": c.org.ID, "tier_from": "silver", "tier_to": "base", "direction": "down"}
		has := func(want map[string]any) bool { return matches(got[0], want) || matches(got[1], want) } // delivery order is not promised
		if !has(up) || !has(down) {
			t.Fatalf("tier.changed: %v", got)
		}
	})
}
