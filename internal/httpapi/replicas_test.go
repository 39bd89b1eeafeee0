package httpapi_test

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Two servers on one PostgreSQL database, as two replicas behind a load
// balancer: they migrate at the same time without clashing, and each sees
// and serves what the other wrote.
func TestTwoReplicasOnOnePostgres(t *testing.T) {
	t.Run("postgres", testTwoReplicas)
}

func testTwoReplicas(t *testing.T) {
	dsn := storetest.DSN(t, store.Postgres)
	ctx := context.Background()
	dbs := make([]*store.DB, 2)
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i := range dbs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(ctx, store.Options{DSN: dsn})
			if err != nil {
				errs[i] = err
				return
			}
			dbs[i] = db
			_, errs[i] = db.Migrate(ctx, time.Now)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
		t.Cleanup(func() { _ = dbs[i].Close() })
	}
	clk := clock.NewFake(epoch)
	r1 := &env{t: t, clock: clk, app: app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, dbs[0], nil)}
	r1.api = r1.app.Handler("test")
	r2 := &env{t: t, clock: clk, app: app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, dbs[1], nil)}
	r2.api = r2.app.Handler("test")
	r1.tidA, r1.keyA = r1.tenantWithKey("acme", access.ScopeAdmin)
	r2.tidA, r2.keyA = r1.tidA, r1.keyA

	o := r1.createOrg(obj{"type": "dealer", "name": "Seen by both", "external_id": "BOTH-1"})
	var got obj
	r2.do("GET", "/v1/organizations/"+str(o["id"]), r2.keyA, nil).must(200, &got)
	if got["name"] != "Seen by both" {
		t.Fatalf("replica 2 read %v", got)
	}
	// Concurrent writes through both replicas all land, once each.
	var wg2 sync.WaitGroup
	for i := range 20 {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			r := []*env{r1, r2}[i%2]
			if s := r.do("POST", "/v1/organizations", r.keyA, obj{"type": "installer", "name": fmt.Sprint("Org ", i)}).Status; s != 201 {
				t.Errorf("replica %d: status %d", i%2, s)
			}
		}()
	}
	wg2.Wait()
	if n1, n2 := r1.count("/v1/organizations"), r2.count("/v1/organizations"); n1 != 21 || n2 != 21 {
		t.Fatalf("replicas see %d and %d organizations, want 21", n1, n2)
	}
	// An idempotency key claimed on one replica is honoured on the other.
	body := obj{"type": "dealer", "name": "Retried across replicas"}
	var a, b obj
	r1.do("POST", "/v1/organizations", r1.keyA, body, "Idempotency-Key", "cross-replica-1").must(201, &a)
	r2.do("POST", "/v1/organizations", r2.keyA, body, "Idempotency-Key", "cross-replica-1").must(201, &b)
	if a["id"] != b["id"] {
		t.Fatal("the retry on the other replica created a second organization")
	}
}
