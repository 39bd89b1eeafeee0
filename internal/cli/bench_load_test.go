package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// TestBenchLoad runs the load benchmark at a tiny size on both engines:
// every scenario is sent and answered and reported, what it wrote is all
// there (each invoice once, every earn of every run), the ledger
// balances, and a wrong size or a tenant that exists is refused without
// writing anything.
func TestBenchLoad(t *testing.T) {
	eachDB(t, func(t *testing.T, d db) {
		r := mustRun(t, d.with("bench", "load", "--dealers", "3", "--requests", "40", "--clients", "4")...)
		for _, route := range []string{"POST /v1/events", "POST /v1/quote", "POST /v1/ledger/earn"} {
			checkLoadLine(t, r.out, route, "40")
		}
		if strings.Contains(r.errOut, "msg=request") {
			t.Fatalf("the request log ran during the benchmark:\n%.500s", r.errOut)
		}
		mustRun(t, d.with("bench", "load", "--tenant", "earns", "--dealers", "2", "--requests", "30", "--runs", "2", "--only", "earn")...)
		want := map[string]int64{"events": 40, "earned": 2 * 30 * 10}
		d.open(t, func(a *app.App) { checkLoadWrites(t, a, want) })
		mustRun(t, d.with("ledger", "check")...)

		if r := run(t, d.with("bench", "load", "--requests", "0")...); r.code == 0 || !strings.Contains(r.errOut, "--requests must be at least 1") {
			t.Fatalf("no requests: %v", r)
		}
		if r := run(t, d.with("bench", "load", "--only", "refunds")...); r.code == 0 || !strings.Contains(r.errOut, `--only must be one of`) {
			t.Fatalf("unknown scenario: %v", r)
		}
		if r := run(t, d.with("bench", "load", "--dealers", "3", "--requests", "5")...); r.code != 1 || !strings.Contains(r.errOut, "already exists") {
			t.Fatalf("tenant that exists: %v", r)
		}
		d.open(t, func(a *app.App) { checkLoadWrites(t, a, want) })

		mustRun(t, d.with("admin", "tenant", "create", "--slug", "acme", "--name", "Acme")...)
		r = run(t, d.with("bench", "load", "--tenant", "after-acme", "--dealers", "2", "--requests", "5")...)
		if r.code != 1 || !strings.Contains(r.errOut, "holds tenants of its own (acme)") || !strings.Contains(r.errOut, "--shared") {
			t.Fatalf("a database with a tenant of its own: %v", r)
		}
		mustRun(t, d.with("bench", "load", "--tenant", "after-acme", "--dealers", "2", "--requests", "5", "--only", "quote", "--shared")...)
	})
}

// checkLoadLine finds the result line of a route and checks that it sent
// the requests and measured a rate.
func checkLoadLine(t *testing.T, out, route, requests string) {
	t.Helper()
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, route+" ") {
			continue
		}
		f := strings.Fields(strings.TrimPrefix(line, route))
		if len(f) != 7 || f[2] != requests {
			t.Fatalf("%s: result line %q", route, line)
		}
		if rate, err := strconv.ParseFloat(f[3], 64); err != nil || rate <= 0 {
			t.Fatalf("%s: rate %q in %q", route, f[3], line)
		}
		return
	}
	t.Fatalf("no line for %s in:\n%s", route, out)
}

// checkLoadWrites checks the invoices of tenant bench-load and the points
// earned in tenant earns.
func checkLoadWrites(t *testing.T, a *app.App, want map[string]int64) {
	t.Helper()
	got := map[string]int64{
		"events": count(t, a, `SELECT COUNT(*) AS n FROM events e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = 'bench-load'`),
		"earned": count(t, a, `SELECT COALESCE(SUM(w.available), 0) AS n FROM ledger_accounts w JOIN tenants t ON t.id = w.tenant_id
			WHERE t.slug = 'earns' AND w.owner_type = 'organization'`),
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("written: %v, want %v", got, want)
	}
}

// count reads the single number a query answers, as column n.
func count(t *testing.T, a *app.App, query string) int64 {
	t.Helper()
	rows, err := a.DB.Rows(context.Background(), query)
	if err != nil || len(rows) != 1 {
		t.Fatalf("%s: %v %v", query, rows, err)
	}
	n, err := strconv.ParseInt(fmt.Sprint(rows[0]["n"]), 10, 64)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// TestBenchLoadOnReplicas: with --target the requests go to servers
// already running over the same PostgreSQL database, each the requests of
// dealers of its own, and what they wrote is all there.
func TestBenchLoadOnReplicas(t *testing.T) {
	clearEnv(t)
	d := db{engine: store.Postgres, dir: t.TempDir(), dsn: storetest.DSN(t, store.Postgres)}
	mustRun(t, d.with("migrate")...)
	d.open(t, func(a1 *app.App) {
		d.open(t, func(a2 *app.App) {
			var mu sync.Mutex
			seen := [2]map[string]bool{{}, {}}
			var targets []string
			for k, a := range []*app.App{a1, a2} {
				srv := httptest.NewServer(noteOrganization(a.Handler("test"), func(org string) { mu.Lock(); seen[k][org] = true; mu.Unlock() }))
				defer srv.Close()
				targets = append(targets, srv.URL)
			}
			r := mustRun(t, d.with("bench", "load", "--dealers", "4", "--requests", "40", "--clients", "4", "--only", "events",
				"--target", strings.Join(targets, ","))...)
			checkLoadLine(t, r.out, "POST /v1/events", "40")
			want := [2]map[string]bool{{"ext:D-0": true, "ext:D-2": true}, {"ext:D-1": true, "ext:D-3": true}}
			if fmt.Sprint(seen) != fmt.Sprint(want) {
				t.Fatalf("organizations each server was sent: %v, want %v", seen, want)
			}
			checkLoadWrites(t, a1, map[string]int64{"events": 40, "earned": 0})
		})
	})
	if r := run(t, d.with("bench", "load", "--target", "10.0.0.5:8080")...); r.code == 0 || !strings.Contains(r.errOut, "give a server's base address") {
		t.Fatalf("target without a scheme: %v", r)
	}
}

// noteOrganization passes each request on to h after telling note the
// organization its JSON body names.
func noteOrganization(h http.Handler, note func(org string)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var in struct {
			Organization string `json:"organization"`
		}
		_ = json.Unmarshal(body, &in)
		note(in.Organization)
		r.Body = io.NopCloser(bytes.NewReader(body))
		h.ServeHTTP(w, r)
	})
}
