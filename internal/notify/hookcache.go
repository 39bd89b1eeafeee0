package notify

import (
	"context"
	"sync"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// hookTTL is how long a relay trusts the webhooks it read: a change made
// through another replica applies to deliveries within it (a rotated
// secret keeps signing during its overlap anyway).
const hookTTL = time.Second

// hookCache keeps each tenant's webhooks for hookTTL, so that deliveries
// cost no query each; changes in this process clear it at once.
type hookCache struct {
	mu sync.Mutex
	m  map[string]cachedHooks
}

type cachedHooks struct {
	list []Webhook
	at   time.Time
}

func (c *hookCache) forget(tenantID string) {
	c.mu.Lock()
	delete(c.m, tenantID)
	c.mu.Unlock()
}

// webhooks returns a tenant's webhooks, from the cache when fresh.
func (s *Service) webhooks(ctx context.Context, tenantID string) ([]Webhook, error) {
	return s.cachedHooks(tenantID, func() ([]Webhook, error) {
		return txn.Get(ctx, s.Store, func(tx Tx) ([]Webhook, error) { return tx.ListWebhooks(ctx, tenantID) })
	})
}

// webhooksIn is webhooks read, on a miss, in the caller's transaction.
func (s *Service) webhooksIn(ctx context.Context, tx publishTx, tenantID string) ([]Webhook, error) {
	return s.cachedHooks(tenantID, func() ([]Webhook, error) { return tx.ListWebhooks(ctx, tenantID) })
}

func (s *Service) cachedHooks(tenantID string, read func() ([]Webhook, error)) ([]Webhook, error) {
	c := &s.cache
	c.mu.Lock()
	e, ok := c.m[tenantID]
	c.mu.Unlock()
	if ok && time.Since(e.at) < hookTTL {
		return e.list, nil
	}
	list, err := read()
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cachedHooks{}
	}
	c.m[tenantID] = cachedHooks{list: list, at: time.Now()}
	c.mu.Unlock()
	return list, nil
}

// attemptLog gathers delivery attempts, to be written with the relay's
// batch (one transaction) rather than one write each.
type attemptLog struct {
	mu   sync.Mutex
	rows map[string][]Attempt // by tenant
}

func (l *attemptLog) add(tenantID string, a Attempt) {
	l.mu.Lock()
	if l.rows == nil {
		l.rows = map[string][]Attempt{}
	}
	l.rows[tenantID] = append(l.rows[tenantID], a)
	l.mu.Unlock()
}

// TakeLogs takes the attempts gathered so far and returns what writes
// them in the relay's batch transaction (Relay.Logs).
func (s *Service) TakeLogs() func(ctx context.Context, tx OutboxTx) error {
	l := &s.attempts
	l.mu.Lock()
	rows := l.rows
	l.rows = nil
	l.mu.Unlock()
	return func(ctx context.Context, tx OutboxTx) error {
		wtx, ok := tx.(WebhookTx)
		if !ok {
			return nil
		}
		for tenantID, as := range rows {
			if err := wtx.InsertAttempts(ctx, tenantID, as); err != nil {
				return err
			}
		}
		return nil
	}
}
