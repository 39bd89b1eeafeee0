package app

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
)

// Backup writes a consistent copy of the running database to path (see
// store.DB.Backup): every write committed before it starts is in it.
func (a *App) Backup(ctx context.Context, path string) error {
	return a.DB.Backup(ctx, a.Config.DSN(), path)
}

// BackupName is the file a scheduled backup taken at t goes to in dir.
func (a *App) BackupName(dir string, t time.Time) string {
	ext := ".db"
	if a.DB.Engine() == store.Postgres {
		ext = ".dump"
	}
	return filepath.Join(dir, "loyal-"+t.UTC().Format("20060102T150405Z")+ext)
}

// BackupEvery takes a backup into dir now and then every period until ctx
// ends, keeping the newest keep (0: all). A failed backup is logged and
// the schedule goes on; done is told each file written.
func (a *App) BackupEvery(ctx context.Context, dir string, every time.Duration, keep int, done func(string)) {
	for {
		path := a.BackupName(dir, a.Clock.Now())
		if err := a.Backup(ctx, path); err != nil {
			a.Log.ErrorContext(ctx, "backup failed", "path", path, "err", err)
		} else {
			done(path)
			if err := prune(dir, keep); err != nil {
				a.Log.ErrorContext(ctx, "pruning old backups failed", "dir", dir, "err", err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(every):
		}
	}
}

// prune removes all but the newest keep backups in dir (their names sort
// by time).
func prune(dir string, keep int) error {
	if keep <= 0 {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var names []string
	for _, e := range entries {
		if n := e.Name(); strings.HasPrefix(n, "loyal-") && (strings.HasSuffix(n, ".db") || strings.HasSuffix(n, ".dump")) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	for len(names) > keep {
		if err := os.Remove(filepath.Join(dir, names[0])); err != nil {
			return err
		}
		names = names[1:]
	}
	return nil
}

// Restore puts the backup at src back as the database of cfg (the server
// stopped), migrates it if it is older than this release, and runs the
// ledger check on every tenant; the problems it finds are returned.
func Restore(ctx context.Context, cfg config.Config, src string, log *slog.Logger, clk clock.Clock) ([]ledger.Problem, error) {
	if path, sqlite := cfg.SQLiteFile(); sqlite {
		if err := store.RestoreSQLite(ctx, src, path); err != nil {
			return nil, err
		}
	} else if err := store.RestorePostgres(ctx, cfg.DSN(), src); err != nil {
		return nil, err
	}
	a, err := Open(ctx, cfg, log, clk)
	if err != nil {
		return nil, fmt.Errorf("open the restored database: %w", err)
	}
	defer a.Close()
	return a.Ledger.Check(ctx, "")
}
