package notify_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A webhook with a batch size gets the events due together in requests of
// at most that many, each signed, each event once; a failed request is
// retried for all its events, and they are delivered after the back-off.
func TestBatchingWebhookGetsEventsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		rcv.set(500)
		w, secret, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{notify.PointsEarned},
			BatchSize: ptr(10)})
		if err != nil || w.BatchSize != 10 {
			t.Fatal(err, w.BatchSize)
		}
		for i := range 25 {
			f.publish(t, notify.PointsEarned, map[string]int{"n": i})
		}
		drain(t, f.relay)
		if n := rcv.count(); n != 3 {
			t.Fatalf("%d requests for 25 events in batches of 10, want 3", n)
		}
		if s := stats(t, db); s.Queued != 25 {
			t.Fatalf("after a failed batch: %+v, want all 25 queued again", s)
		}
		rcv.set(200)
		f.clk.Advance(5 * time.Second)
		drain(t, f.relay)
		seen := map[int]int{}
		for i, body := range rcv.body[3:] {
			var b notify.Batch
			if err := json.Unmarshal(body, &b); err != nil || len(b.Events) > 10 {
				t.Fatalf("request %d: %s (%v)", i, body, err)
			}
			r := rcv.got[3+i]
			if r.Header.Get(notify.HeaderEventType) != notify.BatchType || !notify.Verify(secret, r.Header.Get(notify.HeaderSignature), body, f.clk.Now(), 5*time.Minute) {
				t.Fatalf("request %d: type %q, signature does not verify", i, r.Header.Get(notify.HeaderEventType))
			}
			for _, ev := range b.Events {
				var d struct{ N int }
				_ = json.Unmarshal(ev.Data, &d)
				seen[d.N]++
				if ev.Type != notify.PointsEarned || ev.ID == "" {
					t.Fatalf("event %+v", ev)
				}
			}
		}
		if len(seen) != 25 || rcv.count() != 6 {
			t.Fatalf("after the retry: %d requests, events %v", rcv.count(), seen)
		}
		for n, c := range seen {
			if c != 1 {
				t.Fatalf("event %d delivered %d times", n, c)
			}
		}
		log, _ := f.svc.Attempts(context.Background(), f.p, w.ID, page.Request{Limit: 10})
		if len(log.Items) != 6 || log.Items[0].EventType != notify.BatchType || log.Items[0].StatusCode != 200 {
			t.Fatalf("delivery log: one attempt per request, want 6: %+v", log.Items)
		}
		if s := stats(t, db); s.Queued != 0 {
			t.Fatalf("after delivery: %+v", s)
		}
	})
}

// A batch size out of range is refused and writes nothing; one changed to
// 1 sends each event alone again.
func TestBatchSizeChecked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f := newFixture(t, db)
		rcv := newReceiver(t)
		for _, bad := range []int{0, -1, notify.MaxBatch + 1} {
			_, _, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{"*"}, BatchSize: ptr(bad)})
			if !errs.Is(err, errs.Invalid) {
				t.Fatalf("batch size %d: %v", bad, err)
			}
		}
		if ws, _ := f.svc.Webhooks(context.Background(), f.p); len(ws) != 0 {
			t.Fatalf("refused webhooks were saved: %+v", ws)
		}
		w, _, err := f.svc.CreateWebhook(context.Background(), f.p, notify.WebhookInput{URL: ptr(rcv.srv.URL), Types: &[]string{"*"}, BatchSize: ptr(5)})
		if err != nil {
			t.Fatal(err)
		}
		if w, err = f.svc.UpdateWebhook(context.Background(), f.p, w.ID, notify.WebhookInput{BatchSize: ptr(1)}); err != nil || w.BatchSize != 1 {
			t.Fatal(err, w.BatchSize)
		}
		f.publish(t, notify.PointsEarned, map[string]int{"n": 1})
		f.publish(t, notify.PointsEarned, map[string]int{"n": 2})
		drain(t, f.relay)
		var env notify.Envelope
		if rcv.count() != 2 || json.Unmarshal(rcv.body[0], &env) != nil || env.Type != notify.PointsEarned {
			t.Fatalf("%d requests; first body %s", rcv.count(), rcv.body[0])
		}
	})
}
