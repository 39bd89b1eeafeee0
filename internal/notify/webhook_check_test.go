package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Changing a webhook's URL checks it (resolving its host, which may take
// seconds) before the change's transaction: while the check waits, other
// writes go on, where inside the transaction it held SQLite's only writer.
// The check's verdict still decides: a URL refused changes nothing.
func TestAWebhookURLIsCheckedOutsideTheWrite(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		f := newFixture(t, db)
		w, _, err := f.svc.CreateWebhook(ctx, f.p, notify.WebhookInput{URL: ptr("https://hooks.example.com/a"), Types: &[]string{notify.PointsEarned}})
		if err != nil {
			t.Fatal(err)
		}
		entered, release := make(chan struct{}), make(chan error)
		notify.CheckURLsWith(f.svc, func(context.Context, string, bool) error {
			entered <- struct{}{}
			return <-release
		})
		changed := make(chan error)
		go func() {
			_, err := f.svc.UpdateWebhook(ctx, f.p, w.ID, notify.WebhookInput{URL: ptr("https://hooks.example.com/b")})
			changed <- err
		}()
		<-entered
		written := make(chan error, 1)
		go func() {
			written <- db.Write(ctx, func(tx *store.Tx) error {
				return f.svc.Publish(ctx, tx, "t1", notify.PointsEarned, map[string]int{"points": 1})
			})
		}()
		select {
		case err := <-written:
			if err != nil {
				t.Fatal(err)
			}
		case <-time.After(30 * time.Second):
			release <- nil // lets the change, and then the write, finish
			<-changed
			t.Fatal("a write waited for a webhook's URL check")
		}
		release <- errors.New("the host hooks.example.com does not resolve")
		if err := <-changed; !errs.Is(err, errs.Invalid) {
			t.Fatalf("a URL the check refused: %v, want it refused", err)
		}
		got, err := f.svc.Webhook(ctx, f.p, w.ID)
		if err != nil || got.URL != "https://hooks.example.com/a" {
			t.Fatalf("after a refused change: %q (%v), want the URL unchanged", got.URL, err)
		}
	})
}
