package throttle_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func TestAllow(t *testing.T) {
	clk := clock.NewFake(t0)
	l := throttle.New(clk)
	r := throttle.PerSecond(5) // burst 10, one every 200ms
	for i := range 10 {
		if ok, _ := l.Allow("tenant-a", r); !ok {
			t.Fatalf("request %d of the burst refused", i)
		}
	}
	ok, wait := l.Allow("tenant-a", r)
	if ok || wait != 200*time.Millisecond {
		t.Fatalf("past the burst: %v, wait %v", ok, wait)
	}
	if ok, _ := l.Allow("tenant-b", r); !ok {
		t.Fatal("another key shares the bucket")
	}
	clk.Advance(200 * time.Millisecond)
	if ok, _ := l.Allow("tenant-a", r); !ok {
		t.Fatal("a token did not come back")
	}
	if ok, _ := l.Allow("tenant-a", throttle.Rate{}); !ok {
		t.Fatal("the zero rate limits")
	}
	// A key's rate can change (a tenant's setting): the new one applies
	// from then on (10ms are a token at 100/s, a hundredth at 1/s).
	for range 5 {
		l.Allow("tenant-c", throttle.PerSecond(1))
	}
	if ok, _ := l.Allow("tenant-c", throttle.PerSecond(100)); ok {
		t.Fatal("an empty bucket allowed a request")
	}
	clk.Advance(10 * time.Millisecond)
	if ok, _ := l.Allow("tenant-c", throttle.PerSecond(100)); !ok {
		t.Fatal("a raised rate did not apply")
	}
}

func TestFailures(t *testing.T) {
	clk := clock.NewFake(t0)
	l := throttle.New(clk)
	r := throttle.PerMinute(10)
	for i := range 10 {
		if blocked, _ := l.Blocked("key", r); blocked {
			t.Fatalf("blocked after %d failures", i)
		}
		l.Fail("key", r)
	}
	blocked, wait := l.Blocked("key", r)
	if !blocked || wait != 6*time.Second {
		t.Fatalf("after 10 failures: blocked %v, wait %v", blocked, wait)
	}
	for range 1000 { // checking takes nothing
		l.Blocked("key", r)
	}
	clk.Advance(6 * time.Second)
	if blocked, _ := l.Blocked("key", r); blocked {
		t.Fatal("still blocked once a token came back")
	}
	if blocked, _ := l.Blocked("other", r); blocked {
		t.Fatal("an unknown key is blocked")
	}
}

// Full buckets are forgotten, and the limiter never holds more than
// MaxKeys keys, however many an attacker sends.
func TestMemoryIsBounded(t *testing.T) {
	clk := clock.NewFake(t0)
	l := &throttle.Limiter{Clock: clk, MaxKeys: 5000}
	r := throttle.PerMinute(10)
	for i := range 50_000 {
		l.Fail(fmt.Sprint("addr-", i), r)
	}
	if n := l.Len(); n > 10_000 {
		t.Fatalf("%d keys remembered", n)
	}
	clk.Advance(time.Hour) // every bucket is full again
	for i := range 3000 {
		l.Fail(fmt.Sprint("late-", i), r)
	}
	if n := l.Len(); n > 5000 {
		t.Fatalf("%d keys remembered after the idle ones were due to go", n)
	}
}

func BenchmarkAllow(b *testing.B) {
	l := throttle.New(clock.System{})
	r := throttle.PerSecond(1_000_000)
	for b.Loop() {
		l.Allow("tenant", r)
	}
}
