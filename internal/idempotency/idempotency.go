// Package idempotency makes creating requests safe to retry: a request sent
// again with the same Idempotency-Key gets the first response instead of
// doing the work twice, and the same key with a different request is
// refused.
package idempotency

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// Record is a stored key.
type Record struct {
	TenantID    string
	Key         string
	RequestHash string
	State       string // pending or done
	Status      int
	Response    []byte
	CreatedAt   time.Time
}

// Record states.
const (
	Pending = "pending"
	Done    = "done"
)

// How long keys are remembered, and after how long a pending request is
// presumed lost (its process died) so that a retry may run it again.
const (
	TTL          = 24 * time.Hour
	PendingGrace = time.Minute
)

// Tx is what idempotency needs from storage.
type Tx interface {
	GetIdempotency(ctx context.Context, tenantID, key string) (Record, error)
	// ClaimIdempotency inserts r unless its key exists; it reports whether
	// it inserted. Of concurrent claims exactly one wins, on every engine.
	ClaimIdempotency(ctx context.Context, r Record) (bool, error)
	// ReplaceIdempotency overwrites the record of r's key if it is still the
	// one created at prev (compare and swap); it reports whether it did.
	ReplaceIdempotency(ctx context.Context, r Record, prev time.Time) (bool, error)
	PutIdempotency(ctx context.Context, r Record) error
	DeleteIdempotency(ctx context.Context, tenantID, key string) error
}

// Service checks and records idempotency keys.
type Service struct {
	Store txn.Runner[Tx]
	Clock clock.Clock
}

// Hash identifies a request by what it asks for.
func Hash(method, path string, body []byte) string {
	h := sha256.New()
	h.Write([]byte(method + " " + path + "\n"))
	h.Write(body)
	return hex.EncodeToString(h.Sum(nil))
}

// Begin claims key for a request. It returns the stored record when the
// request was already answered (replay it), nil when the caller should
// process the request and then call Finish or Abandon, or an error: a
// Conflict when the key belongs to a different request or the first
// request is still running.
func (s *Service) Begin(ctx context.Context, tenantID, key, hash string) (*Record, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	inProgress := errs.E(errs.Conflict, "request_in_progress",
		"a request with Idempotency-Key %q is still being processed; retry in a moment", key)
	return txn.Do(ctx, s.Store, func(tx Tx) (*Record, error) {
		now := s.Clock.Now()
		claim := Record{TenantID: tenantID, Key: key, RequestHash: hash, State: Pending, CreatedAt: now}
		r, err := tx.GetIdempotency(ctx, tenantID, key)
		var won bool
		switch {
		case errs.Is(err, errs.NotFound):
			won, err = tx.ClaimIdempotency(ctx, claim)
		case err != nil:
			return nil, err
		case now.Sub(r.CreatedAt) > TTL, r.State == Pending && now.Sub(r.CreatedAt) > PendingGrace:
			// expired, or its first request was lost: start over
			won, err = tx.ReplaceIdempotency(ctx, claim, r.CreatedAt)
		case r.RequestHash != hash:
			return nil, errs.E(errs.Conflict, "idempotency_key_reused",
				"Idempotency-Key %q was already used for a different request; use a new key for a new request", key)
		case r.State == Pending:
			return nil, inProgress
		default:
			return &r, nil
		}
		if err == nil && !won {
			err = inProgress // a concurrent request claimed the key first
		}
		return nil, err
	})
}

// Finish stores the response of a processed request.
func (s *Service) Finish(ctx context.Context, tenantID, key, hash string, status int, body []byte) error {
	return s.Store.Write(ctx, func(tx Tx) error {
		return tx.PutIdempotency(ctx, Record{TenantID: tenantID, Key: key, RequestHash: hash, State: Done,
			Status: status, Response: body, CreatedAt: s.Clock.Now()})
	})
}

// Abandon forgets a key whose request failed in a way worth retrying.
func (s *Service) Abandon(ctx context.Context, tenantID, key string) error {
	return s.Store.Write(ctx, func(tx Tx) error { return tx.DeleteIdempotency(ctx, tenantID, key) })
}

func checkKey(key string) error {
	if len(key) < 8 || len(key) > 200 {
		return errs.InvalidField("Idempotency-Key", "invalid_idempotency_key", "the Idempotency-Key header must be 8–200 characters; a UUID is a good choice")
	}
	for _, c := range key {
		if c < 0x21 || c > 0x7e {
			return errs.InvalidField("Idempotency-Key", "invalid_idempotency_key", "the Idempotency-Key header must be printable ASCII without spaces")
		}
	}
	return nil
}
