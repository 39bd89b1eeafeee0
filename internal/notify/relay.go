package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/ids"
)

// Relay delivers outbox rows: it leases a batch of due rows, hands each to
// the handler of its kind (several at once), and records the results in
// one transaction. Several relays, in one process or on several replicas,
// may run at once: a leased row is invisible to the others until its lease
// runs out.
type Relay struct {
	Store    OutboxStore
	Clock    clock.Clock
	Handlers map[string]Handler
	Log      *slog.Logger
	Backoff  Backoff
	// MaxAttempts is the number of tries before dead-letter (0: 12, about
	// two days with the default back-off).
	MaxAttempts int
	Batch       int           // rows leased at once; 0: 500
	Workers     int           // deliveries at once; 0: 16
	Lease       time.Duration // how long a batch is held; 0: 2 minutes
	Timeout     time.Duration // per delivery; 0: 30s
	Gather      time.Duration // pause after a partial batch; 0: 50ms (capped by the idle poll)
	// OnResult, if set, is told each outcome (for metrics).
	OnResult func(kind string, ok, dead bool)
	// Logs, if set, is called once per batch before its outcomes are
	// recorded; what it returns writes in the same transaction (the
	// webhooks' delivery log: Service.TakeLogs).
	Logs func() func(ctx context.Context, tx OutboxTx) error

	owner string
	once  sync.Once
}

type result struct {
	it     Item
	err    error
	follow []Row
}

// RunOnce delivers one batch and returns how many rows it held.
func (r *Relay) RunOnce(ctx context.Context) (int, error) {
	r.once.Do(func() { r.owner = ids.New() })
	now := r.Clock.Now()
	var items []Item
	lease := or(r.Lease, 2*time.Minute)
	until := now.Add(lease)
	err := r.Store.Write(ctx, func(tx OutboxTx) error {
		var err error
		items, err = tx.ClaimOutbox(ctx, r.owner, now, until, or(r.Batch, 500))
		return err
	})
	if err != nil || len(items) == 0 {
		return 0, err
	}
	// The last start leaves a delivery its timeout before the lease ends
	// (at most half the lease, so that a short lease still delivers).
	results := r.deliverAll(ctx, items, until.Add(-min(or(r.Timeout, 30*time.Second), lease/2)))
	// Recording does not stop with ctx: what was delivered should be
	// recorded, or it is sent again.
	return len(items), r.record(context.WithoutCancel(ctx), results)
}

// deliverAll runs the handlers, Workers at a time: each item alone, or
// with the others of its group (see Grouper). A delivery that could not
// finish before the lease runs out (start after last) is not started:
// its rows are given back, due at once and with no attempt used, rather
// than sent again by another relay while this one still holds them.
func (r *Relay) deliverAll(ctx context.Context, items []Item, last time.Time) []result {
	out := make([]result, len(items))
	sem := make(chan struct{}, or(r.Workers, 16))
	var wg sync.WaitGroup
	for _, t := range r.tasks(ctx, items) {
		sem <- struct{}{}
		if now := r.Clock.Now(); now.After(last) {
			for _, i := range t.items {
				out[i] = result{it: items[i], err: deferral{now}}
			}
			<-sem
			continue
		}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			r.run(ctx, items, t, out)
		}()
	}
	wg.Wait()
	return out
}

// run delivers one task (the indexes of its items) and fills in their
// results.
func (r *Relay) run(ctx context.Context, items []Item, t task, out []result) {
	if !t.group {
		out[t.items[0]] = r.deliver(ctx, items[t.items[0]])
		return
	}
	group := make([]Item, len(t.items))
	for j, i := range t.items {
		group[j] = items[i]
	}
	err := r.guard(ctx, func(ctx context.Context) (err error) {
		return r.Handlers[group[0].Kind].(Grouper).DeliverGroup(ctx, group)
	})
	for _, i := range t.items {
		out[i] = result{it: items[i], err: err}
	}
}

func (r *Relay) deliver(ctx context.Context, it Item) (res result) {
	res.it = it
	h, ok := r.Handlers[it.Kind]
	if !ok {
		res.err = fmt.Errorf("no handler for messages of kind %q on this server", it.Kind)
		return res
	}
	res.err = r.guard(ctx, func(ctx context.Context) (err error) {
		res.follow, err = h.Deliver(ctx, it)
		return err
	})
	return res
}

// guard runs a delivery under the per-delivery timeout and turns a panic
// into its error.
func (r *Relay) guard(ctx context.Context, f func(context.Context) error) (err error) {
	ctx, cancel := context.WithTimeout(ctx, or(r.Timeout, 30*time.Second))
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("handler panicked: %v", p)
		}
	}()
	return f(ctx)
}

// record writes a batch's outcomes in one transaction.
func (r *Relay) record(ctx context.Context, results []result) error {
	now := r.Clock.Now()
	logs := func(context.Context, OutboxTx) error { return nil }
	if r.Logs != nil {
		logs = r.Logs()
	}
	return r.Store.Write(ctx, func(tx OutboxTx) error {
		var plain []Key // delivered, nothing to queue after: marked together
		for _, res := range results {
			if res.err == nil && len(res.follow) == 0 {
				plain = append(plain, Key{res.it.TenantID, res.it.ID})
				continue
			}
			if err := r.recordOne(ctx, tx, res, now); err != nil {
				return err
			}
		}
		if err := r.markSent(ctx, tx, results, plain, now); err != nil {
			return err
		}
		return logs(ctx, tx)
	})
}

// markSent marks the plain deliveries of a batch in a few statements and
// tells the metrics which ones this relay still held.
func (r *Relay) markSent(ctx context.Context, tx OutboxTx, results []result, plain []Key, now time.Time) error {
	if len(plain) == 0 {
		return nil
	}
	marked, err := tx.MarkSentMany(ctx, r.owner, plain, now)
	if err != nil || r.OnResult == nil {
		return err
	}
	held := make(map[Key]bool, len(marked))
	for _, k := range marked {
		held[k] = true
	}
	for _, res := range results {
		if k := (Key{res.it.TenantID, res.it.ID}); res.err == nil && len(res.follow) == 0 {
			r.tell(res.it.Kind, held[k], false)
		}
	}
	return nil
}

func (r *Relay) recordOne(ctx context.Context, tx OutboxTx, res result, now time.Time) error {
	it := res.it
	if res.err == nil {
		ok, err := tx.MarkSent(ctx, r.owner, it.TenantID, it.ID, now)
		if err != nil || !ok || len(res.follow) == 0 {
			r.tell(it.Kind, ok, false)
			return err
		}
		r.tell(it.Kind, true, false)
		return tx.QueueRows(ctx, it.TenantID, res.follow)
	}
	f := Failure{TenantID: it.TenantID, ID: it.ID, Attempts: it.Attempts + 1, Error: clip(res.err.Error(), 500)}
	var d deferral
	if errors.As(res.err, &d) {
		f.Attempts, f.Due = it.Attempts, d.until
		r.tell(it.Kind, false, false)
		return tx.MarkFailed(ctx, r.owner, f, now)
	}
	f.Dead = IsPermanent(res.err) || f.Attempts >= or(r.MaxAttempts, 12)
	f.Due = now.Add(r.Backoff.After(f.Attempts))
	if f.Dead && r.Log != nil {
		r.Log.Warn("outbox message dead-lettered", "tenant", it.TenantID, "id", it.ID, "kind", it.Kind, "attempts", f.Attempts, "err", f.Error)
	}
	r.tell(it.Kind, false, f.Dead)
	return tx.MarkFailed(ctx, r.owner, f, now)
}

func (r *Relay) tell(kind string, ok, dead bool) {
	if r.OnResult != nil {
		r.OnResult(kind, ok, dead)
	}
}

// Run delivers until ctx ends, resting idle between empty polls.
func (r *Relay) Run(ctx context.Context, idle time.Duration) {
	for ctx.Err() == nil {
		n, err := r.RunOnce(ctx)
		if err != nil && ctx.Err() == nil && r.Log != nil {
			r.Log.Error("outbox relay", "err", err)
		}
		if wait := r.rest(n, err, idle); wait > 0 {
			select {
			case <-ctx.Done():
			case <-time.After(wait):
			}
		}
	}
}

// rest is how long to wait before the next poll: idle after an empty
// poll or an error, a short gathering pause after a partial batch (so
// that a steady trickle is delivered in batches of many rows instead of
// a transaction pair per row or two, which would take the single SQLite
// writer from ingestion), none after a full batch (a backlog).
func (r *Relay) rest(n int, err error, idle time.Duration) time.Duration {
	switch {
	case n == 0 || err != nil:
		return idle
	case n < or(r.Batch, 500):
		return min(idle, or(r.Gather, 50*time.Millisecond))
	}
	return 0
}

func or[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}
