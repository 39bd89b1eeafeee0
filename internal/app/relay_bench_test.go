package app

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/store"
)

// receiver counts webhook requests.
func receiver(b *testing.B) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { n.Add(1) }))
	b.Cleanup(srv.Close)
	return srv, &n
}

// subscribe points a webhook of the bench tenant at url.
func subscribe(b *testing.B, a *App, url string) access.Principal {
	a.Notify.AllowPrivate, a.Notify.HTTP = true, safedial.Client(10*time.Second, true)
	ts, err := a.Tenants.ListTenants(context.Background())
	must(b, err)
	p := access.System(ts[0].ID)
	_, _, err = a.Notify.CreateWebhook(context.Background(), p, notify.WebhookInput{URL: &url, Types: &[]string{"*"}})
	must(b, err)
	return p
}

// BenchmarkRelayWebhooks: the relay delivers 10,000 webhook events (each
// published as one delivery row for the one subscription, then signed,
// POSTed to a local receiver and logged) from SQLite; deliveries/s counts
// the receiver's requests.
func BenchmarkRelayWebhooks(b *testing.B) {
	a, _, _ := benchApp(b, 1)
	srv, got := receiver(b)
	p := subscribe(b, a, srv.URL)
	a.Relay.Batch, a.Relay.Workers = benchBatch, benchWorkers
	const total = 10000
	for b.Loop() {
		got.Store(0)
		for i := 0; i < total; i += 1000 {
			err := a.DB.Write(context.Background(), func(tx *store.Tx) error {
				for j := range 1000 {
					if err := a.Notify.Publish(context.Background(), tx, p.TenantID, notify.PointsEarned, map[string]int{"n": i + j}); err != nil {
						return err
					}
				}
				return nil
			})
			must(b, err)
		}
		start := time.Now()
		for got.Load() < total {
			if _, err := a.Relay.RunOnce(context.Background()); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(total)/time.Since(start).Seconds(), "deliveries/s")
	}
}

var benchBatch, benchWorkers = 100, 16

// BenchmarkHTTPEventsRelay: BenchmarkHTTPEvents (5,000 requests) with a
// webhook subscribed to every event, with the relay delivering at the same
// time ("on") or not ("off"), to compare ingestion throughput.
func BenchmarkHTTPEventsRelay(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("relay=%v", on), func(b *testing.B) {
			a, url, key := benchApp(b, 1000)
			srv, _ := receiver(b)
			subscribe(b, a, srv.URL)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if on {
				go a.RunRelay(ctx, 100*time.Millisecond)
			}
			at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
			run := 0
			for b.Loop() {
				run++
				load(b, 5000, func(i int) *http.Request {
					return post(b, url+"/v1/events", key, map[string]any{"type": "invoice", "source": "bench", "external_id": fmt.Sprintf("r%d-%d", run, i),
						"occurred_at": at, "organization": fmt.Sprintf("ext:D-%d", i%1000), "currency": "EUR", "lines": benchLines})
				})
			}
		})
	}
}
