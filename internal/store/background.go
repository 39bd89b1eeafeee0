package store

import (
	"context"
	"log/slog"
	"time"
)

// runEvery calls fn every interval until ctx ends (the database's
// background work: analyzing young PostgreSQL tables, checkpointing
// SQLite's log). A failure is logged as what failed, and the next round
// goes on.
func runEvery(ctx context.Context, every time.Duration, log *slog.Logger, what string, fn func(context.Context) error) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := fn(ctx); err != nil && ctx.Err() == nil {
			log.Warn(what, "err", err)
		}
	}
}
