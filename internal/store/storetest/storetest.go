// Package storetest opens real databases for tests: SQLite in a temporary
// directory, and PostgreSQL (in a schema of its own, dropped afterwards)
// when LOYAL_TEST_POSTGRES_DSN is set. Each runs the same test on both
// engines, as subtests named "sqlite" and "postgres".
package storetest

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver used to create test schemas

	"github.com/loyal-b2b/loyal/internal/platform/ids"
	"github.com/loyal-b2b/loyal/internal/store"
)

// EnvDSN names the variable holding the PostgreSQL test database URL.
const EnvDSN = "LOYAL_TEST_POSTGRES_DSN"

// EnvEngines, when set to a comma-separated list ("postgres"), limits the
// engines tests run on. CI's race-detector pass over the API suites uses it:
// their SQLite half has just run in the plain test step, and PostgreSQL is
// where concurrency differs.
const EnvEngines = "LOYAL_TEST_ENGINES"

// Engines lists the engines tests run on: both, unless EnvEngines says
// otherwise.
var Engines = enginesFromEnv()

func enginesFromEnv() []store.Engine {
	all := []store.Engine{store.SQLite, store.Postgres}
	want := os.Getenv(EnvEngines)
	if want == "" {
		return all
	}
	var out []store.Engine
	for _, e := range all {
		if slices.Contains(strings.Split(want, ","), string(e)) {
			out = append(out, e)
		}
	}
	if len(out) == 0 {
		panic(fmt.Sprintf("%s=%q names no engine; use sqlite, postgres or both", EnvEngines, want))
	}
	return out
}

// Each runs fn once per engine, each with a fresh migrated database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	t.Helper()
	for _, e := range Engines {
		t.Run(string(e), func(t *testing.T) {
			fn(t, Open(t, e))
		})
	}
}

// Open returns a fresh, migrated database of engine e, closed (and, for
// PostgreSQL, dropped) when the test ends. Without LOYAL_TEST_POSTGRES_DSN a
// PostgreSQL test is skipped, saying so.
func Open(t testing.TB, e store.Engine) *store.DB {
	t.Helper()
	return OpenWith(t, e, store.Options{})
}

// OpenWith is Open with options (the DSN is set by OpenWith).
func OpenWith(t testing.TB, e store.Engine, opts store.Options) *store.DB {
	t.Helper()
	opts.DSN = DSN(t, e)
	db, err := store.Open(context.Background(), opts)
	if err != nil {
		t.Fatalf("open %s: %v", e, err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.Migrate(context.Background(), time.Now); err != nil {
		t.Fatalf("migrate %s: %v", e, err)
	}
	return db
}

// DSN returns the URL of a fresh, empty database of engine e.
func DSN(t testing.TB, e store.Engine) string {
	t.Helper()
	if e == store.SQLite {
		return filepath.Join(t.TempDir(), "loyal.db")
	}
	base := os.Getenv(EnvDSN)
	if base == "" {
		t.Skipf("PostgreSQL not configured: set %s=postgres://postgres@127.0.0.1:5432/test?sslmode=disable to run this test on PostgreSQL", EnvDSN)
	}
	schema := "t_" + ids.Token(8)
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if _, err := admin.Exec("CREATE SCHEMA " + schema); err != nil {
		t.Fatalf("postgres: create schema: %v", err)
	}
	t.Cleanup(func() {
		a, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer a.Close()
		_, _ = a.Exec("DROP SCHEMA " + schema + " CASCADE")
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("postgres: bad %s: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return fmt.Sprint(u)
}

// InsertLedgerTx stores an empty ledger transaction with the given id and
// key, as a client's request with a key of the product's form stored
// before client keys had a namespace of their own. Tests use it to prove
// that a job goes past the row whose id is taken.
func InsertLedgerTx(t testing.TB, db *store.DB, tenantID, id, key string) {
	t.Helper()
	err := db.Exec(context.Background(), `INSERT INTO ledger_txs (tenant_id, id, kind, idem_key, request_hash, effective_ms, created_ms,
		actor_type, actor_id, staff_id, event_id, rule_id, reason, reverses_id, reversed_by, legs)
		VALUES ($1, $2, 'earn', $3, 'x', 0, 0, 'api_key', 'k', '', '', '', '', '', '', '{"p":[]}')`, tenantID, id, key)
	if err != nil {
		t.Fatalf("insert ledger transaction %s: %v", key, err)
	}
}
