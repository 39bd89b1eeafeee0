package ledger_test

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Ledger benchmarks. Durable commits throughout (SQLite synchronous=FULL).
// Reproduce with:
//
//	go test -run '^$' -bench . -benchtime 40000x ./internal/ledger/
//
// and LOYAL_TEST_POSTGRES_DSN set for the PostgreSQL figures.

const benchWallets = 2000

// benchCallers is how many goroutines call the pipeline at once.
var benchCallers = envInt("LOYAL_BENCH_CALLERS", 64)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchFx is a fixture with many organizations to spread writes over.
func benchFx(b *testing.B, e store.Engine, in ledger.PointTypeInput) (*fx, []ledger.Owner) {
	b.Helper()
	db := storetest.OpenWith(b, e, store.Options{ReadConns: envInt("LOYAL_BENCH_CONNS", 8)})
	f := newFx(b, db, "bench", in)
	ids := bulkOrganizations(b, f, benchWallets)
	owners := make([]ledger.Owner, len(ids))
	for i, id := range ids {
		owners[i] = ledger.Owner{Type: ledger.OwnerOrganization, ID: id}
	}
	return f, owners
}

// bulkOrganizations inserts n organizations with one statement.
func bulkOrganizations(b *testing.B, f *fx, n int) []string {
	b.Helper()
	err := f.app.DB.Exec(f.ctx, `INSERT INTO organizations (tenant_id, id, type, name, tax_id, external_id, industry, region, country, size, tags,
			parent_id, account_manager_id, status, created_ms, updated_ms)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
		SELECT $1, 'bench-' || CAST(i AS TEXT), 'dealer', 'Dealer ' || CAST(i AS TEXT), '', NULL, '', '', '', '', ',', NULL, NULL, 'active', 0, 0 FROM n`,
		f.p.TenantID, n)
	must(b, err)
	ids := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("bench-%d", i+1)
	}
	return ids
}

// parallel runs b.N calls of fn from workers goroutines and reports calls/s.
func parallel(b *testing.B, workers int, unit string, fn func(i int) error) {
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				if err := fn(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), unit)
}

// BenchmarkEarn: one lot, two postings and a balance update per earn,
// through the write pipeline, from 64 concurrent callers.
func BenchmarkEarn(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			f, owners := benchFx(b, e, ledger.PointTypeInput{})
			parallel(b, benchCallers, "earns/s", func(i int) error {
				_, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: fmt.Sprint("earn-", i), Owner: owners[i%len(owners)], PointTypeID: f.pt.ID, Amount: 10})
				return err
			})
		})
	}
}

// BenchmarkSpendSeveralLots: each spend consumes four lots.
func BenchmarkSpendSeveralLots(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			f, owners := benchFx(b, e, ledger.PointTypeInput{})
			// Every wallet gets four lots of 10 for each spend of 40 it will make.
			lots := 4 * len(owners) * (b.N/len(owners) + 1)
			fill(b, 64, lots, func(i int) error {
				_, err := f.led.Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: fmt.Sprint("fill-", i), Owner: owners[i%len(owners)], PointTypeID: f.pt.ID, Amount: 10})
				return err
			})
			parallel(b, 64, "spends/s", func(i int) error {
				tr, err := f.led.Spend(f.ctx, f.p, ledger.SpendInput{IdemKey: fmt.Sprint("spend-", i), Owner: owners[i%len(owners)], PointTypeID: f.pt.ID, Amount: 40})
				if err == nil && len(tr.Uses) != 4 {
					return fmt.Errorf("spend used %d lots, want 4", len(tr.Uses))
				}
				return err
			})
		})
	}
}

// fill runs n calls of fn from workers goroutines, untimed.
func fill(b *testing.B, workers, n int, fn func(i int) error) {
	b.Helper()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1)) - 1; i < n; i = int(next.Add(1)) - 1 {
				if err := fn(i); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkBalanceRead reads wallet balances among 1,000,000 accounts and
// reports the 99th percentile latency.
func BenchmarkBalanceRead(b *testing.B) {
	db := storetest.Open(b, store.SQLite)
	f := newFx(b, db, "reads", ledger.PointTypeInput{})
	const accounts = 1_000_000
	must(b, db.Exec(f.ctx, `INSERT INTO ledger_accounts (tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
		SELECT $1, 'acct-' || CAST(i AS TEXT), $2, 'organization', 'org-' || CAST(i AS TEXT), i, 0, 1, 0, 0 FROM n`, f.p.TenantID, f.pt.ID, accounts))
	lat := make([]time.Duration, b.N)
	b.ResetTimer()
	for i := range b.N {
		id := fmt.Sprintf("acct-%d", 1+(i*7919)%accounts)
		s := time.Now()
		a, err := f.led.GetAccount(f.ctx, f.p, id)
		lat[i] = time.Since(s)
		if err != nil || a.Available < 1 {
			b.Fatal(a, err)
		}
	}
	b.StopTimer()
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
}

// BenchmarkExpiry expires lots in bulk: b.N lots, two per wallet.
func BenchmarkExpiry(b *testing.B) {
	benchLotJob(b, "available", func(f *fx) (int, error) { return f.led.ExpireDue(f.ctx, f.p.TenantID, t0, ledger.DefaultBatch) })
}

// BenchmarkActivation makes b.N pending lots available, two per wallet.
func BenchmarkActivation(b *testing.B) {
	benchLotJob(b, "pending", func(f *fx) (int, error) { return f.led.ActivateDue(f.ctx, f.p.TenantID, t0, ledger.DefaultBatch) })
}

// benchLotJob seeds b.N due lots in state, two per wallet, runs the job
// once over all of them on each engine and reports lots/s.
func benchLotJob(b *testing.B, state string, run func(f *fx) (int, error)) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			f := newFx(b, storetest.Open(b, e), "lotjob", ledger.PointTypeInput{})
			wallets := b.N/2 + 1
			past := t0.Add(-time.Hour).UnixMilli()
			av, pe := int64(20), int64(0)
			if state == "pending" {
				av, pe = 0, 20
			}
			must(b, f.app.DB.Exec(f.ctx, `INSERT INTO ledger_accounts (tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms)
				WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
				SELECT $1, 'acct-' || CAST(i AS TEXT), $2, 'organization', 'org-' || CAST(i AS TEXT), $4, $5, 1, 0, 0 FROM n`, f.p.TenantID, f.pt.ID, wallets, av, pe))
			must(b, f.app.DB.Exec(f.ctx, `INSERT INTO ledger_lots (tenant_id, id, account_id, tx_id, amount, remaining, state, earned_ms, available_ms, expires_ms)
				WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $3)
				SELECT $1, 'lot-' || CAST(i AS TEXT), 'acct-' || CAST((i + 1) / 2 AS TEXT), 'seed', 10, 10, $4, 0, $2, $2 FROM n`, f.p.TenantID, past, 2*wallets, state))
			must(b, f.app.DB.Exec(f.ctx, analyzeSeeded[e]))
			b.ResetTimer()
			start := time.Now()
			n, err := run(f)
			b.StopTimer()
			must(b, err)
			if n != 2*wallets {
				b.Fatalf("moved %d lots, want %d", n, 2*wallets)
			}
			b.ReportMetric(float64(n)/time.Since(start).Seconds(), "lots/s")
		})
	}
}

// analyzeSeeded gathers the seeded tables' statistics. On PostgreSQL it
// names them: a bare ANALYZE locks every table of the database in turn,
// other schemas' included, and so can deadlock with a test restoring a
// dump beside the benchmark.
var analyzeSeeded = map[store.Engine]string{
	store.SQLite:   `ANALYZE`,
	store.Postgres: `ANALYZE ledger_accounts, ledger_lots`,
}
