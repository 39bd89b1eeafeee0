package store_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Tx.Together runs a Read's reads side by side on SQLite, where each takes
// a connection of the read pool (its statements see their own snapshot
// anyway), and one after the other on PostgreSQL, whose Read is one
// transaction on one connection; inside a write, always in order. Each
// read queries before and after the others are checked for.
func TestReadsTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		side := db.Engine() == store.SQLite
		if err := db.Read(ctx, func(tx *store.Tx) error { return together(ctx, tx, side) }); err != nil {
			t.Fatalf("in a read (side by side: %v): %v", side, err)
		}
		if err := db.Write(ctx, func(tx *store.Tx) error { return together(ctx, tx, false) }); err != nil {
			t.Fatalf("in a write: %v", err)
		}
	})
}

// together runs four reads with tx.Together and checks that they ran side
// by side (each waits for all four to have started) or one after the other
// (none starts before the one before it ended).
func together(ctx context.Context, tx *store.Tx, side bool) error {
	const n = 4
	var started, running atomic.Int32
	all := make(chan struct{})
	var once sync.Once
	read := func() error {
		running.Add(1)
		defer running.Add(-1)
		if started.Add(1) == n {
			once.Do(func() { close(all) })
		}
		if _, err := tx.Records(ctx, `SELECT 1 AS one`); err != nil {
			return err
		}
		if side {
			select {
			case <-all:
			case <-time.After(10 * time.Second):
				return errors.New("the reads did not run side by side")
			}
		} else if running.Load() != 1 {
			return errors.New("the reads ran side by side")
		}
		_, err := tx.Records(ctx, `SELECT 2 AS two`)
		return err
	}
	if err := tx.Together(read, read, read, read); err != nil {
		return err
	}
	if started.Load() != n {
		return errors.New("not every read ran")
	}
	return nil
}
