package store

import (
	"context"

	"github.com/loyal-b2b/loyal/internal/analytics"
	"github.com/loyal-b2b/loyal/internal/audit"
	"github.com/loyal-b2b/loyal/internal/card"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/coupon"
	"github.com/loyal-b2b/loyal/internal/goal"
	"github.com/loyal-b2b/loyal/internal/idempotency"
	"github.com/loyal-b2b/loyal/internal/importer"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/membership"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/occasion"
	"github.com/loyal-b2b/loyal/internal/partner"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/promo"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/segment"
	"github.com/loyal-b2b/loyal/internal/session"
	"github.com/loyal-b2b/loyal/internal/simulate"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/wallet"
)

// *Tx implements every domain's Tx interface; these lines make the compiler
// check it.
var (
	_ tenant.Tx      = (*Tx)(nil)
	_ party.Tx       = (*Tx)(nil)
	_ program.Tx     = (*Tx)(nil)
	_ audit.Reader   = (*Tx)(nil)
	_ audit.Writer   = (*Tx)(nil)
	_ idempotency.Tx = (*Tx)(nil)
	_ ledger.Tx      = (*Tx)(nil)
	_ membership.Tx  = (*Tx)(nil)
	_ claim.Tx       = (*Tx)(nil)
	_ referral.Tx    = (*Tx)(nil)
	_ promo.Tx       = (*Tx)(nil)
	_ reward.Tx      = (*Tx)(nil)
	_ goal.Tx        = (*Tx)(nil)
	_ occasion.Tx    = (*Tx)(nil)
	_ partner.Tx     = (*Tx)(nil)
	_ importer.Tx    = (*Tx)(nil)
	_ simulate.Tx    = (*Tx)(nil)
	_ analytics.Tx   = (*Tx)(nil)
	_ segment.Tx     = (*Tx)(nil)
	_ coupon.Tx      = (*Tx)(nil)
	_ session.Tx     = (*Tx)(nil)
	_ notify.Tx      = (*Tx)(nil)
	_ card.Tx        = (*Tx)(nil)
	_ wallet.Tx      = (*Tx)(nil)
)

// Binding presents a DB as a domain Store: it runs functions that take the
// domain's Tx interface T, which *Tx implements.
type Binding[T any] struct{ DB *DB }

// Bind returns db as a Store of the domain whose Tx interface is T.
func Bind[T any](db *DB) Binding[T] {
	if _, ok := any((*Tx)(nil)).(T); !ok {
		panic("store: *Tx does not implement the requested domain Tx interface")
	}
	return Binding[T]{DB: db}
}

// Write runs fn in a write transaction.
func (b Binding[T]) Write(ctx context.Context, fn func(T) error) error {
	return b.DB.Write(ctx, func(tx *Tx) error { return fn(any(tx).(T)) })
}

// Rehearse runs fn in a write transaction that is always rolled back.
func (b Binding[T]) Rehearse(ctx context.Context, fn func(T) error) error {
	return b.DB.Rehearse(ctx, func(tx *Tx) error { return fn(any(tx).(T)) })
}

// Read runs fn with read access.
func (b Binding[T]) Read(ctx context.Context, fn func(T) error) error {
	return b.DB.Read(ctx, func(tx *Tx) error { return fn(any(tx).(T)) })
}
