package events_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Ingestion benchmarks: batches of 1,000 three-line invoices of 1,000
// organizations through the whole service (checks, the engine, the
// ledger, program states, the events table) in one durable transaction
// per batch, against the program of internal/engine's BenchmarkEvaluate.
// Reproduce with:
//
//	go test -run '^$' -bench IngestBatch -benchtime 20000x ./internal/events/
//
// and LOYAL_TEST_POSTGRES_DSN set for the PostgreSQL figures. On SQLite
// the same run writes the rows the events wrote with plain prepared
// statements, batched the same way, and reports that rate and the ratio.
// LOYAL_BENCH_BATCHES=k ingests k batches at a time, each over its own
// k-th of the organizations (default 1: one batch after the other).
//
// Before timing, one untimed batch warms up (every organization then has
// a state and a wallet) and, on PostgreSQL, ANALYZE runs, as autovacuum
// does on a running server: on a fresh table without statistics the
// planner looks events up by external id through the wrong index, which
// makes every lookup scan the tenant's events (LOYAL_BENCH_NO_ANALYZE=1
// measures that case).

const (
	benchBatch = 1000
	benchOrgs  = 1000
)

// benchNow is the fake clock of the benchmark; events happen just before.
var benchNow = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// ingestFx is a tenant with the bench program running and its organizations.
type ingestFx struct {
	ctx context.Context
	app *app.App
	p   access.Principal
}

func newIngestFx(b *testing.B, db *store.DB) *ingestFx {
	b.Helper()
	ctx := context.Background()
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clock.NewFake(benchNow), db, nil)
	tn, err := a.Tenants.CreateTenant(ctx, "bench", "Bench")
	must(b, err)
	sys := access.System(tn.ID)
	prog, err := a.Programs.Create(ctx, sys, program.Input{Name: "Dealer Club"})
	must(b, err)
	pt, err := a.Ledger.CreatePointType(ctx, sys, prog.ID, ledger.PointTypeInput{Code: "points", Name: "Points", Unit: "points",
		Currency: "EUR", ValueNum: 100, ValueDen: 1})
	must(b, err)
	raw, err := os.ReadFile("../engine/testdata/bench_program.json")
	must(b, err)
	var def map[string]any
	must(b, json.Unmarshal(raw, &def))
	def["point_type_id"] = pt.ID
	raw, err = json.Marshal(def)
	must(b, err)
	_, err = a.Programs.AddVersion(ctx, sys, prog.ID, program.VersionInput{Definition: raw})
	must(b, err)
	_, err = a.Programs.SetStatus(ctx, sys, prog.ID, program.StatusInput{Status: program.Active})
	must(b, err)
	// Organizations of three types in two regions, a quarter tagged vip.
	must(b, a.DB.Exec(ctx, `INSERT INTO organizations (tenant_id, id, type, name, tax_id, external_id, industry, region, country, size, tags,
			parent_id, account_manager_id, status, created_ms, updated_ms)
		WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $2 - 1)
		SELECT $1, 'org-' || CAST(i AS TEXT),
			CASE i % 3 WHEN 0 THEN 'dealer' WHEN 1 THEN 'installer' ELSE 'distributor' END,
			'Organization ' || CAST(i AS TEXT), '', NULL, '', CASE i % 2 WHEN 0 THEN 'north' ELSE 'south' END, '', '',
			CASE i % 4 WHEN 0 THEN ',vip,' ELSE ',' END, NULL, NULL, 'active', 0, 0 FROM n`, tn.ID, benchOrgs))
	return &ingestFx{ctx: ctx, app: a, p: sys}
}

func must(b testing.TB, err error) {
	b.Helper()
	if err != nil {
		b.Fatal(err)
	}
}

// benchCallers is how many batches are ingested at a time.
var benchCallers = envInt("LOYAL_BENCH_BATCHES", 1)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// benchInputs are n three-line invoices spread over the organizations:
// batch j covers the organizations of block j mod callers, each the same
// number of times.
func benchInputs(n, callers int) []events.Input {
	out := make([]events.Input, n)
	per := benchOrgs / callers // organizations in a block
	for i := range out {
		block := (i / benchBatch) % callers
		org := block + callers*(i%per)
		q := int64(1 + i%7)
		price := 2500 + int64(i%11)*1000
		out[i] = events.Input{Type: "invoice", Source: "erp", ExternalID: fmt.Sprintf("INV-%d", i),
			OccurredAt: benchNow.Add(-time.Hour).Add(time.Duration(i%3_600_000) * time.Millisecond), Organization: fmt.Sprintf("org-%d", org),
			Currency: "EUR", Lines: []events.LineInput{
				{SKU: fmt.Sprintf("T-%d", i%50), Category: "tools", Qty: q, UnitPrice: 4500},
				{SKU: fmt.Sprintf("P-%d", i%30), Category: "paint", Qty: 3, UnitPrice: price, OnSale: i%5 == 0},
				{SKU: "F-1", Category: "fasteners", Qty: 10 * q, UnitPrice: 150},
			}}
	}
	return out
}

// BenchmarkIngestBatch ingests b.N events in batches of 1,000 and reports
// events/s; on SQLite also the raw rate of the same rows and the ratio.
func BenchmarkIngestBatch(b *testing.B) {
	for _, e := range storetest.Engines {
		b.Run(string(e), func(b *testing.B) {
			dsn := storetest.DSN(b, e)
			db, err := store.Open(context.Background(), store.Options{DSN: dsn})
			must(b, err)
			b.Cleanup(func() { _ = db.Close() })
			_, err = db.Migrate(context.Background(), time.Now)
			must(b, err)
			f := newIngestFx(b, db)
			warm := benchInputs(benchBatch, 1)
			for i := range warm {
				warm[i].ExternalID = "WARM-" + warm[i].ExternalID
			}
			_, err = f.app.Events.Ingest(f.ctx, f.p, warm, false)
			must(b, err)
			if e == store.Postgres && os.Getenv("LOYAL_BENCH_NO_ANALYZE") == "" {
				// This schema's tables only: a bare ANALYZE locks every table of
				// the database in turn and can deadlock with a restore beside it.
				must(b, db.Exec(f.ctx, "ANALYZE events, program_states, organizations, ledger_accounts, ledger_txs, ledger_postings, ledger_lots"))
			}
			ins := benchInputs(b.N, benchCallers)
			b.ResetTimer()
			start := time.Now()
			var wg sync.WaitGroup
			for c := range benchCallers {
				wg.Go(func() {
					for done := c * benchBatch; done < b.N; done += benchCallers * benchBatch {
						res, err := f.app.Events.Ingest(f.ctx, f.p, ins[done:min(done+benchBatch, b.N)], false)
						if err != nil {
							b.Error(err)
							return
						}
						if len(res[0].Results) != 1 || res[0].Results[0].Status != "applied" || len(res[0].Results[0].Earns) == 0 {
							b.Errorf("the first event of a batch earned nothing: %+v", res[0])
							return
						}
					}
				})
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			rate := float64(b.N) / elapsed.Seconds()
			b.ReportMetric(rate, "events/s")
			if e != store.SQLite || benchCallers > 1 {
				return
			}
			rows := countRows(b, dsn)
			b.ReportMetric(float64(rows.total())/float64(b.N), "rows/event")
			raw := rawRows(b, b.N, rows)
			b.ReportMetric(raw, "raw-events/s")
			b.ReportMetric(rate/raw*100, "%-of-raw")
		})
	}
}

// rowCounts are the rows the ingestion wrote, per table, the wallet
// balance updates, and the average sizes of the JSON columns.
type rowCounts struct {
	events, states, txs, postings, lots, accounts int
	body, results, state, legs                    int
}

func (r rowCounts) total() int { return r.events + r.states + r.txs + r.postings + r.lots + r.accounts }

func countRows(b *testing.B, path string) rowCounts {
	b.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	must(b, err)
	defer db.Close()
	var r rowCounts
	count := func(q string, dst *int) { must(b, db.QueryRow(q).Scan(dst)) }
	count(fmt.Sprintf(`SELECT count(*) - %d FROM events`, benchBatch), &r.events) // less the warm-up batch
	// Each organization is in every batch once: its state is written once
	// per event.
	r.states = r.events
	count(fmt.Sprintf(`SELECT count(*) - %d FROM ledger_txs WHERE event_id <> ''`, benchBatch), &r.txs)
	count(fmt.Sprintf(`SELECT count(*) - %d FROM ledger_postings`, 2*benchBatch), &r.postings) // a credit and the issuance per warm-up earn
	count(fmt.Sprintf(`SELECT count(*) - %d FROM ledger_lots`, benchBatch), &r.lots)
	r.accounts = r.txs // each earn transaction updates the organization's wallet
	count(`SELECT CAST(avg(length(body)) AS INTEGER) FROM events`, &r.body)
	count(`SELECT CAST(avg(length(results)) AS INTEGER) FROM events`, &r.results)
	count(`SELECT CAST(avg(length(state)) AS INTEGER) FROM program_states WHERE owner_type = 'organization'`, &r.state)
	count(`SELECT CAST(avg(length(legs)) AS INTEGER) FROM ledger_txs WHERE event_id <> ''`, &r.legs)
	return r
}

// rawRows writes, for n events, the rows ingestion wrote for them in the
// same proportions — an events row with its results, a program state
// upsert, a ledger transaction, its postings and lots and a wallet
// update — with prepared statements on one connection, a durable commit
// per batch of 1,000, into the same schema. It returns events/s.
func rawRows(b *testing.B, n int, rows rowCounts) float64 {
	b.Helper()
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := store.Open(ctx, store.Options{DSN: path})
	must(b, err)
	_, err = db.Migrate(ctx, time.Now)
	must(b, err)
	must(b, db.Close())
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "foreign_keys(0)", "busy_timeout(10000)", "cache_size(-65536)",
		"temp_store(MEMORY)", "wal_autocheckpoint(8000)"} { // as internal/store opened SQLite before its checkpointer, without foreign keys (no parent rows here)
		q.Add("_pragma", p)
	}
	raw, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	must(b, err)
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	const tenant = "tenant-0001-0000-0000-000000000000"
	_, err = raw.Exec(`INSERT INTO ledger_accounts (tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms)
		WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $1 - 1)
		SELECT $2, 'acct-' || CAST(i AS TEXT), 'pt', 'organization', 'org-' || CAST(i AS TEXT), 0, 0, 0, 0, 0 FROM n`, benchOrgs, tenant)
	must(b, err)
	stmts := make([]*sql.Stmt, 0, 6)
	for _, s := range []string{
		`INSERT INTO events (tenant_id, id, source, external_id, type, organization_id, member_id, occurred_ms, hash, body, results, created_ms)
			VALUES ($1, $2, 'erp', $3, 'invoice', $4, NULL, 0, 'hash', $5, $6, 0)`,
		`INSERT INTO program_states (tenant_id, program_id, owner_type, owner_id, state, due_ms, updated_ms) VALUES ($1, 'prog', 'organization', $2, $3, 0, 0)
			ON CONFLICT (tenant_id, program_id, owner_type, owner_id) DO UPDATE SET state = excluded.state, due_ms = excluded.due_ms, updated_ms = excluded.updated_ms`,
		`INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type, actor_id, staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs)
			VALUES ($1, $2, 'earn', $3, 'hash', 0, 0, 'system', 'system', '', $4, '', 'invoice erp/INV', '', '', $5)`,
		`UPDATE ledger_accounts SET available = available + 10, seq = seq + 1, updated_ms = 0 WHERE tenant_id = $1 AND id = $2 RETURNING available, pending, seq`,
		`INSERT INTO ledger_postings (tenant_id, tx_id, seq, account_id, point_type_id, bucket, amount, lot_id, account_seq, available_after, pending_after)
			VALUES ($1, $2, $3, $4, 'pt', 'available', 10, $5, 1, 10, 0)`,
		`INSERT INTO ledger_lots (tenant_id, id, account_id, tx_id, amount, remaining, state, earned_ms, available_ms, expires_ms)
			VALUES ($1, $2, $3, $4, 10, 10, 'available', 0, 0, 253402300799999)`,
	} {
		st, err := raw.Prepare(s)
		must(b, err)
		stmts = append(stmts, st)
	}
	// JSON columns as large, on average, as the ones ingestion wrote.
	body, results, state, legs := filler(rows.body), filler(rows.results), filler(rows.state), filler(rows.legs)
	perTx := func(k int) int { return max(1, (k+rows.txs/2)/max(rows.txs, 1)) }
	postings, lots := perTx(rows.postings), perTx(rows.lots)
	start := time.Now()
	for done := 0; done < n; done += benchBatch {
		tx, err := raw.BeginTx(ctx, nil)
		must(b, err)
		for i := done; i < min(done+benchBatch, n); i++ {
			evID, txID, acct := uuid.NewString(), uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint("event:", i))).String(), fmt.Sprintf("acct-%d", i%benchOrgs)
			exec(b, tx, stmts[0], tenant, evID, fmt.Sprint("INV-", i), fmt.Sprint("org-", i%benchOrgs), body, results)
			exec(b, tx, stmts[1], tenant, fmt.Sprint("org-", i%benchOrgs), state)
			exec(b, tx, stmts[2], tenant, txID, "event:"+evID, evID, legs)
			var av, pe, seq int64
			must(b, tx.Stmt(stmts[3]).QueryRowContext(ctx, tenant, acct).Scan(&av, &pe, &seq))
			for k := range postings {
				exec(b, tx, stmts[4], tenant, txID, k+1, acct, "")
			}
			for k := range lots {
				exec(b, tx, stmts[5], tenant, fmt.Sprintf("%s-%d", txID, k), acct, txID)
			}
		}
		must(b, tx.Commit())
	}
	return float64(n) / time.Since(start).Seconds()
}

// filler is a JSON string value of n bytes.
func filler(n int) string {
	b := make([]byte, max(n, 2))
	for i := range b {
		b[i] = 'a' + byte(i%26)
	}
	b[0], b[len(b)-1] = '"', '"'
	return string(b)
}

func exec(b *testing.B, tx *sql.Tx, s *sql.Stmt, args ...any) {
	b.Helper()
	if _, err := tx.Stmt(s).Exec(args...); err != nil {
		b.Fatal(err)
	}
}
