package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/cli"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// loyalEnv lists every variable the command line reads.
var loyalEnv = []string{"LOYAL_DATABASE_URL", "LOYAL_DATA_DIR", "LOYAL_LOG_LEVEL", "LOYAL_LOG_FORMAT",
	"LOYAL_DB_CONNS", "LOYAL_ADDR", "LOYAL_SHUTDOWN_TIMEOUT", "LOYAL_DEMO", "LOYAL_PUBLIC_URL", "LOYAL_DEMO_STREAM"}

// clearEnv unsets the LOYAL_* variables for the test, so that the
// developer's environment does not change what the command line does.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, k := range loyalEnv {
		t.Setenv(k, "") // restores the old value after the test
		if err := os.Unsetenv(k); err != nil {
			t.Fatal(err)
		}
	}
}

// result is what one run of the command line did.
type result struct {
	code        int
	out, errOut string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout:\n%s\nstderr:\n%s", r.code, r.out, r.errOut)
}

// run runs `loyal args...`.
func run(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := cli.Main(args, &out, &errOut)
	return result{code: code, out: out.String(), errOut: errOut.String()}
}

// mustRun runs `loyal args...` and fails the test unless it exits 0.
func mustRun(t *testing.T, args ...string) result {
	t.Helper()
	r := run(t, args...)
	if r.code != 0 {
		t.Fatalf("loyal %s: %v", strings.Join(args, " "), r)
	}
	return r
}

// db is a fresh database for the command line: the global flags that
// select it, and a way to open it from the test.
type db struct {
	engine store.Engine
	dir    string
	dsn    string // "" for SQLite in dir
}

func (d db) flags() []string {
	if d.dsn == "" {
		return []string{"--data-dir", d.dir}
	}
	return []string{"--data-dir", d.dir, "--database", d.dsn}
}

// with prepends the database flags to a command.
func (d db) with(args ...string) []string { return append(d.flags(), args...) }

// open opens the database the command line wrote, closed when fn returns.
func (d db) open(t *testing.T, fn func(a *app.App)) {
	t.Helper()
	a, err := app.Open(context.Background(), config.Config{Database: d.dsn, DataDir: d.dir, DBConns: 2, LogLevel: "info", LogFormat: "text"},
		slog.New(slog.DiscardHandler), clock.System{})
	if err != nil {
		t.Fatalf("open the CLI's database: %v", err)
	}
	defer a.Close()
	fn(a)
}

// eachDB runs fn on SQLite in a temporary data directory and, when
// LOYAL_TEST_POSTGRES_DSN is set, on a fresh PostgreSQL schema.
func eachDB(t *testing.T, fn func(t *testing.T, d db)) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			clearEnv(t)
			d := db{engine: e, dir: t.TempDir()}
			if e == store.Postgres {
				d.dsn = storetest.DSN(t, e)
			}
			fn(t, d)
		})
	}
}
