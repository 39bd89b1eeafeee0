package events

import (
	"errors"
	"fmt"
)

// TxChecker is implemented by a hook or source that presents the
// ingestion's transaction as its own storage interface (TxAs): CheckTx
// says whether a transaction of tx's type can be.
type TxChecker interface {
	CheckTx(tx Tx) error
}

// Needs is CheckTx for a part whose storage interface is T.
func Needs[T any](tx Tx) error {
	_, err := TxAs[T](tx)
	return err
}

// CheckWiring checks, with a transaction of the store's type (a nil
// pointer of it will do), that every hook and source can present it as the
// storage it needs: a store that lacks a query fails when the app is wired,
// not at the first event that reaches the hook.
func (s *Service) CheckWiring(tx Tx) error {
	var all []error
	for _, part := range s.parts() {
		if c, ok := part.(TxChecker); ok {
			if err := c.CheckTx(tx); err != nil {
				all = append(all, fmt.Errorf("%T: %w", part, err))
			}
		}
	}
	return errors.Join(all...)
}

// parts lists the hooks and sources that run in ingestion's transactions.
func (s *Service) parts() []any {
	out := make([]any, 0, len(s.Hooks)+4)
	for _, h := range s.Hooks {
		out = append(out, h)
	}
	for _, p := range []any{s.Codes, s.Coupons, s.Plans, s.Segments} {
		if p != nil {
			out = append(out, p)
		}
	}
	return out
}
