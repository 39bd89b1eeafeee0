package app

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// The HTTP load benchmarks drive a real server on loopback with 32
// concurrent keep-alive clients: single events (POST /v1/events, durable,
// one per request) and checkout quotes. The client runs in the same
// process, so it shares the two cores with the server; figures are in
// docs/PERFORMANCE.md.

const benchClients = 32

// benchServer starts a server over a fresh database (SQLite, or the engine
// of $LOYAL_BENCH_ENGINE) with a dealer program of 10 rules and n dealers,
// and returns its URL and an API key.
func benchServer(b *testing.B, n int) (string, string) {
	_, url, key := benchApp(b, n)
	return url, key
}

// benchApp is benchServer that also returns the app.
func benchApp(b *testing.B, n int) (*App, string, string) {
	return benchAppOn(b, benchEngine(), n)
}

// benchAppOn is benchApp over a fresh database of the engine.
func benchAppOn(b *testing.B, engine store.Engine, n int) (*App, string, string) {
	b.Helper()
	ctx := context.Background()
	db := storetest.Open(b, engine)
	a := New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
	tn, err := a.Tenants.CreateTenant(ctx, "bench", "Bench")
	must(b, err)
	p := access.System(tn.ID)
	prog, err := a.Programs.Create(ctx, p, program.Input{Name: "Dealers"})
	must(b, err)
	pt, err := a.Ledger.CreatePointType(ctx, p, prog.ID, ledger.PointTypeInput{Code: "points", Name: "P", Unit: "points", Currency: "EUR",
		ValueNum: 100, ValueDen: 1, Expiry: "never"})
	must(b, err)
	def, err := json.Marshal(benchDefinition(pt.ID))
	must(b, err)
	_, err = a.Programs.AddVersion(ctx, p, prog.ID, program.VersionInput{Definition: def})
	must(b, err)
	_, err = a.Programs.SetStatus(ctx, p, prog.ID, program.StatusInput{Status: program.Active})
	must(b, err)
	for i := range n {
		_, err := a.Party.CreateOrganization(ctx, p, party.OrgInput{Type: party.Dealer, Name: fmt.Sprintf("D%d", i), ExternalID: fmt.Sprintf("D-%d", i), Region: "North"})
		must(b, err)
	}
	_, key, err := a.Tenants.CreateKey(ctx, p, tenant.KeyInput{Name: "bench", Scope: access.ScopeWrite})
	must(b, err)
	srv := httptest.NewServer(a.Handler("bench"))
	b.Cleanup(srv.Close)
	return a, srv.URL, key
}

// benchDefinition is a dealer program of 10 rules with tiers and a stamp card.
func benchDefinition(pointTypeID string) map[string]any {
	earn := func(id, cond string, eff map[string]any) map[string]any {
		return map[string]any{"id": id, "condition": cond, "effects": []map[string]any{eff}}
	}
	per := map[string]any{"points": 1, "per": 100}
	return map[string]any{"currency": "EUR", "point_type_id": pointTypeID,
		"rules": []map[string]any{
			earn("base", "", map[string]any{"type": "earn", "per_amount": per}),
			earn("tools", `event.lines.exists(l, l.category == "tools")`, map[string]any{"type": "earn", "lines": `line.category == "tools"`, "per_amount": per}),
			earn("big", "event.amount >= 100000", map[string]any{"type": "earn", "fixed": 50}),
			earn("north", `org.region == "North"`, map[string]any{"type": "earn", "percent_bp": 50}),
			earn("dealer", `org.type == "dealer"`, map[string]any{"type": "earn", "per_unit": 1}),
			earn("weekend", "now.getDayOfWeek() == 6", map[string]any{"type": "earn", "fixed": 10}),
			earn("brand", `event.lines.exists(l, l.brand == "acme")`, map[string]any{"type": "earn", "lines": `line.brand == "acme"`, "points": "line.qty * 2"}),
			earn("loyal", "org.orders_lifetime > 10", map[string]any{"type": "earn", "fixed": 5}),
			earn("double", `"promo" in event.attributes && event.attributes["promo"] == "x2"`, map[string]any{"type": "multiply", "factor_bp": 20000}),
			{"id": "capped", "condition": "event.quantity > 5", "effects": []map[string]any{{"type": "earn", "fixed": 20}},
				"caps": []map[string]any{{"per": "organization", "period": "month", "points": 200}}},
		},
		"tiers": map[string]any{"metric": "spend", "window": "calendar_year", "review": "year", "levels": []map[string]any{
			{"code": "base", "name": "Base", "threshold": 0},
			{"code": "silver", "name": "Silver", "threshold": 500000, "earn_multiplier_bp": 15000},
			{"code": "gold", "name": "Gold", "threshold": 2000000, "earn_multiplier_bp": 20000}}},
		"stamps": map[string]any{"lines": `line.category == "tools"`, "per_unit": true, "needed": 10,
			"reward": map[string]any{"type": "coupon", "reward_id": "free-tool", "name": "Free tool"}},
	}
}

var benchLines = []map[string]any{
	{"sku": "T-1", "category": "tools", "brand": "acme", "qty": 2, "unit_price": 4500},
	{"sku": "B-7", "category": "bricks", "brand": "clay", "qty": 40, "unit_price": 385},
	{"sku": "C-2", "category": "cement", "brand": "grey", "qty": 5, "unit_price": 690},
}

// load sends total requests from benchClients goroutines and reports
// requests/s and latency percentiles.
func load(b *testing.B, total int, req func(i int) *http.Request) {
	b.Helper()
	st := drive(b, total, req, benchClients)
	b.ReportMetric(st.rate, "req/s")
	b.ReportMetric(st.p50, "p50-ms")
	b.ReportMetric(st.p99, "p99-ms")
}

// loadStats is what a load run measured: requests/s and latency
// percentiles in milliseconds.
// cpu is the process's CPU time per request in microseconds (server,
// clients and anything else running, such as the relay): unlike the rate,
// it hardly changes with the machine's load.
type loadStats struct{ rate, p50, p99, cpu float64 }

// cpuTime is the CPU time the process has used so far.
func cpuTime() time.Duration {
	var u syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &u)
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// drive sends total requests from clients goroutines and measures.
func drive(b *testing.B, total int, req func(i int) *http.Request, clients int) loadStats {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 10 * time.Second}
	lat := make([]time.Duration, total)
	var next, failed atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start, cpu0 := time.Now(), cpuTime()
	for range clients {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= total {
					return
				}
				t0 := time.Now()
				resp, err := client.Do(req(i))
				lat[i] = time.Since(t0)
				if err != nil || resp.StatusCode/100 != 2 {
					if failed.Add(1) == 1 {
						firstErr.Store(describe(resp, err))
					}
				}
				if resp != nil {
					io.Copy(io.Discard, resp.Body) // drained, so the connection is reused
					resp.Body.Close()
				}
			}
		})
	}
	wg.Wait()
	elapsed, cpu := time.Since(start), cpuTime()-cpu0
	if n := failed.Load(); n > 0 {
		b.Fatalf("%d of %d requests failed; the first: %v", n, total, firstErr.Load())
	}
	slices.Sort(lat)
	return loadStats{rate: float64(total) / elapsed.Seconds(), p50: float64(lat[total/2].Microseconds()) / 1000,
		p99: float64(lat[total*99/100].Microseconds()) / 1000, cpu: float64(cpu.Microseconds()) / float64(total)}
}

func post(b *testing.B, url, key string, body any) *http.Request {
	raw, err := json.Marshal(body)
	must(b, err)
	r, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
	must(b, err)
	r.Header.Set("Authorization", "Bearer "+key)
	r.Header.Set("Content-Type", "application/json")
	return r
}

// BenchmarkHTTPEvents: single-event POST /v1/events, 32 clients, SQLite.
// Each b.N iteration is a run of 20,000 requests.
func BenchmarkHTTPEvents(b *testing.B) {
	url, key := benchServer(b, 1000)
	at := time.Now().UTC().Add(-time.Hour).Format(time.RFC3339)
	run := 0
	for b.Loop() {
		run++
		load(b, 20000, func(i int) *http.Request {
			return post(b, url+"/v1/events", key, map[string]any{"type": "invoice", "source": "bench", "external_id": fmt.Sprintf("r%d-%d", run, i),
				"occurred_at": at, "organization": fmt.Sprintf("ext:D-%d", i%1000), "currency": "EUR", "lines": benchLines})
		})
	}
}

// BenchmarkHTTPQuote: POST /v1/quote, 32 clients, SQLite.
func BenchmarkHTTPQuote(b *testing.B) {
	url, key := benchServer(b, 1000)
	for b.Loop() {
		load(b, 20000, func(i int) *http.Request {
			return post(b, url+"/v1/quote", key, map[string]any{"organization": fmt.Sprintf("ext:D-%d", i%1000), "currency": "EUR", "lines": benchLines})
		})
	}
}

// describe says what went wrong with a request.
func describe(resp *http.Response, err error) string {
	if err != nil {
		return err.Error()
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 500))
	return fmt.Sprintf("%d %s", resp.StatusCode, body)
}
