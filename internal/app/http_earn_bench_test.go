package app

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/page"
)

// BenchmarkHTTPEarn: POST /v1/ledger/earn over loopback, 64 keep-alive
// clients, 10-point earns spread over 200 wallets, each request with its
// own Idempotency-Key; durable commits. Each b.N iteration is a run of
// 20,000 requests on the engine of $LOYAL_BENCH_ENGINE (SQLite by default).
func BenchmarkHTTPEarn(b *testing.B) {
	a, url, key := benchAppOn(b, benchEngine(), 200)
	ctx := context.Background()
	ts, err := a.Tenants.ListTenants(ctx)
	must(b, err)
	p := access.System(ts[0].ID)
	progs, err := a.Programs.List(ctx, p, page.Request{Limit: 1})
	must(b, err)
	pts, err := a.Ledger.ListPointTypes(ctx, p, progs.Items[0].ID)
	must(b, err)
	orgs, err := a.Party.ListOrganizations(ctx, p, party.OrgFilter{}, page.Request{Limit: 200})
	must(b, err)
	run := 0
	for b.Loop() {
		run++
		st := drive(b, 20000, earnRequest(b, url, key, pts[0].ID, orgs.Items, run), 64)
		b.ReportMetric(st.rate, "req/s")
		b.ReportMetric(st.p50, "p50-ms")
		b.ReportMetric(st.p99, "p99-ms")
	}
}

// earnRequest builds the i-th earn of a run.
func earnRequest(b *testing.B, url, key, pointType string, orgs []party.Organization, run int) func(i int) *http.Request {
	return func(i int) *http.Request {
		r := post(b, url+"/v1/ledger/earn", key, map[string]any{"owner": map[string]string{"type": "organization", "id": orgs[i%len(orgs)].ID},
			"point_type_id": pointType, "amount": 10})
		r.Header.Set("Idempotency-Key", fmt.Sprintf("earn-%d-%d", run, i))
		return r
	}
}
