package store_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// BenchmarkDurableWrites measures small durable writes (one audit row per
// transaction, as callers see it) through DB.Write at 1 and 64 concurrent
// writers. On SQLite the 64-writer figure shows group commit: one fsync per
// batch instead of one per write.
//
//	go test -run '^$' -bench DurableWrites -benchtime 20000x ./internal/store/
func BenchmarkDurableWrites(b *testing.B) {
	for _, e := range storetest.Engines {
		for _, writers := range []int{1, 64} {
			b.Run(fmt.Sprintf("%s/writers=%d", e, writers), func(b *testing.B) {
				benchWrites(b, storetest.Open(b, e), writers)
			})
		}
	}
}

func benchWrites(b *testing.B, db *store.DB, writers int) {
	ctx := context.Background()
	tid := newTenant(b, db, "bench")
	var next atomic.Int64
	var wg sync.WaitGroup
	b.ResetTimer()
	start := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1)
				if i > int64(b.N) {
					return
				}
				if err := db.Write(ctx, func(tx *store.Tx) error {
					return tx.InsertAudit(ctx, auditRow(ctx, tid, fmt.Sprint(i)))
				}); err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "writes/s")
}
