package notify_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/push"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// pushBox is a push provider that reports the tokens in gone as no
// longer registered and keeps what it delivered.
type pushBox struct {
	mu   sync.Mutex
	gone map[string]bool
	got  []push.Message
}

func (b *pushBox) Send(_ context.Context, m push.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.gone[m.Token] {
		return fmt.Errorf("%w: 404 UNREGISTERED", push.ErrGone)
	}
	b.got = append(b.got, m)
	return nil
}

func (b *pushBox) tokens() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, m := range b.got {
		out = append(out, m.Token)
	}
	return out
}

func deviceTokens(t *testing.T, w *world, p access.Principal, person string) []string {
	t.Helper()
	ds, err := w.svc.Devices(context.Background(), p, person)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, d := range ds {
		out = append(out, d.Token)
	}
	return out
}

// A member registers their devices (themselves, or an app through the
// API); push reaches each registered device; a token the provider reports
// gone is forgotten, and once none is left the message goes by the next
// channel. A member may not register a device for someone else.
func TestPushReachesRegisteredDevices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		w := newWorld(t, db, noon)
		box := &pushBox{gone: map[string]bool{"dead-1": true}}
		w.svc.Push = box
		cleo := w.people["Cleo"].ID // no e-mail, no phone: push, else the inbox
		me := access.Member(w.p.TenantID, cleo)
		ch := party.ChannelPush // chosen in the app
		if _, err := (&party.Service{Store: store.Bind[party.Tx](db), Clock: w.clk}).UpdateMember(ctx, w.p, cleo, party.MemberPatch{PreferredChannel: &ch}); err != nil {
			t.Fatal(err)
		}
		for _, tok := range []string{"live-1", "dead-1"} {
			if _, err := w.svc.RegisterDevice(ctx, me, cleo, notify.Device{Token: tok, Platform: "ios"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.svc.RegisterDevice(ctx, me, w.people["Ann"].ID, notify.Device{Token: "x"}); !errs.Is(err, errs.Forbidden) {
			t.Fatalf("a member registered a device for another: %v", err)
		}
		if _, err := w.svc.RegisterDevice(ctx, w.p, cleo, notify.Device{Token: "has space", Platform: "nokia"}); !errs.Is(err, errs.Invalid) {
			t.Fatalf("a bad token and platform: %v", err)
		}
		w.ruleMessage(t, "m1", "news", "member", cleo)
		drain(t, w.relay)
		if got := box.tokens(); !slices.Equal(got, []string{"live-1"}) {
			t.Fatalf("pushed to %v, want live-1", got)
		}
		if got := deviceTokens(t, w, me, cleo); !slices.Equal(got, []string{"live-1"}) {
			t.Fatalf("devices after the push: %v, want the gone one forgotten", got)
		}
		if len(w.inbox(t, "Cleo")) != 0 {
			t.Fatal("a pushed message also went to the inbox")
		}
		// The app's last device goes away: the message waits for a retry,
		// then goes by the inbox.
		box.gone["live-1"] = true
		w.ruleMessage(t, "m2", "news", "member", cleo)
		drain(t, w.relay)
		w.clk.Advance(10 * time.Minute)
		drain(t, w.relay)
		if len(deviceTokens(t, w, me, cleo)) != 0 || len(w.inbox(t, "Cleo")) != 1 {
			t.Fatalf("devices %v, inbox %d: want none and the message", deviceTokens(t, w, me, cleo), len(w.inbox(t, "Cleo")))
		}
		if err := w.svc.UnregisterDevice(ctx, me, cleo, "live-1"); !errs.Is(err, errs.NotFound) {
			t.Fatalf("unregistering a forgotten token: %v", err)
		}
	})
}
