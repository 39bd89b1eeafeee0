package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/loadgen"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// The HTTP load benchmarks drive a real server on loopback with the load
// benchmark's scenarios (loadbench.go): single events (POST /v1/events,
// durable, one per request), checkout quotes and earns. The clients run
// in the same process, so they share the machine's cores with the server;
// figures are in docs/PERFORMANCE.md.

// benchRun is a benchmark's server: the app, its URL and the load
// benchmark's tenant.
type benchRun struct {
	app  *App
	url  string
	load LoadBench
}

// benchApp starts a server over a fresh database of the engine of
// $LOYAL_BENCH_ENGINE (SQLite by default) with the load benchmark's
// tenant of n dealers (loadbench.go).
func benchApp(b *testing.B, n int) benchRun {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, benchEngine())
	a := New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
	l, err := a.SetUpLoadBench(ctx, "bench", n)
	must(b, err)
	srv := httptest.NewServer(a.Handler("bench"))
	b.Cleanup(srv.Close)
	return benchRun{app: a, url: srv.URL, load: l}
}

// scenario is the load benchmark's scenario of that name.
func (r benchRun) scenario(b *testing.B, name string) LoadScenario {
	for _, sc := range r.load.Scenarios() {
		if sc.Name == name {
			return sc
		}
	}
	b.Fatalf("no load scenario %q", name)
	return LoadScenario{}
}

// drive sends total requests of run n of the scenario from its clients
// and reports requests/s and latency percentiles.
func (r benchRun) drive(b *testing.B, name string, run, total int) loadgen.Stats {
	b.Helper()
	sc := r.scenario(b, name)
	st, err := loadgen.Run(context.Background(), total, sc.Clients, func(i int) (*http.Request, error) { return sc.Request(r.url, run, i) })
	must(b, err)
	b.ReportMetric(st.Rate, "req/s")
	b.ReportMetric(loadgen.Millis(st.P50), "p50-ms")
	b.ReportMetric(loadgen.Millis(st.P99), "p99-ms")
	return st
}

// BenchmarkHTTPEvents: single-event POST /v1/events, 32 clients. Each
// b.N iteration is a run of 20,000 requests.
func BenchmarkHTTPEvents(b *testing.B) {
	r := benchApp(b, 1000)
	run := 0
	for b.Loop() {
		run++
		r.drive(b, "events", run, 20000)
	}
}

// BenchmarkHTTPQuote: POST /v1/quote, 32 clients.
func BenchmarkHTTPQuote(b *testing.B) {
	r := benchApp(b, 1000)
	for b.Loop() {
		r.drive(b, "quote", 0, 20000)
	}
}
