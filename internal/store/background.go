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

// background is work a database runs on a goroutine of its own until it is
// closed. Close stops it and waits for it to end before it closes the
// connections that work uses: a round still running would otherwise fail
// on a closed pool and log that failure after Close had returned, into a
// logger its owner may already be reading.
type background struct {
	stop context.CancelFunc
	done chan struct{}
}

// startBackground runs fn every interval (runEvery) until close.
func startBackground(every time.Duration, log *slog.Logger, what string, fn func(context.Context) error) *background {
	ctx, stop := context.WithCancel(context.Background())
	b := &background{stop: stop, done: make(chan struct{})}
	go func() {
		defer close(b.done)
		runEvery(ctx, every, log, what, fn)
	}()
	return b
}

// close stops the work and waits for its round in progress, if any.
func (b *background) close() {
	b.stop()
	<-b.done
}
