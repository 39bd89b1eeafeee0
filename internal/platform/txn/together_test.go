package txn_test

import (
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/txn"
)

// The reads run at the same time: each waits until all have started,
// which would never happen one after the other.
func TestTogetherRunsSideBySide(t *testing.T) {
	const n = 4
	var started atomic.Int32
	all := make(chan struct{})
	read := func() error {
		if started.Add(1) == n {
			close(all)
		}
		select {
		case <-all:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("the other reads never started")
		}
	}
	if err := txn.Together(read, read, read, read); err != nil {
		t.Fatal(err)
	}
}

// Every read has ended when Together returns, the first error in the
// order given is the one returned, and a read's panic reaches the caller.
func TestTogetherErrorsAndPanics(t *testing.T) {
	first, second := errors.New("first"), errors.New("second")
	var ended atomic.Int32
	slow := func(err error) func() error {
		return func() error { time.Sleep(50 * time.Millisecond); ended.Add(1); return err }
	}
	if err := txn.Together(slow(nil), slow(first), slow(second)); err != first {
		t.Fatalf("got %v, want the first error", err)
	}
	if ended.Load() != 3 {
		t.Fatalf("%d of 3 reads ended when Together returned", ended.Load())
	}
	defer func() {
		if p := recover(); p != "boom" {
			t.Fatalf("recovered %v, want the read's panic", p)
		}
		if ended.Load() != 5 {
			t.Fatalf("%d of 5 reads ended before the panic went on", ended.Load())
		}
	}()
	_ = txn.Together(slow(nil), func() error { panic("boom") }, slow(nil))
}
