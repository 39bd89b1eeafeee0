package httpapi_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// BenchmarkTrivialGET measures what the middleware costs a request, in
// process (no network): an unauthenticated GET /healthz; GET /v1/whoami,
// authenticated and answered from the verified key alone (no work of its
// own: the difference to /healthz is authentication and the API's
// middleware); and GET /v1/tenant, which also reads the tenant. Run with
// -cpu 1 to compare per-request cost.
func BenchmarkTrivialGET(b *testing.B) {
	ctx := context.Background()
	db := storetest.Open(b, store.SQLite)
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clock.System{}, db, nil)
	tn, err := a.Tenants.CreateTenant(ctx, "bench", "Bench")
	if err != nil {
		b.Fatal(err)
	}
	_, key, err := a.Tenants.CreateKey(ctx, access.System(tn.ID), tenant.KeyInput{Name: "bench", Scope: access.ScopeRead})
	if err != nil {
		b.Fatal(err)
	}
	h := a.Handler("bench")
	run := func(b *testing.B, path, key string, want int) {
		for b.Loop() {
			req := httptest.NewRequest("GET", path, nil)
			if key != "" {
				req.Header.Set("Authorization", "Bearer "+key)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != want {
				b.Fatalf("status %d, want %d: %s", rec.Code, want, rec.Body)
			}
		}
	}
	b.Run("unauthenticated", func(b *testing.B) { run(b, "/healthz", "", http.StatusOK) })
	b.Run("whoami", func(b *testing.B) { run(b, "/v1/whoami", key, http.StatusOK) })
	b.Run("tenant", func(b *testing.B) { run(b, "/v1/tenant", key, http.StatusOK) })
}
