package store

import (
	"context"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"
)

// Closing background work waits for the round in progress: the round here
// blocks until released, and close must not return before it has ended.
// (TestCloseEndsBackgroundWork checks the same through a database, where
// the window is too narrow to be hit every run.)
func TestBackgroundCloseWaitsForTheRound(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	var ended atomic.Bool
	b := startBackground(time.Millisecond, slog.New(slog.DiscardHandler), "test", func(context.Context) error {
		select {
		case started <- struct{}{}: // the first round blocks; the test is waiting for it
		default:
			return nil
		}
		<-release
		ended.Store(true)
		return nil
	})
	<-started
	closed := make(chan struct{})
	go func() { b.close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("close returned while a round was still running")
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	<-closed
	if !ended.Load() {
		t.Fatal("the round had not ended when close returned")
	}
}
