// Package recorder is the fake of a message provider (SMS, push) for
// tests: it keeps what it was given and can be told to fail.
package recorder

import (
	"context"
	"errors"
	"sync"
)

// Recorder records messages of type M; its Send has the shape of the
// providers' Sender interfaces.
type Recorder[M any] struct {
	mu   sync.Mutex
	sent []M
	fail int
}

// ErrUnavailable is what a send fails with after FailNext.
var ErrUnavailable = errors.New("provider unavailable (test)")

// Send records m, or fails if FailNext asked it to.
func (r *Recorder[M]) Send(_ context.Context, m M) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fail > 0 {
		r.fail--
		return ErrUnavailable
	}
	r.sent = append(r.sent, m)
	return nil
}

// FailNext makes the next n sends fail.
func (r *Recorder[M]) FailNext(n int) { r.mu.Lock(); r.fail = n; r.mu.Unlock() }

// Sent returns the messages recorded so far.
func (r *Recorder[M]) Sent() []M {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]M(nil), r.sent...)
}
