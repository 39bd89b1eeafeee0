package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// sqlitePragmas are set on every connection. synchronous=FULL makes a
// commit durable (it survives power loss) — the ledger depends on it; WAL
// lets readers run while the writer commits; foreign keys are off by default
// in SQLite and must be turned on per connection.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"synchronous(FULL)",
	"foreign_keys(1)",
	"busy_timeout(10000)",
	"temp_store(MEMORY)",
	"wal_autocheckpoint(" + strconv.Itoa(writerCheckpointPages) + ")", // a safety valve: the checkpointer does it (sqlite_checkpoint.go)
}

func sqlitePath(dsn string) string {
	return strings.TrimPrefix(strings.TrimPrefix(dsn, "sqlite://"), "sqlite:")
}

// The page caches of the connections. A reader keeps 64 MiB of pages (the
// analytics and console pages read much of the database). The writer
// keeps 8 MiB: every commit ends with a truncation of the page cache
// (pcache1TruncateUnsafe in profiles) that scans a hash table growing
// with the cache, and with 64 MiB it took 6–8% of the process's CPU for
// single events and for the raw-rows yardstick alike, against about 1%
// with 8 MiB (single events 13–17% faster, docs/PERFORMANCE.md). The
// pages the writer misses come back from the operating system's cache.
const (
	readerCache = "cache_size(-65536)" // KiB
	writerCache = "cache_size(-8192)"
)

func sqliteDSN(path string, readOnly bool) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	if readOnly {
		q.Add("_pragma", "query_only(1)")
		q.Add("_pragma", readerCache)
	} else {
		q.Add("_pragma", writerCache)
	}
	return "file:" + path + "?" + q.Encode()
}

func openSQLite(ctx context.Context, opts Options) (*DB, error) {
	path := sqlitePath(opts.DSN)
	if path == "" {
		return nil, errors.New("sqlite: empty database path")
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return nil, fmt.Errorf("sqlite: create data directory: %w", err)
	}
	wdb, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	wdb.SetMaxOpenConns(1)
	conn, err := wdb.Conn(ctx)
	if err != nil {
		_ = wdb.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	rdb, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		_ = conn.Close()
		_ = wdb.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	rdb.SetMaxOpenConns(opts.ReadConns)
	rdb.SetMaxIdleConns(opts.ReadConns)
	ckpt, err := startCheckpointer(path, opts.CheckpointEvery, opts.Logger)
	if err != nil {
		_ = conn.Close()
		_ = wdb.Close()
		_ = rdb.Close()
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	d := sqliteDialect{}
	db := &DB{
		engine: SQLite, d: d, read: rdb, write: wdb, rstmts: newStmtCache(rdb), ckpt: ckpt,
		writer: newGroupWriter(conn, d, opts.MaxBatch, opts.OnBatch, opts.Logger),
	}
	return db, nil
}

type sqliteDialect struct{}

func (sqliteDialect) engine() Engine { return SQLite }

// forUpdate is empty: SQLite has one writer, so a row read inside a write
// transaction cannot change before the transaction ends.
func (sqliteDialect) skipLocked() string { return "" }

func (sqliteDialect) forUpdate() string { return "" }

func sqliteCode(err error) int {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code()
	}
	return 0
}

func (sqliteDialect) isUnique(err error) bool {
	c := sqliteCode(err)
	return c == sqlite3.SQLITE_CONSTRAINT_UNIQUE || c == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
}

func (sqliteDialect) isForeignKey(err error) bool {
	return sqliteCode(err) == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
}

func (sqliteDialect) isTransient(err error) bool {
	c := sqliteCode(err) & 0xff // primary result code
	return c == sqlite3.SQLITE_BUSY || c == sqlite3.SQLITE_LOCKED
}

func (sqliteDialect) migrationLock() string { return "" }

// isBadText: SQLite stores any bytes as text.
func (sqliteDialect) isBadText(error) bool { return false }
