package notify_test

import (
	"context"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Deliveries that could not finish before the batch's lease runs out are
// not started: their rows go back to the queue at once, with no attempt
// used, and the next batch delivers them (each message once).
func TestSlowBatchGivesBackWhatItCannotFinish(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		clk := clock.NewFake(t0)
		var c tally
		inner := c.handler()
		slow := notify.HandlerFunc(func(ctx context.Context, it notify.Item) ([]notify.Row, error) {
			clk.Advance(30 * time.Second) // each delivery takes half a minute
			return inner.Deliver(ctx, it)
		})
		r := newRelay(db, clk, slow)
		r.Workers, r.Timeout = 1, 20*time.Second // last start: 40 s into a one-minute lease
		queue(t, db, "t1", 5)
		if n, err := r.RunOnce(context.Background()); n != 5 || err != nil {
			t.Fatal(n, err)
		}
		if len(c.seen) != 2 {
			t.Fatalf("%d delivered in the first batch, want the 2 that could finish within the lease", len(c.seen))
		}
		if s := stats(t, db); s.Queued != 3 || s.Dead != 0 {
			t.Fatalf("after the first batch: %+v, want 3 given back", s)
		}
		drain(t, r)
		if len(c.seen) != 5 {
			t.Fatalf("%d messages delivered in all, want 5", len(c.seen))
		}
		for id, n := range c.seen {
			if n != 1 {
				t.Fatalf("%s delivered %d times", id, n)
			}
		}
	})
}
