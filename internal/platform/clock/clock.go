// Package clock gives code the time as a value it is handed, so that tests
// can fake it and the engine stays deterministic. Nothing else in the project
// calls time.Now.
package clock

import (
	"sync"
	"time"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

// Now returns the wall-clock time in UTC, to the millisecond: the
// precision times are stored with, so that a value read back equals the one
// written.
func (System) Now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// Fake is a clock that moves only when told to; safe for concurrent use.
type Fake struct {
	mu  sync.Mutex
	now time.Time
}

// NewFake returns a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Set moves the clock to t.
func (f *Fake) Set(t time.Time) {
	f.mu.Lock()
	f.now = t
	f.mu.Unlock()
}

// Advance moves the clock forward by d.
func (f *Fake) Advance(d time.Duration) {
	f.mu.Lock()
	f.now = f.now.Add(d)
	f.mu.Unlock()
}

// Millis is the storage form of a time: unix milliseconds.
func Millis(t time.Time) int64 { return t.UnixMilli() }

// FromMillis turns a stored unix-milliseconds value back into a UTC time.
func FromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }
