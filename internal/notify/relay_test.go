package notify_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

var t0 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// queue puts n rows of kind "test" in a tenant's outbox.
func queue(t testing.TB, db *store.DB, tenantID string, n int) {
	t.Helper()
	rows := make([]notify.Row, n)
	for i := range rows {
		rows[i] = notify.Row{ID: fmt.Sprintf("m%05d", i), Kind: "test", Payload: map[string]int{"n": i}, CreatedAt: t0}
	}
	err := store.Bind[notify.OutboxTx](db).Write(context.Background(), func(tx notify.OutboxTx) error {
		return tx.QueueRows(context.Background(), tenantID, rows)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// tally counts deliveries per message id.
type tally struct {
	mu   sync.Mutex
	seen map[string]int
}

func (c *tally) handler() notify.Handler {
	return notify.HandlerFunc(func(_ context.Context, it notify.Item) ([]notify.Row, error) {
		c.mu.Lock()
		defer c.mu.Unlock()
		if c.seen == nil {
			c.seen = map[string]int{}
		}
		c.seen[it.ID]++
		return nil, nil
	})
}

func newRelay(db *store.DB, clk clock.Clock, h notify.Handler) *notify.Relay {
	return &notify.Relay{Store: store.Bind[notify.OutboxTx](db), Clock: clk, Handlers: map[string]notify.Handler{"test": h},
		Batch: 7, Lease: time.Minute, Backoff: notify.Backoff{Base: time.Second, Max: 8 * time.Second}, MaxAttempts: 3}
}

func stats(t testing.TB, db *store.DB) notify.Stats {
	t.Helper()
	var s notify.Stats
	err := store.Bind[notify.OutboxTx](db).Read(context.Background(), func(tx notify.OutboxTx) error {
		var err error
		s, err = tx.OutboxStats(context.Background())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// drain runs the relay until it finds nothing due.
func drain(t testing.TB, r *notify.Relay) {
	t.Helper()
	for {
		n, err := r.RunOnce(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
}

func TestConcurrentRelaysDeliverEachRowOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		queue(t, db, "t1", 300)
		var c tally
		clk := clock.NewFake(t0)
		var wg sync.WaitGroup
		errc := make(chan error, 20)
		for range 20 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := newRelay(db, clk, c.handler())
				for {
					n, err := r.RunOnce(context.Background())
					if err != nil {
						errc <- err
						return
					}
					if n == 0 {
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatal(err)
		}
		if len(c.seen) != 300 {
			t.Fatalf("%d distinct messages delivered, want 300", len(c.seen))
		}
		for id, n := range c.seen {
			if n != 1 {
				t.Fatalf("%s delivered %d times", id, n)
			}
		}
		if s := stats(t, db); s.Queued != 0 || s.Dead != 0 {
			t.Fatalf("stats after: %+v", s)
		}
	})
}

// A relay that stops dead mid-batch (as on SIGKILL: it never records what
// it delivered) loses nothing: once its lease runs out another relay
// delivers the whole batch again, each copy with the same message id.
func TestCrashMidBatchLosesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		queue(t, db, "t1", 20)
		clk := clock.NewFake(t0)
		var c tally
		frozen, release := make(chan struct{}), make(chan struct{})
		var once sync.Once
		count := 0
		var mu sync.Mutex
		dying := notify.HandlerFunc(func(ctx context.Context, it notify.Item) ([]notify.Row, error) {
			mu.Lock()
			count++
			n := count
			mu.Unlock()
			if n > 3 { // the process "dies" after three deliveries
				once.Do(func() { close(frozen) })
				<-release
				return nil, errors.New("killed")
			}
			return c.handler().Deliver(ctx, it)
		})
		a := newRelay(db, clk, dying)
		a.Workers = 1
		done := make(chan struct{})
		go func() { defer close(done); _, _ = a.RunOnce(context.Background()) }()
		<-frozen
		b := newRelay(db, clk, c.handler())
		if n, err := b.RunOnce(context.Background()); err != nil || n != 7 {
			t.Fatalf("while A holds its batch B took %d rows (%v), want the other 7", n, err)
		}
		clk.Advance(2 * time.Minute) // A's lease runs out
		drain(t, b)
		close(release) // the dead relay's late writes must change nothing
		<-done
		if len(c.seen) != 20 {
			t.Fatalf("%d of 20 delivered", len(c.seen))
		}
		dups := 0
		for _, n := range c.seen {
			dups += n - 1
		}
		if dups != 3 {
			t.Fatalf("%d duplicates, want the 3 A delivered before dying", dups)
		}
		if s := stats(t, db); s.Queued != 0 || s.Dead != 0 {
			t.Fatalf("stats after: %+v", s)
		}
	})
}

func TestRetryDeadLetterReplay(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		queue(t, db, "t1", 1)
		clk := clock.NewFake(t0)
		fails := true
		var c tally
		h := notify.HandlerFunc(func(ctx context.Context, it notify.Item) ([]notify.Row, error) {
			if fails {
				return nil, errors.New("receiver down")
			}
			return c.handler().Deliver(ctx, it)
		})
		var results []string
		r := newRelay(db, clk, h)
		r.OnResult = func(kind string, ok, dead bool) { results = append(results, fmt.Sprint(ok, dead)) }
		for i := range 3 {
			if n, _ := r.RunOnce(context.Background()); n != 1 {
				t.Fatalf("attempt %d: %d rows", i+1, n)
			}
			if n, _ := r.RunOnce(context.Background()); n != 0 {
				t.Fatal("a failed row was retried before its back-off")
			}
			clk.Advance(9 * time.Second) // longer than the biggest wait (8s)
		}
		if s := stats(t, db); s.Dead != 1 || s.Queued != 0 {
			t.Fatalf("after 3 failures: %+v", s)
		}
		ob := store.Bind[notify.OutboxTx](db)
		var dead []notify.Item
		_ = ob.Read(context.Background(), func(tx notify.OutboxTx) error {
			dead, _ = tx.DeadOutbox(context.Background(), "t1", page.Request{Limit: 10})
			return nil
		})
		if len(dead) != 1 || dead[0].Attempts != 3 || dead[0].LastError != "receiver down" || dead[0].DeadAt == nil {
			t.Fatalf("dead letters: %+v", dead)
		}
		fails = false
		_ = ob.Write(context.Background(), func(tx notify.OutboxTx) error {
			ok, err := tx.ReplayOutbox(context.Background(), "t1", "m00000", clk.Now())
			if !ok || err != nil {
				t.Fatalf("replay: %v %v", ok, err)
			}
			return nil
		})
		drain(t, r)
		if c.seen["m00000"] != 1 || fmt.Sprint(results) != "[false false false false false true true false]" {
			t.Fatalf("after replay: %v, results %v", c.seen, results)
		}
	})
}

func TestBackoffGrowsWithJitter(t *testing.T) {
	b := notify.Backoff{Base: 10 * time.Second, Max: time.Minute}
	for attempts, want := range map[int]time.Duration{1: 10 * time.Second, 2: 20 * time.Second, 3: 40 * time.Second, 9: time.Minute} {
		for range 50 {
			if d := b.After(attempts); d < want/2 || d > want {
				t.Fatalf("After(%d) = %v, want in [%v, %v]", attempts, d, want/2, want)
			}
		}
	}
}

// A relay whose lease ran out while it delivered records nothing for its
// batch when it finally succeeds: another relay has delivered the rows
// meanwhile, and the batch's marks (one statement for many rows) apply
// only to rows still held.
func TestLateRelayMarksNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		queue(t, db, "t1", 7)
		clk := clock.NewFake(t0)
		var c tally
		b := newRelay(db, clk, c.handler())
		var once sync.Once
		slow := notify.HandlerFunc(func(ctx context.Context, it notify.Item) ([]notify.Row, error) {
			once.Do(func() {
				clk.Advance(2 * time.Minute) // A's lease runs out; B takes the batch and delivers it
				drain(t, b)
			})
			return c.handler().Deliver(ctx, it)
		})
		a := newRelay(db, clk, slow)
		a.Workers = 1
		var mu sync.Mutex
		var aOK int
		a.OnResult = func(_ string, ok, _ bool) {
			mu.Lock()
			defer mu.Unlock()
			if ok {
				aOK++
			}
		}
		if n, err := a.RunOnce(context.Background()); err != nil || n != 7 {
			t.Fatalf("A held %d (%v)", n, err)
		}
		if aOK != 0 {
			t.Fatalf("the late relay recorded %d deliveries as its own", aOK)
		}
		if s := stats(t, db); s.Queued != 0 || len(c.seen) != 7 {
			t.Fatalf("stats %+v, %d delivered", s, len(c.seen))
		}
	})
}
