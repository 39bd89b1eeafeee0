package app

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/loadgen"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/store"
)

// receiver counts the events webhook requests carry.
func receiver(b *testing.B) (*httptest.Server, *atomic.Int64) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(notify.HeaderEventType) != notify.BatchType {
			n.Add(1)
			return
		}
		var batch notify.Batch
		if json.NewDecoder(r.Body).Decode(&batch) == nil {
			n.Add(int64(len(batch.Events)))
		}
	}))
	b.Cleanup(srv.Close)
	return srv, &n
}

// subscribe points a webhook of the bench tenant at url, taking up to
// batch events per request.
func subscribe(b *testing.B, a *App, url string, batch int) access.Principal {
	a.Notify.AllowPrivate, a.Notify.HTTP = true, safedial.Client(10*time.Second, true)
	ts, err := a.Tenants.ListTenants(context.Background())
	must(b, err)
	p := access.System(ts[0].ID)
	_, _, err = a.Notify.CreateWebhook(context.Background(), p, notify.WebhookInput{URL: &url, Types: &[]string{"*"}, BatchSize: &batch})
	must(b, err)
	return p
}

// BenchmarkRelayWebhooks: the relay delivers 10,000 webhook events (each
// published as one delivery row for the one subscription, then signed,
// POSTed to a local receiver and logged) from SQLite; deliveries/s counts
// the receiver's requests.
func BenchmarkRelayWebhooks(b *testing.B) {
	a := benchApp(b, 1).app
	srv, got := receiver(b)
	p := subscribe(b, a, srv.URL, 1)
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

// BenchmarkHTTPEventsRelay: BenchmarkHTTPEvents (10,000 requests) with a
// webhook subscribed to every event type (two deliveries per event): with
// the relay off, with it delivering each event in its own request, and
// with it delivering batches of up to 100 events per request — one right
// after the other in each iteration (so that all three see the same load
// on a shared machine), each on a fresh database. It reports the rates,
// the ratios to "off", the process's CPU time per request, and the share
// of the deliveries the receiver had when the last request was answered.
func BenchmarkHTTPEventsRelay(b *testing.B) {
	const total = 10000
	for b.Loop() {
		off, _ := eventsWithRelay(b, total, 0)
		one, got1 := eventsWithRelay(b, total, 1)
		many, got100 := eventsWithRelay(b, total, 100)
		b.ReportMetric(off.Rate, "off-req/s")
		b.ReportMetric(one.Rate/off.Rate, "single/off")
		b.ReportMetric(many.Rate/off.Rate, "batch/off")
		b.ReportMetric(loadgen.Micros(off.CPU), "off-cpu-µs/req")
		b.ReportMetric(loadgen.Micros(one.CPU), "single-cpu-µs/req")
		b.ReportMetric(loadgen.Micros(many.CPU), "batch-cpu-µs/req")
		b.ReportMetric(100*float64(got1)/float64(2*total), "single-delivered-%")
		b.ReportMetric(100*float64(got100)/float64(2*total), "batch-delivered-%")
	}
}

// eventsWithRelay sends total single events to a fresh server whose
// tenant has a webhook for every event type taking batch events per
// request, with the relay running (batch > 0) or not, and returns the
// load's figures and the events the receiver got.
func eventsWithRelay(b *testing.B, total, batch int) (loadgen.Stats, int64) {
	r := benchApp(b, 1000)
	srv, got := receiver(b)
	subscribe(b, r.app, srv.URL, max(batch, 1))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if batch > 0 {
		go r.app.RunRelay(ctx, 100*time.Millisecond)
	}
	sc := r.scenario(b, "events")
	st, err := loadgen.Run(context.Background(), total, sc.Clients, func(i int) (*http.Request, error) { return sc.Request(r.url, 0, i) })
	must(b, err)
	return st, got.Load()
}
