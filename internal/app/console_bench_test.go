package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// The console benchmarks run on the data `loyal bench analytics` generates
// (100,000 organizations in docs/PERFORMANCE.md):
//
//	loyal --database sqlite:/tmp/bench.db bench analytics --orgs 100000 --runs 1
//	LOYAL_BENCH_DB=/tmp/bench.db go test ./internal/app -run '^$' -bench Console -benchtime 300x
//
// Requests go through the whole server (session cookie, role checks,
// rendering) from one client; every dashboard request recomputes today's
// figures (the clock moves past their one-second freshness), and the
// month's refresh runs in the background as in production. They report
// the median and the 99th percentile.

// consoleBench opens the generated database and signs a staff user in.
func consoleBench(b *testing.B) (*http.Client, string, *clock.Fake, party.Organization) {
	b.Helper()
	path := os.Getenv("LOYAL_BENCH_DB")
	if path == "" {
		b.Skip("set LOYAL_BENCH_DB to a database made by `loyal bench analytics` (see the comment above)")
	}
	ctx := context.Background()
	db, err := store.Open(ctx, store.Options{DSN: "sqlite:" + path, ReadConns: 8})
	must(b, err)
	b.Cleanup(func() { _ = db.Close() })
	_, err = db.Migrate(ctx, time.Now)
	must(b, err)
	clk := clock.NewFake(time.Now().UTC())
	log := slog.New(slog.DiscardHandler)
	if os.Getenv("LOYAL_BENCH_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, nil))
	}
	a := New(config.Config{}, log, clk, db, nil)
	t, err := a.Tenants.TenantBySlug(ctx, "bench-analytics")
	must(b, err)
	p := access.System(t.ID)
	st, err := a.Tenants.StaffByEmail(ctx, p, "bench-console@example.com")
	if errs.Is(err, errs.NotFound) {
		st, err = a.Tenants.CreateStaff(ctx, p, tenant.StaffInput{Email: "bench-console@example.com", Name: "Bench", Role: tenant.RoleFinance})
	}
	must(b, err)
	must(b, a.Tenants.SetPassword(ctx, p, st.ID, "bench console password"))
	orgs, err := a.Party.ListOrganizations(ctx, p, party.OrgFilter{}, page.Request{After: "0", Limit: 1})
	must(b, err)
	srv := httptest.NewServer(a.Server("bench"))
	b.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	hc := &http.Client{Jar: jar}
	resp, err := hc.PostForm(srv.URL+"/admin/sign-in", url.Values{"workspace": {"bench-analytics"}, "email": {st.Email}, "password": {"bench console password"}})
	must(b, err)
	resp.Body.Close()
	if resp.Request.URL.Path != "/admin/" {
		b.Fatalf("sign-in ended at %s", resp.Request.URL)
	}
	return hc, srv.URL, clk, orgs.Items[0]
}

// timeGets requests each path in turn b.N times and reports the median
// and 99th percentile; before each request it calls tick.
func timeGets(b *testing.B, hc *http.Client, paths []string, tick func()) {
	b.Helper()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		tick()
		start := time.Now()
		resp, err := hc.Get(paths[i%len(paths)])
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			b.Fatalf("%s: %d", paths[i%len(paths)], resp.StatusCode)
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(0, "ns/op")
}

func BenchmarkConsoleDashboard(b *testing.B) {
	hc, base, clk, _ := consoleBench(b)
	// The first look computes the month's figures in the request.
	start := time.Now()
	resp, err := hc.Get(base + "/admin/")
	must(b, err)
	resp.Body.Close()
	b.ReportMetric(float64(time.Since(start).Milliseconds()), "first-ms")
	timeGets(b, hc, []string{base + "/admin/", base + "/admin/dashboard/live"}, func() { clk.Advance(analytics.LiveEvery) })
}

func BenchmarkConsoleOrganizationSearch(b *testing.B) {
	hc, base, _, org := consoleBench(b)
	q := func(s string) string { return base + "/admin/organizations?q=" + url.QueryEscape(s) }
	// A name, an external id, nothing found (every row read), a phone and
	// an e-mail (indexed), a filter, and a prefix shared by many.
	paths := []struct{ name, path string }{{"name", q("Org 4242")}, {"external-id", q(org.ExternalID)}, {"nothing", q("zzz-no-such")},
		{"phone", q("+447700900123")}, {"email", q("someone@example.com")}, {"filter", base + "/admin/organizations?type=dealer"},
		{"many", q("org 1")}, {"inside-names", q("4242") + "&contains=1"}}
	for _, p := range paths {
		b.Run(p.name, func(b *testing.B) { timeGets(b, hc, []string{p.path}, func() {}) })
	}
}
