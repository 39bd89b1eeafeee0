package app

import (
	"context"
	"fmt"
	"log/slog"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A backup taken while earns pour in, restored, holds every earn
// acknowledged before the backup began, and its ledger balances.
func TestBackupUnderLoadRestores(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			if e == store.Postgres {
				if _, err := exec.LookPath("pg_dump"); err != nil {
					t.Skip("pg_dump is not installed")
				}
			}
			backupUnderLoad(t, e)
		})
	}
}

func backupUnderLoad(t *testing.T, e store.Engine) {
	ctx := context.Background()
	cfg := config.Config{DataDir: t.TempDir(), DBConns: 4, LogLevel: "info", LogFormat: "text"}
	if e == store.Postgres {
		cfg.Database = storetest.DSN(t, e)
	}
	log := slog.New(slog.DiscardHandler)
	a, err := Open(ctx, cfg, log, clock.System{})
	must(t, err)
	p, pt, owner := dealerWithPoints(t, a, "backup", 0)

	var mu sync.Mutex
	var acked []string
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				tx, err := a.Ledger.Earn(ctx, p, ledger.EarnInput{IdemKey: fmt.Sprintf("w%d-%d", w, i), Owner: owner, PointTypeID: pt.ID, Amount: 3})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				acked = append(acked, tx.ID)
				mu.Unlock()
			}
		}()
	}
	for {
		mu.Lock()
		n := len(acked)
		mu.Unlock()
		if n >= 200 {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	mu.Lock()
	before := append([]string(nil), acked...)
	mu.Unlock()
	path := filepath.Join(t.TempDir(), "backup", "loyal.bak")
	must(t, a.Backup(ctx, path))
	close(stop)
	wg.Wait()
	must(t, a.Close())

	probs, err := Restore(ctx, cfg, path, log, clock.System{})
	must(t, err)
	if len(probs) > 0 {
		t.Fatalf("ledger check after restore: %+v", probs)
	}
	r, err := Open(ctx, cfg, log, clock.System{})
	must(t, err)
	defer r.Close()
	for _, id := range before {
		if _, err := r.Ledger.GetTransaction(ctx, p, id); err != nil {
			t.Fatalf("earn %s, acknowledged before the backup, is not in the restored database: %v", id, err)
		}
	}
	t.Logf("%d earns acknowledged before the backup, %d in all", len(before), len(acked))
}
