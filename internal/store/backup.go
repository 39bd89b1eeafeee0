package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// ErrNoPgDump says that a PostgreSQL backup needs pg_dump (or pg_restore),
// which is not installed; docs/OPERATIONS.md gives the commands to run.
var ErrNoPgDump = errors.New("pg_dump / pg_restore is not installed: install PostgreSQL's client tools, " +
	"or run: pg_dump --format=custom --file=loyal.dump \"$LOYAL_DATABASE_URL\" (and pg_restore --clean --if-exists --no-owner -d \"$LOYAL_DATABASE_URL\" loyal.dump)")

// Backup writes a consistent copy of the database to path, while writes go
// on. SQLite: VACUUM INTO from a snapshot (one read transaction), written
// beside path and renamed into place, so path is a whole backup or
// nothing. PostgreSQL: pg_dump's custom format.
func (db *DB) Backup(ctx context.Context, dsn, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return err
	}
	if db.engine == Postgres {
		return pgTool(ctx, "pg_dump", dsn, "--format=custom", "--no-owner", "--file="+path)
	}
	tmp := path + ".partial"
	_ = os.Remove(tmp)
	// A connection of its own, not the read pool's (query_only) nor the
	// writer's (which VACUUM INTO would hold up for the whole copy).
	c, err := sql.Open("sqlite", sqliteDSN(sqlitePath(dsn), false))
	if err != nil {
		return err
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, "VACUUM INTO $1", tmp); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("sqlite backup: %w", err)
	}
	return os.Rename(tmp, path)
}

// RestoreSQLite replaces the SQLite database at dst with the backup at src,
// after checking the backup's integrity. The server must be stopped. The
// database it replaces is kept as dst + ".before-restore". Its write-ahead
// log goes with it: replayed onto the backup, it would corrupt it.
func RestoreSQLite(ctx context.Context, src, dst string) error {
	if err := checkSQLiteFile(ctx, src); err != nil {
		return fmt.Errorf("backup %s: %w", src, err)
	}
	dst = sqlitePath(dst)
	tmp := dst + ".restoring"
	if err := copyFile(src, tmp); err != nil {
		return err
	}
	if _, err := os.Stat(dst); err == nil {
		if err := os.Rename(dst, dst+".before-restore"); err != nil {
			return err
		}
	}
	for _, side := range []string{"-wal", "-shm"} {
		if err := os.Remove(dst + side); err != nil && !errors.Is(err, os.ErrNotExist) {
			return err
		}
	}
	return os.Rename(tmp, dst)
}

// RestorePostgres loads a pg_dump custom-format file into the database,
// replacing the objects it holds.
func RestorePostgres(ctx context.Context, dsn, src string) error {
	return pgTool(ctx, "pg_restore", dsn, "--clean", "--if-exists", "--no-owner", "--single-transaction", src)
}

func checkSQLiteFile(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err != nil {
		return err
	}
	c, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		return err
	}
	defer c.Close()
	var res string
	if err := c.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&res); err != nil {
		return fmt.Errorf("not a readable SQLite database: %w", err)
	}
	if res != "ok" {
		return fmt.Errorf("integrity check failed: %s", res)
	}
	return nil
}

func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := os.OpenFile(dst, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, in); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

// pgTool runs pg_dump or pg_restore on the database of dsn. A search_path
// in the URL (which libpq does not take) becomes --schema: one schema.
func pgTool(ctx context.Context, tool, dsn string, args ...string) error {
	bin, err := exec.LookPath(tool)
	if err != nil {
		return ErrNoPgDump
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return fmt.Errorf("database URL: %w", err)
	}
	q := u.Query()
	if sp := q.Get("search_path"); sp != "" {
		args = append([]string{"--schema=" + sp}, args...)
		q.Del("search_path")
		u.RawQuery = q.Encode()
	}
	args = append([]string{"--dbname=" + u.String()}, args...)
	out, err := exec.CommandContext(ctx, bin, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", tool, err, strings.TrimSpace(string(out)))
	}
	return nil
}
