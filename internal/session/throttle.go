package session

import (
	"context"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
)

// Failures counts failed sign-ins of one subject: an account
// ("account:<e-mail>") or an address ("address:<ip>").
type Failures struct {
	TenantID    string
	Subject     string
	Count       int
	Last        time.Time
	LockedUntil time.Time
}

// FailureTx stores failure counts.
type FailureTx interface {
	GetFailures(ctx context.Context, tenantID, subject string) (Failures, error)
	// AddFailure counts one more failure atomically (concurrent guesses
	// each count), starting over when the last one is older than reset, and
	// returns the new state.
	AddFailure(ctx context.Context, tenantID, subject string, at time.Time, reset time.Duration) (Failures, error)
	SetLockedUntil(ctx context.Context, tenantID, subject string, until time.Time) error
	ClearFailures(ctx context.Context, tenantID, subject string) error
}

// Limit is how many failures are free and how the lock-out grows: after
// Free failures each further one locks the subject out for Base, doubled
// per failure, at most Max.
type Limit struct {
	Free int
	Base time.Duration
	Max  time.Duration
}

// The limits of sign-in: an account is locked after 5 wrong passwords for
// a minute, then 2, 4… up to an hour; an address after 20 failures (on any
// account) likewise. Failures are forgotten after a day without one.
var (
	AccountLimit = Limit{Free: 5, Base: time.Minute, Max: time.Hour}
	AddressLimit = Limit{Free: 20, Base: time.Minute, Max: time.Hour}
	forgetAfter  = 24 * time.Hour
)

// lockFor is how long the count-th failure locks out.
func (l Limit) lockFor(count int) time.Duration {
	if count < l.Free {
		return 0
	}
	d := l.Base
	for i := l.Free; i < count && d < l.Max; i++ {
		d *= 2
	}
	return min(d, l.Max)
}

// ErrLocked is the error of a locked-out sign-in, saying when to retry.
func ErrLocked(until, now time.Time) error {
	mins := int(until.Sub(now).Round(time.Minute) / time.Minute)
	return errs.E(errs.RateLimited, "locked_out", "too many failed sign-ins: try again in %d minute(s), or reset your password", max(mins, 1))
}

// LockedUntil returns when the subject may try again (zero: now).
func LockedUntil(ctx context.Context, tx FailureTx, tenantID, subject string, now time.Time) (time.Time, error) {
	f, err := tx.GetFailures(ctx, tenantID, subject)
	if errs.Is(err, errs.NotFound) {
		return time.Time{}, nil
	}
	if err != nil || !now.Before(f.LockedUntil) {
		return time.Time{}, err
	}
	return f.LockedUntil, nil
}

// Fail records a failure of the subject and locks it out per the limit.
func Fail(ctx context.Context, tx FailureTx, tenantID, subject string, l Limit, now time.Time) error {
	f, err := tx.AddFailure(ctx, tenantID, subject, now, forgetAfter)
	if err != nil {
		return err
	}
	if d := l.lockFor(f.Count); d > 0 {
		return tx.SetLockedUntil(ctx, tenantID, subject, now.Add(d))
	}
	return nil
}
