// Package throttle limits how often something may happen per key (an API
// key's id, a client address, a tenant, an e-mail at a sign-in page):
// token buckets (golang.org/x/time/rate) kept in memory per key, on a
// clock that tests fake. Two uses: Allow for a rate (requests of a
// tenant), and Blocked then Fail for failures (wrong secrets), where only
// failures take tokens and a key out of tokens is refused before it is
// checked at all. Each process limits on its own; replicas each allow the
// rate.
package throttle

import (
	"math"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
)

// Rate is a token bucket's shape: Burst tokens at most, one more every
// Every. The zero Rate is unlimited.
type Rate struct {
	Every time.Duration
	Burst int
}

// PerMinute is a rate of n a minute with a burst of n.
func PerMinute(n int) Rate { return Rate{Every: time.Minute / time.Duration(max(n, 1)), Burst: n} }

// PerSecond is a rate of n a second with a burst of twice that.
func PerSecond(n int) Rate { return Rate{Every: time.Second / time.Duration(max(n, 1)), Burst: 2 * n} }

// Unlimited reports whether r limits nothing.
func (r Rate) Unlimited() bool { return r.Every <= 0 || r.Burst <= 0 }

func (r Rate) limit() rate.Limit { return rate.Every(r.Every) }

// DefaultMaxKeys bounds the keys a Limiter remembers.
const DefaultMaxKeys = 100_000

// Limiter keeps a bucket per key. Buckets that are full again are
// forgotten, so memory follows the keys active lately; past MaxKeys (an
// attack from very many addresses) some are forgotten at random.
type Limiter struct {
	Clock   clock.Clock
	MaxKeys int // 0: DefaultMaxKeys

	mu      sync.Mutex
	buckets map[string]*rate.Limiter
	sweepAt int // size at which full buckets are next dropped
}

// New returns a limiter on clk.
func New(clk clock.Clock) *Limiter { return &Limiter{Clock: clk} }

// Allow takes a token from key's bucket at rate r. When there is none it
// reports false and how long until there is one.
func (l *Limiter) Allow(key string, r Rate) (bool, time.Duration) {
	if r.Unlimited() {
		return true, 0
	}
	now := l.Clock.Now()
	b := l.bucket(key, r, now)
	if b.AllowN(now, 1) {
		return true, 0
	}
	return false, wait(b, now)
}

// Blocked reports, taking nothing, whether key's bucket at rate r is
// empty, and how long until it holds a token again.
func (l *Limiter) Blocked(key string, r Rate) (bool, time.Duration) {
	if r.Unlimited() {
		return false, 0
	}
	l.mu.Lock()
	b := l.buckets[key]
	l.mu.Unlock()
	if b == nil {
		return false, 0
	}
	now := l.Clock.Now()
	if b.TokensAt(now) >= 1 {
		return false, 0
	}
	return true, wait(b, now)
}

// Fail takes a token from key's bucket at rate r (a failure); the key is
// Blocked once its failures used up the burst.
func (l *Limiter) Fail(key string, r Rate) {
	if !r.Unlimited() {
		now := l.Clock.Now()
		l.bucket(key, r, now).AllowN(now, 1)
	}
}

// wait is how long until b holds a whole token.
func wait(b *rate.Limiter, now time.Time) time.Duration {
	missing := 1 - b.TokensAt(now)
	if missing <= 0 {
		return 0
	}
	return time.Duration(math.Ceil(missing / float64(b.Limit()) * float64(time.Second)))
}

// bucket returns key's bucket, made (full) if new and set to rate r.
func (l *Limiter) bucket(key string, r Rate, now time.Time) *rate.Limiter {
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[key]
	if b == nil {
		if l.buckets == nil {
			l.buckets = map[string]*rate.Limiter{}
		}
		l.sweep(now)
		b = rate.NewLimiter(r.limit(), r.Burst)
		l.buckets[key] = b
		return b
	}
	if b.Limit() != r.limit() || b.Burst() != r.Burst { // the rate of a key changed (a tenant's setting)
		b.SetLimitAt(now, r.limit())
		b.SetBurstAt(now, r.Burst)
	}
	return b
}

// sweep drops full buckets when the map has doubled since the last sweep
// or reached MaxKeys, and beyond 90% of MaxKeys forgets keys at random
// (leaving room, so that the next sweep is not the next insert). Called
// with mu held.
func (l *Limiter) sweep(now time.Time) {
	limit := l.MaxKeys
	if limit <= 0 {
		limit = DefaultMaxKeys
	}
	if len(l.buckets) < min(l.sweepAt, limit) {
		return
	}
	for k, b := range l.buckets {
		if b.TokensAt(now) >= float64(b.Burst()) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets { // map order is random
		if len(l.buckets) < limit*9/10 {
			break
		}
		delete(l.buckets, k)
	}
	l.sweepAt = max(2*len(l.buckets), 1024)
}

// Len reports how many keys the limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
