package store

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// Migration is one numbered, append-only schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
	// Engine, when set, is the only engine the change is for (a file
	// named NNNN_name.postgres.sql): on the other it is recorded as
	// applied without running, so versions stay one sequence.
	Engine Engine
}

// Migrations returns the embedded migrations in order.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		return nil, err
	}
	var out []Migration
	for _, e := range entries {
		name := e.Name()
		num, rest, ok := strings.Cut(strings.TrimSuffix(name, ".sql"), "_")
		rest, only, _ := strings.Cut(rest, ".")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration %s: name must be NNNN_description.sql", name)
		}
		if only != "" && only != string(Postgres) && only != string(SQLite) {
			return nil, fmt.Errorf("migration %s: %q is not an engine (NNNN_description.postgres.sql)", name, only)
		}
		body, err := fs.ReadFile(migrationFS, "migrations/"+name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: rest, SQL: string(body), Engine: Engine(only)})
	}
	slices.SortFunc(out, func(a, b Migration) int { return a.Version - b.Version })
	for i, m := range out {
		if m.Version != i+1 {
			return nil, fmt.Errorf("migration %d_%s: versions must run 1, 2, 3… without gaps", m.Version, m.Name)
		}
	}
	return out, nil
}

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version BIGINT NOT NULL PRIMARY KEY,
	name TEXT NOT NULL,
	applied_ms BIGINT NOT NULL
)`

// Migrate applies every migration not yet applied, each in its own
// transaction, and returns the versions it applied. Concurrent Migrate calls
// (several replicas starting at once) are safe: PostgreSQL serializes them
// with an advisory lock, SQLite with its single writer.
func (db *DB) Migrate(ctx context.Context, now func() time.Time) ([]int, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	// The lock first: replicas creating the table at once would otherwise
	// race in PostgreSQL's catalog ("relation already exists").
	if err := db.Write(ctx, func(tx *Tx) error {
		if err := tx.lockMigrations(ctx); err != nil {
			return err
		}
		_, err := tx.q.ExecContext(ctx, createMigrationsTable)
		return err
	}); err != nil {
		return nil, fmt.Errorf("create schema_migrations: %w", err)
	}
	var applied []int
	for _, m := range all {
		ran := false
		err := db.Write(ctx, func(tx *Tx) error {
			ran = false
			if err := tx.lockMigrations(ctx); err != nil {
				return err
			}
			var n int
			if err := tx.q.QueryRowContext(ctx, `SELECT COUNT(*) FROM schema_migrations WHERE version = $1`, m.Version).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				return nil
			}
			if m.Engine == "" || m.Engine == tx.Engine() { // another engine's change is only recorded
				if _, err := tx.q.ExecContext(ctx, m.SQL); err != nil {
					return err
				}
			}
			ran = true
			_, err := tx.q.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_ms) VALUES ($1, $2, $3)`,
				m.Version, m.Name, now().UnixMilli())
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migration %d_%s: %w", m.Version, m.Name, err)
		}
		if ran {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// SchemaVersion returns the highest applied migration and the highest known.
func (db *DB) SchemaVersion(ctx context.Context) (applied, known int, err error) {
	all, err := Migrations()
	if err != nil {
		return 0, 0, err
	}
	err = db.read.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM schema_migrations`).Scan(&applied)
	return applied, len(all), err
}
