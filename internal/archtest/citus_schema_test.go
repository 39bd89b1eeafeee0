package archtest

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
)

// Citus readiness, schema side (docs/SCALING.md): a table distributed by
// tenant_id can only enforce keys that contain the distribution column,
// and joins and foreign keys stay on one node only when they match on it.
// So every primary key, unique index and foreign key of a tenant table
// leads with tenant_id. The tables below are global instead: Citus
// reference tables (copied to every node) or coordinator-only tables.
var globalTables = map[string]string{
	"tenants":           "reference table: the tenant directory every distributed table's tenant_id refers to",
	"schema_migrations": "coordinator only: migration bookkeeping",
}

// citusDebt lists tables that break the rule today, with why; they are in
// docs/SCALING.md under "Before distributing". The test fails when one is
// fixed (remove it here) or when a new one appears.
var citusDebt = map[string]string{
	"unsubscribe_links": "keyed by the hash of the link's secret alone: the link in an e-mail carries no tenant",
}

// keyless lists tenant tables without a primary key: Citus distributes
// them, but moving their shards online (logical replication) needs a
// replica identity, which docs/SCALING.md says how to give them.
var keyless = map[string]string{
	"ledger_postings": "append-only legs of a transaction, read through their transaction and account indexes",
	"ledger_lot_uses": "append-only lot consumption of a transaction",
}

// TestSchemaLeadsWithTenant reads the migrated schema (SQLite's catalog;
// the DDL is the same on PostgreSQL) and checks keys, unique indexes and
// foreign keys of every table.
func TestSchemaLeadsWithTenant(t *testing.T) {
	db := migratedSQLite(t)
	tables := column[string](t, db, `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
	var broken []string
	for _, tb := range tables {
		if _, ok := globalTables[tb]; ok {
			continue
		}
		if p := tableProblem(t, db, tb); p != "" {
			if _, ok := citusDebt[tb]; !ok {
				t.Errorf("%s: %s", tb, p)
			}
			broken = append(broken, tb)
		}
	}
	for tb := range citusDebt {
		if !slices.Contains(broken, tb) {
			t.Errorf("%s is listed in citusDebt but leads with tenant_id now: remove it there and from docs/SCALING.md", tb)
		}
	}
}

// tableProblem says what in a table's keys does not lead with tenant_id.
func tableProblem(t *testing.T, db *sql.DB, table string) string {
	cols := column[string](t, db, `SELECT name FROM pragma_table_info(?) ORDER BY cid`, table)
	if !slices.Contains(cols, "tenant_id") {
		return "no tenant_id column"
	}
	pk := column[string](t, db, `SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk`, table)
	if _, ok := keyless[table]; ok != (len(pk) == 0) {
		return "primary key " + join(pk) + ": a table without one must be listed in keyless, and only then"
	}
	if len(pk) > 0 && pk[0] != "tenant_id" {
		return "primary key " + join(pk) + " does not lead with tenant_id"
	}
	for _, ix := range column[string](t, db, `SELECT name FROM pragma_index_list(?) WHERE "unique" = 1`, table) {
		if c := column[string](t, db, `SELECT name FROM pragma_index_info(?) ORDER BY seqno`, ix); len(c) == 0 || c[0] != "tenant_id" {
			return "unique index " + ix + " (" + join(c) + ") does not lead with tenant_id"
		}
	}
	rows, err := db.Query(`SELECT "table", "from", "to", seq FROM pragma_foreign_key_list(?) ORDER BY id, seq`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var ref, from string
		var to sql.NullString
		var seq int
		if err := rows.Scan(&ref, &from, &to, &seq); err != nil {
			t.Fatal(err)
		}
		if seq == 0 && from != "tenant_id" {
			return "foreign key on " + from + " to " + ref + " does not lead with tenant_id"
		}
		if _, global := globalTables[ref]; seq == 0 && !global && to.String != "tenant_id" {
			return "foreign key to " + ref + " does not match tenant_id with tenant_id"
		}
	}
	return ""
}

func migratedSQLite(t *testing.T) *sql.DB {
	t.Helper()
	path := filepath.Join(t.TempDir(), "schema.db")
	sdb, err := store.Open(context.Background(), store.Options{DSN: path})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sdb.Migrate(context.Background(), time.Now); err != nil {
		t.Fatal(err)
	}
	if err := sdb.Close(); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db
}

func column[T any](t *testing.T, db *sql.DB, q string, args ...any) []T {
	t.Helper()
	rows, err := db.Query(q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func join(ss []string) string {
	out := ""
	for i, s := range ss {
		if i > 0 {
			out += ", "
		}
		out += s
	}
	return "(" + out + ")"
}
