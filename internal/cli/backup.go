package cli

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/store"
)

type backupCmd struct {
	Out   string        `help:"File to write (default: loyal-<time>.db, or .dump on PostgreSQL, in --dir)." placeholder:"FILE"`
	Dir   string        `help:"Directory of backups (default: <data-dir>/backups)." placeholder:"DIR"`
	Every time.Duration `help:"Keep running and take a backup every PERIOD (e.g. 6h); 0: once." placeholder:"PERIOD"`
	Keep  int           `help:"With --every: keep the newest N backups in --dir, removing older ones; 0: all." placeholder:"N"`
}

func (c *backupCmd) Run(e *env) error {
	if c.Every < 0 || (c.Every > 0 && c.Every < time.Minute) || c.Keep < 0 || (c.Every > 0 && c.Out != "") {
		return errors.New("--every must be 0 or at least 1m, --keep 0 or more, and --every writes into --dir (not --out)")
	}
	return withApp(e, func(ctx context.Context, a *app.App) error {
		dir := c.Dir
		if dir == "" {
			dir = filepath.Join(e.cfg.DataDir, "backups")
		}
		if c.Every > 0 {
			fmt.Fprintf(e.out, "backing up into %s every %s (Ctrl+C stops)\n", dir, c.Every)
			a.BackupEvery(ctx, dir, c.Every, c.Keep, func(p string) { fmt.Fprintf(e.out, "backup written: %s\n", p) })
			return nil
		}
		path := c.Out
		if path == "" {
			path = a.BackupName(dir, a.Clock.Now())
		}
		start := time.Now()
		if err := a.Backup(ctx, path); err != nil {
			if errors.Is(err, store.ErrNoPgDump) {
				return fmt.Errorf("%w (docs/OPERATIONS.md)", err)
			}
			return err
		}
		fmt.Fprintf(e.out, "backup written: %s (%s)\n", path, time.Since(start).Round(time.Millisecond))
		return nil
	})
}

type restoreCmd struct {
	From string `arg:"" help:"The backup file (loyal backup's .db for SQLite, .dump for PostgreSQL)." type:"existingfile"`
}

func (c *restoreCmd) Run(e *env) error {
	if err := e.cfg.Check(); err != nil {
		return err
	}
	ctx, stop := signalContext()
	defer stop()
	probs, err := app.Restore(ctx, e.cfg, c.From, e.log, e.clock)
	if err != nil {
		return err
	}
	if path, sqlite := e.cfg.SQLiteFile(); sqlite {
		fmt.Fprintf(e.out, "restored %s into %s (the database it replaced: %s.before-restore)\n", c.From, path, path)
	} else {
		fmt.Fprintf(e.out, "restored %s into the PostgreSQL database\n", c.From)
	}
	for _, p := range probs {
		fmt.Fprintf(e.out, "%s\ttenant %s\t%s\t%s\n", p.Kind, p.Tenant, p.Entity, p.Detail)
	}
	if len(probs) > 0 {
		fmt.Fprintf(e.errOut, "ledger check: %d problems\n", len(probs))
		return exitError(1)
	}
	fmt.Fprintln(e.out, "ledger check: OK")
	return nil
}
