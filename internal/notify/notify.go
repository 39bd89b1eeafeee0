// Package notify is messaging: the outbox relay that delivers what other
// services queued in their transactions, signed webhooks to integrators,
// and messages to people by e-mail, SMS, push and the portal's inbox.
//
// Delivery is at least once: a message leaves the outbox only after its
// handler succeeded, so a relay that dies mid-batch resends what it had
// not recorded; every copy carries the same message id (the outbox row's)
// for receivers to drop duplicates.
package notify

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Item is one outbox row a relay holds.
type Item struct {
	TenantID  string          `json:"-"`
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Payload   json.RawMessage `json:"payload"`
	Attempts  int             `json:"attempts"` // before this one
	CreatedAt time.Time       `json:"created_at"`
	DeadAt    *time.Time      `json:"dead_at,omitempty"`
	LastError string          `json:"last_error,omitempty"`
}

// Key names an outbox row.
type Key struct{ TenantID, ID string }

// Row is an outbox row to queue.
type Row struct {
	ID        string
	Kind      string
	Payload   any // marshalled to JSON
	CreatedAt time.Time
}

// Failure is the result of one failed attempt.
type Failure struct {
	TenantID, ID string
	Attempts     int       // including this one
	Due          time.Time // the next attempt
	Dead         bool      // no more attempts
	Error        string
}

// Stats describe the outbox for metrics.
type Stats struct {
	Queued int64     // waiting (due or not), not dead
	Dead   int64     // in dead-letter
	Oldest time.Time // creation of the oldest waiting row; zero if none
}

// OutboxTx is the relay's storage.
type OutboxTx interface {
	// ClaimOutbox leases up to limit due rows to owner until until, oldest
	// first, skipping rows another relay holds.
	ClaimOutbox(ctx context.Context, owner string, now, until time.Time, limit int) ([]Item, error)
	// MarkSent records delivery, if owner still holds the row; it reports
	// whether it did (only then are follow-up rows queued).
	MarkSent(ctx context.Context, owner, tenantID, id string, at time.Time) (bool, error)
	// MarkSentMany is MarkSent for many rows at once; it returns those
	// owner still held (the ones it marked).
	MarkSentMany(ctx context.Context, owner string, keys []Key, at time.Time) ([]Key, error)
	MarkFailed(ctx context.Context, owner string, f Failure, at time.Time) error
	QueueRows(ctx context.Context, tenantID string, rows []Row) error
	// ReplayOutbox makes a dead row due again with its attempts reset.
	ReplayOutbox(ctx context.Context, tenantID, id string, at time.Time) (bool, error)
	DeadOutbox(ctx context.Context, tenantID string, r page.Request) ([]Item, error)
	GetOutbox(ctx context.Context, tenantID, id string) (Item, error)
	OutboxStats(ctx context.Context) (Stats, error)
}

// Handler delivers the outbox rows of one kind. It returns rows to queue
// once the item is recorded as delivered (a fan-out), or an error to
// retry; an error wrapped by Permanent goes to dead-letter at once.
type Handler interface {
	Deliver(ctx context.Context, it Item) ([]Row, error)
}

// HandlerFunc is a function as a Handler.
type HandlerFunc func(ctx context.Context, it Item) ([]Row, error)

// Deliver calls f.
func (f HandlerFunc) Deliver(ctx context.Context, it Item) ([]Row, error) { return f(ctx, it) }

type permanent struct{ error }

func (p permanent) Unwrap() error { return p.error }

// Permanent marks an error retrying cannot fix (a malformed payload, a
// recipient that no longer exists).
func Permanent(err error) error { return permanent{err} }

// IsPermanent reports whether err was marked Permanent.
func IsPermanent(err error) bool { var p permanent; return errors.As(err, &p) }

type deferral struct{ until time.Time }

func (d deferral) Error() string { return "deferred until " + d.until.Format(time.RFC3339) }

// Defer is a handler's answer for a message that must wait (quiet hours,
// a frequency cap): it is tried again at until, without using an attempt.
func Defer(until time.Time) error { return deferral{until} }

// OutboxStore runs functions with an OutboxTx.
type OutboxStore = txn.Runner[OutboxTx]
