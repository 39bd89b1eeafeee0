package app_test

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// missingTx is a storage interface the store does not implement.
type missingTx interface {
	events.Tx
	NoSuchQuery(ctx context.Context) error
}

// strayHook needs missingTx, so the ingestion transaction can never be it.
type strayHook struct{}

func (strayHook) CheckTx(tx events.Tx) error { return events.Needs[missingTx](tx) }

func (strayHook) AfterEvent(ctx context.Context, h *events.HookCtx, rec *events.Record) error {
	_, err := events.TxAs[missingTx](h.Tx)
	return err
}

// TestWiringChecksHooksStorage: the app's hooks and sources all accept the
// store's transaction, and a hook whose storage the store lacks is named
// when the app is wired, before any event reaches it.
func TestWiringChecksHooksStorage(t *testing.T) {
	db := storetest.Open(t, store.SQLite)
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clock.NewFake(time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)), db, nil)
	if err := a.Events.CheckWiring((*store.Tx)(nil)); err != nil {
		t.Fatalf("the app's own wiring: %v", err)
	}
	if n := len(a.Events.Hooks); n < 8 {
		t.Fatalf("only %d hooks wired", n)
	}
	for _, h := range a.Events.Hooks {
		if _, ok := h.(events.TxChecker); !ok {
			t.Errorf("hook %T does not say which storage it needs (events.TxChecker)", h)
		}
	}
	a.Events.Hooks = append(a.Events.Hooks, strayHook{})
	err := a.Events.CheckWiring((*store.Tx)(nil))
	if err == nil || !strings.Contains(err.Error(), "strayHook") {
		t.Fatalf("a hook whose storage the store lacks passed the check: %v", err)
	}
}
