package notify

import (
	"math/rand/v2"
	"time"
)

// Backoff says when to try again after a failure.
type Backoff struct {
	Base time.Duration // after the first failure; 0: 10s
	Max  time.Duration // the longest wait; 0: 6h
}

// After is the wait after the attempts-th failure: Base doubled per
// earlier failure, capped at Max, with full jitter over its upper half, so
// that receivers that failed together are not retried together.
func (b Backoff) After(attempts int) time.Duration {
	base, most := b.Base, b.Max
	if base <= 0 {
		base = 10 * time.Second
	}
	if most <= 0 {
		most = 6 * time.Hour
	}
	d := base
	for i := 1; i < attempts && d < most; i++ {
		d *= 2
	}
	d = min(d, most)
	return d/2 + rand.N(d/2+1)
}
