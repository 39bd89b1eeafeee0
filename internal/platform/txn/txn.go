// Package txn is the seam between domain services and storage. A domain
// package declares a Tx interface of the queries it needs; the store runs a
// function with an implementation of it, inside one write transaction or
// with read access. Domain code never sees SQL or a driver.
package txn

import "context"

// Runner runs functions with a T (a domain's Tx interface).
type Runner[T any] interface {
	// Write runs fn in one write transaction: all of it is committed, or,
	// if fn returns an error, none of it. fn may run more than once
	// (transient failures are retried), so it must not have effects
	// outside its transaction.
	Write(ctx context.Context, fn func(T) error) error
	// Rehearse runs fn as Write does, in a transaction that is always
	// rolled back: fn sees its own writes and nothing of it stays (a dry
	// run). Like Write, fn may run more than once.
	Rehearse(ctx context.Context, fn func(T) error) error
	// Read runs fn with read access: one snapshot where the engine allows
	// it, never a write.
	Read(ctx context.Context, fn func(T) error) error
}

// Get reads one value with fn.
func Get[T, V any](ctx context.Context, r Runner[T], fn func(T) (V, error)) (V, error) {
	var v V
	err := r.Read(ctx, func(tx T) error {
		var err error
		v, err = fn(tx)
		return err
	})
	return v, err
}

// Do writes with fn and returns the value it produced.
func Do[T, V any](ctx context.Context, r Runner[T], fn func(T) (V, error)) (V, error) {
	var v V
	err := r.Write(ctx, func(tx T) error {
		var err error
		v, err = fn(tx)
		return err
	})
	if err != nil {
		var zero V
		return zero, err
	}
	return v, nil
}
