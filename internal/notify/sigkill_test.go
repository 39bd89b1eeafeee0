package notify_test

import (
	"context"
	"os"
	"os/exec"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// A relay in another process is killed with SIGKILL after sending one
// e-mail of its batch; once its lease runs out, a relay here delivers the
// rest: everyone gets the rule's message, the one duplicate with the
// same Message-ID.
func TestRelayKilledWithSIGKILL(t *testing.T) {
	for _, e := range storetest.Engines {
		t.Run(string(e), func(t *testing.T) {
			dsn := storetest.DSN(t, e)
			db, err := store.Open(context.Background(), store.Options{DSN: dsn})
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Migrate(context.Background(), time.Now); err != nil {
				t.Fatal(err)
			}
			now := time.Now().UTC().Truncate(time.Millisecond)
			w := newWorld(t, db, now)
			if _, err := w.svc.PutSettings(context.Background(), w.p, notify.Settings{TimeZone: "UTC", QuietStart: "00:00", QuietEnd: "00:00", DailyCap: 10, DefaultLang: "en"}); err != nil {
				t.Fatal(err)
			}
			w.ruleMessage(t, "k1", "news", engine.OwnerOrganization, w.org.ID)
			if n, err := w.relay.RunOnce(context.Background()); n != 1 || err != nil { // the fan-out
				t.Fatal(n, err)
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestRelayChildProcess$")
			cmd.Env = append(os.Environ(), "NOTIFY_KILL_DSN="+dsn, "NOTIFY_KILL_SMTP="+w.smtp.Addr())
			err = cmd.Run()
			if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
				t.Fatalf("the child was not killed: %v", err)
			}
			if n := len(w.smtp.Messages()); n != 1 {
				t.Fatalf("the child sent %d e-mails before dying, want 1", n)
			}
			w.clk.Set(time.Now().Add(time.Minute)) // the child's lease (10s) has run out
			drain(t, w.relay)
			for _, name := range []string{"Ann", "Boris"} {
				got := w.smtp.To(w.people[name].Email)
				if len(got) == 0 {
					t.Fatalf("%s got nothing", name)
				}
				for _, m := range got {
					if m.ID() != got[0].ID() {
						t.Fatalf("%s's copies differ in id", name)
					}
				}
			}
			if len(w.smtp.Messages()) != 3 || len(w.inbox(t, "Cleo")) != 1 {
				t.Fatalf("%d e-mails (want 3: one duplicate), Cleo's inbox %d", len(w.smtp.Messages()), len(w.inbox(t, "Cleo")))
			}
		})
	}
}

// killer sends one e-mail, then kills its own process on the second.
type killer struct {
	next notify.MailSender
	n    atomic.Int32
}

func (k *killer) Send(ctx context.Context, m mail.Message) error {
	if k.n.Add(1) > 1 {
		_ = syscall.Kill(os.Getpid(), syscall.SIGKILL)
		select {}
	}
	return k.next.Send(ctx, m)
}

// TestRelayChildProcess is the relay TestRelayKilledWithSIGKILL kills.
func TestRelayChildProcess(t *testing.T) {
	dsn := os.Getenv("NOTIFY_KILL_DSN")
	if dsn == "" {
		t.Skip("run by TestRelayKilledWithSIGKILL")
	}
	db, err := store.Open(context.Background(), store.Options{DSN: dsn})
	if err != nil {
		t.Fatal(err)
	}
	svc := &notify.Service{Store: store.Bind[notify.Tx](db), Clock: clock.System{},
		Mail: &killer{next: &mail.SMTP{Addr: os.Getenv("NOTIFY_KILL_SMTP"), From: "noreply@acme.example"}}}
	r := &notify.Relay{Store: store.Bind[notify.OutboxTx](db), Clock: clock.System{}, Handlers: svc.Handlers(), Workers: 1, Lease: 10 * time.Second}
	_, _ = r.RunOnce(context.Background())
	t.Fatal("the relay finished its batch alive")
}
