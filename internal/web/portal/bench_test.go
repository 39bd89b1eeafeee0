package portal_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// BenchmarkCardPage times the card page through the whole server (session
// cookie, member and organization reads, the card's live state, wallets,
// standing, goals, QR code and barcode, rendering) for members among
// many: LOYAL_BENCH_MEMBERS generated members (default 2,000) in
// organizations of 20, each member and organization with a card and a
// wallet, bulk-inserted. The requests go in turn to the site's foreman
// (300 lines of history) and to 31 generated members spread over the
// whole range. It reports the median and the 99th percentile.
//
// The data is built once per run of the function, so use -benchtime 1x:
// that run then makes LOYAL_BENCH_REQUESTS requests (default 300).
// LOYAL_BENCH_ENGINE=postgres measures PostgreSQL (with
// LOYAL_TEST_POSTGRES_DSN set). On SQLite the run ends by listing the
// queries it ran whose plan reads a table or a whole tenant.
//
//	LOYAL_BENCH_MEMBERS=1000000 go test ./internal/web/portal -run '^$' -bench CardPage -benchtime 1x -timeout 60m
func BenchmarkCardPage(b *testing.B) {
	engine := store.SQLite
	if os.Getenv("LOYAL_BENCH_ENGINE") == "postgres" {
		engine = store.Postgres
	}
	db := storetest.Open(b, engine)
	s := newSite(b, db, clock.System{})
	members := envInt(b, "LOYAL_BENCH_MEMBERS", 2000)
	start := time.Now()
	spec := store.MemberGenSpec{TenantID: s.sys.TenantID, ProgramID: s.program.ID, PointTypeID: s.pt.ID, Members: members, PerOrg: 20, Now: time.Now()}
	must(b, db.GenerateMembers(context.Background(), spec, func(done int) {
		if done%100000 == 0 {
			b.Logf("%d members written in %v", done, time.Since(start).Round(time.Second))
		}
	}))
	b.Logf("%d members generated in %v", members, time.Since(start).Round(time.Millisecond))
	for i := range 300 {
		s.earn(s.foreman, int64(i+1), fmt.Sprintf("invoice INV-%d", i))
	}
	browsers := []*browser{s.browser().signIn(s.foreman)}
	for k := range 31 {
		browsers = append(browsers, s.sessionAs(store.GenMemberID(k*(members-1)/30)))
	}
	if r := browsers[1].get("/p/"); !strings.Contains(r.body, "Dealer 0") {
		b.Fatalf("a generated member's card page does not show their organization: %d\n%s", r.status, r.body)
	}
	n := b.N
	if n == 1 {
		n = envInt(b, "LOYAL_BENCH_REQUESTS", 300)
	}
	times := make([]time.Duration, 0, n)
	b.ResetTimer()
	for i := range n {
		t0 := time.Now()
		if r := browsers[i%len(browsers)].get("/p/"); r.status != http.StatusOK || !strings.Contains(r.body, "<svg") {
			b.Fatalf("card: %d", r.status)
		}
		times = append(times, time.Since(t0))
	}
	b.StopTimer()
	wide, err := db.WideReads(context.Background())
	must(b, err)
	for q, plan := range wide {
		b.Logf("reads a tenant whole: %s\n  plan: %s", q, plan)
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
}

// sessionAs is a browser signed in as a member by a session started
// directly (generated members sign in no other way: codes are throttled
// per client).
func (s *site) sessionAs(memberID string) *browser {
	b := s.browser()
	rec := httptest.NewRecorder()
	must(s.t, s.app.Kit.StartMemberSession(rec, httptest.NewRequest("GET", s.srv.URL+"/p/", nil), s.sys.TenantID, memberID))
	u, _ := url.Parse(s.srv.URL + "/p/")
	b.hc.Jar.SetCookies(u, rec.Result().Cookies())
	return b
}

func envInt(b *testing.B, name string, def int) int {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		b.Fatalf("%s=%q: give a positive number", name, v)
	}
	return n
}
