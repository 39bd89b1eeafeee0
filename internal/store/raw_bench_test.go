package store

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/uuid"
)

// BenchmarkRawEarnRows writes the rows one ledger earn writes — a
// transaction header, two postings, a lot and a wallet balance update —
// with plain prepared statements on one connection, 64 earns per durable
// commit, into the same schema. It is the yardstick for the ledger's earn
// pipeline: what SQLite and this disk do without any ledger logic.
//
//	go test -run '^$' -bench RawEarnRows -benchtime 40000x ./internal/store/
func BenchmarkRawEarnRows(b *testing.B) {
	ctx := context.Background()
	path := filepath.Join(b.TempDir(), "raw.db")
	db, err := Open(ctx, Options{DSN: path})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := db.Migrate(ctx, time.Now); err != nil {
		b.Fatal(err)
	}
	_ = db.Close()
	raw, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	const wallets = 2000
	mustExec(b, raw, `PRAGMA foreign_keys = OFF`) // the seed accounts have no point type row
	mustExec(b, raw, `INSERT INTO ledger_accounts (tenant_id, id, point_type_id, owner_type, owner_id, available, pending, seq, created_ms, updated_ms)
		WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
		SELECT 'tenant-0001-0000-0000-000000000000', 'acct-' || CAST(i AS TEXT), 'pt', 'organization', 'org-' || CAST(i AS TEXT), 0, 0, 0, 0, 0 FROM n`, wallets)
	stmts := prepareAll(b, raw,
		`INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms, actor_type, actor_id, staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs)
			VALUES ($1, $2, 'earn', $3, 'hash', 0, 0, 'api_key', 'k', '', '', '', '', '', '', $4) ON CONFLICT (tenant_id, id) DO NOTHING`,
		`UPDATE ledger_accounts SET available = available + 10, pending = pending, seq = seq + 1, updated_ms = 0 WHERE tenant_id = $1 AND id = $2
			RETURNING available, pending, seq`,
		`INSERT INTO ledger_postings (tenant_id, tx_id, seq, account_id, point_type_id, bucket, amount, lot_id, account_seq, available_after, pending_after)
			VALUES ($1, $2, 1, $3, 'pt', 'available', 10, $4, 1, 10, 0), ($1, $2, 2, 'issuance', 'pt', 'available', -10, '', NULL, NULL, NULL)`,
		`INSERT INTO ledger_lots (tenant_id, id, account_id, tx_id, amount, remaining, state, earned_ms, available_ms, expires_ms)
			VALUES ($1, $2, $3, $4, 10, 10, 'available', 0, 0, 253402300799999)`)
	const tenant = "tenant-0001-0000-0000-000000000000"
	// What a real earn keeps as its legs: two postings and a lot id, as JSON.
	legs := `{"p":[{"seq":1,"account_id":"6f28d75e-9c35-5dad-822d-c10440471557","point_type_id":"01a2085b-04c6-79e3-9b14-0b61dfd7a501","bucket":"available","amount":10,"lot_id":"01a2085b-0532-7ca3-a4bf-604b7a843fc2","account_seq":1,"available_after":10,"pending_after":0},{"seq":2,"account_id":"e41dd4f8-5412-5460-a6f8-7b546c039a2e","point_type_id":"01a2085b-04c6-79e3-9b14-0b61dfd7a501","bucket":"available","amount":-10}],"l":["01a2085b-0532-7ca3-a4bf-604b7a843fc2"]}`
	b.ResetTimer()
	start := time.Now()
	for done := 0; done < b.N; done += 64 {
		tx, err := raw.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for i := done; i < min(done+64, b.N); i++ {
			// Transaction ids derive from idempotency keys (random order); lot ids are time-ordered.
			txID, lotID, acct := uuid.NewSHA1(uuid.NameSpaceOID, []byte(fmt.Sprint(i))).String(), fmt.Sprintf("01930000-0000-7000-9000-%012d", i), fmt.Sprintf("acct-%d", 1+i%wallets)
			var av, pe, seq int64
			execTx(b, tx, stmts[0], tenant, txID, fmt.Sprint("earn-", i), legs)
			if err := tx.Stmt(stmts[1]).QueryRowContext(ctx, tenant, acct).Scan(&av, &pe, &seq); err != nil {
				b.Fatal(err)
			}
			execTx(b, tx, stmts[2], tenant, txID, acct, lotID)
			execTx(b, tx, stmts[3], tenant, lotID, acct, txID)
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "earns/s")
}

func mustExec(b *testing.B, db *sql.DB, q string, args ...any) {
	b.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		b.Fatal(err)
	}
}

func prepareAll(b *testing.B, db *sql.DB, qs ...string) []*sql.Stmt {
	b.Helper()
	out := make([]*sql.Stmt, len(qs))
	for i, q := range qs {
		s, err := db.Prepare(q)
		if err != nil {
			b.Fatal(err)
		}
		out[i] = s
	}
	return out
}

func execTx(b *testing.B, tx *sql.Tx, s *sql.Stmt, args ...any) {
	b.Helper()
	if _, err := tx.Stmt(s).Exec(args...); err != nil {
		b.Fatal(err)
	}
}
