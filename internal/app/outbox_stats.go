package app

import (
	"context"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/store"
)

// outboxStats reads the outbox's figures for a scrape at most every few
// seconds, so that scrapes cost the database little.
type outboxStats struct {
	db   *store.DB
	mu   sync.Mutex
	at   time.Time
	last notify.Stats
}

func (o *outboxStats) get() notify.Stats {
	o.mu.Lock()
	defer o.mu.Unlock()
	if time.Since(o.at) < 5*time.Second {
		return o.last
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = store.Bind[notify.OutboxTx](o.db).Read(ctx, func(tx notify.OutboxTx) error {
		s, err := tx.OutboxStats(ctx)
		if err == nil {
			o.last = s
		}
		return err
	})
	o.at = time.Now()
	return o.last
}

func (o *outboxStats) age(now time.Time) float64 {
	s := o.get()
	if s.Oldest.IsZero() {
		return 0
	}
	return now.Sub(s.Oldest).Seconds()
}
