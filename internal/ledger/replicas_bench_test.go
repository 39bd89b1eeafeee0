package ledger_test

import (
	"context"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// BenchmarkReplicasEarn compares earns through one app replica with earns
// through two on the same PostgreSQL database, each replica with its own
// connection pool (LOYAL_BENCH_CONNS, default 8) and serving its own half
// of the organizations, with the same number of callers in all
// (LOYAL_BENCH_CALLERS, default 64). The replicas share this process and
// its cores; separate machines would give each its own.
//
//	go test -run '^$' -bench ReplicasEarn -benchtime 20000x ./internal/ledger/
func BenchmarkReplicasEarn(b *testing.B) {
	for _, n := range []int{1, 2} {
		b.Run(fmt.Sprint(n, " replica(s)"), func(b *testing.B) {
			dsn := storetest.DSN(b, store.Postgres)
			opts := store.Options{DSN: dsn, ReadConns: envInt("LOYAL_BENCH_CONNS", 8)}
			first, err := store.Open(context.Background(), opts)
			must(b, err)
			b.Cleanup(func() { _ = first.Close() })
			_, err = first.Migrate(context.Background(), time.Now)
			must(b, err)
			f := newFx(b, first, "bench", ledger.PointTypeInput{})
			ids := bulkOrganizations(b, f, benchWallets)
			replicas := []*ledger.Service{f.led}
			for len(replicas) < n {
				db, err := store.Open(context.Background(), opts)
				must(b, err)
				b.Cleanup(func() { _ = db.Close() })
				a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clock.NewFake(t0), db, nil)
				replicas = append(replicas, a.Ledger)
			}
			parallel(b, benchCallers, "earns/s", func(i int) error {
				r := i % n // replica r serves the organizations i ≡ r (mod n): disjoint
				owner := ledger.Owner{Type: ledger.OwnerOrganization, ID: ids[i%len(ids)]}
				_, err := replicas[r].Earn(f.ctx, f.p, ledger.EarnInput{IdemKey: fmt.Sprint("earn-", i), Owner: owner, PointTypeID: f.pt.ID, Amount: 10})
				return err
			})
		})
	}
}
