// Package lots is the arithmetic of points held in lots, shared by the
// ledger (internal/ledger, which applies it to stored lots and balances)
// and the simulator (internal/simulate, which applies it in memory), so
// that a simulation cannot drift from what the ledger does: which lot a
// spend takes first, what part of a credit repays a wallet's debt, what a
// take leaves the lots, how far a clawback reaches under each policy, and
// how activity pushes back expiry after inactivity. It is pure: no I/O, no
// clock.
package lots

import (
	"cmp"
	"time"
)

// Clawback policies: what a return takes when the points of the lot it
// claws back were already (partly) spent.
const (
	SourceOnly    = "source_only"    // only what is left in the lot
	OtherLots     = "other_lots"     // the rest from other available lots, down to zero
	AllowNegative = "allow_negative" // the rest from other lots, then below zero to the limit
)

// Policies lists the clawback policies.
var Policies = []string{SourceOnly, OtherLots, AllowNegative}

// Netted is how much of a credit of amount to the available bucket goes
// into lots, given the wallet's available balance after the credit: a
// wallet below zero is owed its debt first, which takes that part.
func Netted(amount, availableAfter int64) int64 {
	return min(amount, max(availableAfter, 0))
}

// Covered is how much of a take of amount from the available bucket the
// lots held, given the balance after it: the part below zero (a spend into
// debt, as far as the point type allows) was never in a lot.
func Covered(amount, availableAfter int64) int64 {
	return min(amount, max(availableAfter+amount, 0))
}

// ClawRest is how much of rest — a clawback's part the lot no longer
// holds — is taken from the wallet's other points under policy, given the
// wallet's available balance and how far below zero it may go.
func ClawRest(policy string, rest, available, negativeLimit int64) int64 {
	switch policy {
	case OtherLots:
		return min(rest, max(available, 0))
	case AllowNegative:
		return min(rest, max(available+negativeLimit, 0))
	}
	return 0 // SourceOnly
}

// Never is how a lot that never expires orders: after every real expiry
// (9999-12-31T23:59:59.999Z in milliseconds, as stored).
const Never int64 = 253402300799999

// Key is what orders a wallet's lots for spending: earliest expiry first,
// then the earliest earned, then creation (the ledger's lot id, which is
// time-ordered; the simulator's sequence).
type Key struct {
	ExpiresMs int64 // Never when the lot does not expire
	Earned    time.Time
	Seq       int64
	ID        string
}

// Compare orders two lots as spends take them.
func Compare(a, b Key) int {
	return cmp.Or(cmp.Compare(a.ExpiresMs, b.ExpiresMs), a.Earned.Compare(b.Earned), cmp.Compare(a.Seq, b.Seq), cmp.Compare(a.ID, b.ID))
}

// ExpiresMs is an expiry as Key orders it.
func ExpiresMs(t *time.Time) int64 {
	if t == nil {
		return Never
	}
	return t.UnixMilli()
}

// AfterInactivity is when a wallet's points expire once it had activity
// (an earn or a spend) at t, under an expiry of months of inactivity: the
// later of t + months and the expiry its points already had (a late,
// back-dated activity moves nothing back). latest is the latest expiry of
// its live lots (nil: none).
func AfterInactivity(months int, t time.Time, latest *time.Time) time.Time {
	at := t.UTC().AddDate(0, months, 0)
	if latest != nil && latest.After(at) {
		return *latest
	}
	return at
}
