package notify_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/engine"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/notify"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/platform/safedial"
	"github.com/loyal-b2b/loyal/internal/platform/tenantflag"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// world is a tenant with one organization and its people, a mail server
// and a messaging service on a fake clock.
type world struct {
	*fixture
	smtp   *mailtest.Server
	org    party.Organization
	people map[string]party.Member // by name
}

func newWorld(t *testing.T, db *store.DB, now time.Time) *world {
	t.Helper()
	ctx := context.Background()
	clk := clock.NewFake(now)
	tn, err := (&tenant.Service{Store: store.Bind[tenant.Tx](db), Clock: clk}).CreateTenant(ctx, "acme", "Acme Building")
	if err != nil {
		t.Fatal(err)
	}
	p := access.System(tn.ID)
	ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: clk}
	org, err := ps.CreateOrganization(ctx, p, party.OrgInput{Type: "dealer", Name: "Northern Dealer"})
	if err != nil {
		t.Fatal(err)
	}
	w := &world{org: org, people: map[string]party.Member{}, smtp: mailtest.Start(t)}
	for _, in := range []party.MemberInput{
		{Name: "Ann Owner", Roles: []party.Role{party.RoleOwner}, Email: "ann@example.com", Locale: "en"},
		{Name: "Boris Foreman", Roles: []party.Role{party.RoleForeman}, Email: "boris@example.com", Locale: "ru-RU"},
		{Name: "Cleo Sales", Roles: []party.Role{party.RoleSales}, Locale: "en"}, // no e-mail: the inbox
	} {
		in.OrganizationID = org.ID
		m, err := ps.CreateMember(ctx, p, in)
		if err != nil {
			t.Fatal(err)
		}
		w.people[strings.Fields(in.Name)[0]] = m
	}
	svc := &notify.Service{Store: store.Bind[notify.Tx](db), Clock: clk, HTTP: safedial.Client(time.Second, true), AllowPrivate: true,
		Hooked: &tenantflag.Flags{}, Mail: &mail.SMTP{Addr: w.smtp.Addr(), From: "noreply@acme.example"}, PublicURL: "https://loyalty.example"}
	relay := &notify.Relay{Store: store.Bind[notify.OutboxTx](db), Clock: clk, Handlers: svc.Handlers(), Lease: time.Minute,
		Backoff: notify.Backoff{Base: time.Second, Max: 4 * time.Second}, MaxAttempts: 3, Logs: svc.TakeLogs}
	w.fixture = &fixture{db: db, clk: clk, svc: svc, relay: relay, p: p}
	return w
}

// ruleMessage queues what a rule's message effect queues.
func (w *world) ruleMessage(t *testing.T, id, template, ownerType, ownerID string) {
	t.Helper()
	msg := events.MessagePayload{Message: engine.Message{Template: template, To: ownerType, ToID: ownerID}, ProgramID: "prog-1", EventID: "ev-1"}
	err := store.Bind[notify.OutboxTx](w.db).Write(context.Background(), func(tx notify.OutboxTx) error {
		return tx.QueueRows(context.Background(), w.p.TenantID, []notify.Row{{ID: id, Kind: notify.ProgramMessage, Payload: msg, CreatedAt: w.clk.Now()}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

func (w *world) inbox(t *testing.T, name string) []notify.InboxMessage {
	t.Helper()
	pg, err := w.svc.Inbox(context.Background(), w.p, w.people[name].ID, page.Request{Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	return pg.Items
}

var noon = time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC)

// freezingMailer delivers n messages, then stops dead, as a process
// killed mid-batch.
type freezingMailer struct {
	mu      sync.Mutex
	n       int
	next    notify.MailSender
	frozen  chan struct{}
	release chan struct{}
	once    sync.Once
}

func (f *freezingMailer) Send(ctx context.Context, m mail.Message) error {
	f.mu.Lock()
	f.n--
	left := f.n
	f.mu.Unlock()
	if left < 0 {
		f.once.Do(func() { close(f.frozen) })
		<-f.release
		return errors.New("killed")
	}
	return f.next.Send(ctx, m)
}

func TestRuleMessageReachesEachPersonDespiteACrash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, noon)
		w.ruleMessage(t, "msg-1", "thanks", engine.OwnerOrganization, w.org.ID)
		w.relay.Workers = 1
		if n, err := w.relay.RunOnce(context.Background()); n != 1 || err != nil { // the fan-out: one message per person
			t.Fatal(n, err)
		}
		smtp := w.svc.Mail
		fm := &freezingMailer{n: 1, next: smtp, frozen: make(chan struct{}), release: make(chan struct{})}
		w.svc.Mail = fm
		done := make(chan struct{})
		go func() { defer close(done); _, _ = w.relay.RunOnce(context.Background()) }()
		<-fm.frozen
		// A new process: a fresh relay with its own id, the real mailer.
		svc2 := &notify.Service{Store: w.svc.Store, Clock: w.clk, HTTP: w.svc.HTTP, Hooked: w.svc.Hooked, Mail: smtp, PublicURL: w.svc.PublicURL}
		r2 := &notify.Relay{Store: w.relay.Store, Clock: w.clk, Handlers: svc2.Handlers(), Logs: svc2.TakeLogs}
		w.clk.Advance(2 * time.Minute)
		drain(t, r2)
		close(fm.release)
		<-done
		for _, name := range []string{"Ann", "Boris"} {
			got := w.smtp.To(w.people[name].Email)
			if len(got) == 0 {
				t.Fatalf("%s got no mail", name)
			}
			for _, m := range got {
				if m.ID() != got[0].ID() {
					t.Fatalf("%s's copies carry different ids: %s, %s", name, m.ID(), got[0].ID())
				}
			}
		}
		if a, b := w.smtp.To("ann@example.com"), w.smtp.To("boris@example.com"); a[0].ID() == b[0].ID() {
			t.Fatal("two people's messages share an id")
		}
		if in := w.inbox(t, "Cleo"); len(in) != 1 || !strings.Contains(in[0].Body, "Hello Cleo") {
			t.Fatalf("Cleo's inbox: %+v", in)
		}
		if s := stats(t, db); s.Queued != 0 || s.Dead != 0 {
			t.Fatalf("outbox: %+v", s)
		}
	})
}

func TestUnsubscribedPersonReceivesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		w := newWorld(t, db, noon)
		w.ruleMessage(t, "m1", "news", engine.OwnerMember, w.people["Ann"].ID)
		drain(t, w.relay)
		first, err := w.smtp.WaitFor("ann@example.com", time.Second)
		if err != nil {
			t.Fatal(err)
		}
		link := first.Header.Get("List-Unsubscribe")
		secret := strings.TrimSuffix(link[strings.LastIndex(link, "/")+1:], ">")
		if !strings.Contains(first.Text, "https://loyalty.example/m/u/"+secret) {
			t.Fatalf("no unsubscribe link in the text: %q (header %q)", first.Text, link)
		}
		if _, err := w.svc.Unsubscribe(context.Background(), secret); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Unsubscribe(context.Background(), "forged"); err == nil {
			t.Fatal("a forged link worked")
		}
		// Boris withdrew from every channel through his settings.
		if _, err := w.svc.SetPreferences(context.Background(), w.p, w.people["Boris"].ID, []string{"all"}); err != nil {
			t.Fatal(err)
		}
		w.clk.Advance(time.Hour)
		w.ruleMessage(t, "m2", "news", engine.OwnerMember, w.people["Ann"].ID)
		w.ruleMessage(t, "m3", "news", engine.OwnerMember, w.people["Boris"].ID)
		drain(t, w.relay)
		if n := len(w.smtp.To("ann@example.com")); n != 1 {
			t.Fatalf("Ann got %d e-mails after unsubscribing", n)
		}
		if len(w.smtp.To("boris@example.com")) != 0 || len(w.inbox(t, "Boris")) != 0 {
			t.Fatal("Boris received a message after withdrawing from all")
		}
	})
}

func TestQuietHoursDeferAndCapsWait(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		// 20:30 UTC is 23:30 in Moscow: quiet until 08:00 there, 05:00 UTC.
		w := newWorld(t, db, time.Date(2026, 3, 2, 20, 30, 0, 0, time.UTC))
		_, err := w.svc.PutSettings(context.Background(), w.p, notify.Settings{TimeZone: "Europe/Moscow", QuietStart: "22:00", QuietEnd: "08:00", DailyCap: 1, DefaultLang: "en"})
		if err != nil {
			t.Fatal(err)
		}
		w.ruleMessage(t, "q1", "news", engine.OwnerOrganization, w.org.ID)
		drain(t, w.relay)
		if n := len(w.smtp.Messages()); n != 0 {
			t.Fatalf("%d e-mails sent in quiet hours", n)
		}
		if len(w.inbox(t, "Cleo")) != 1 {
			t.Fatal("the inbox waited for quiet hours to end")
		}
		w.clk.Set(time.Date(2026, 3, 3, 4, 59, 0, 0, time.UTC))
		drain(t, w.relay)
		if n := len(w.smtp.Messages()); n != 0 {
			t.Fatal("sent before quiet hours ended")
		}
		w.clk.Set(time.Date(2026, 3, 3, 5, 0, 1, 0, time.UTC))
		drain(t, w.relay)
		if n := len(w.smtp.Messages()); n != 2 {
			t.Fatalf("%d e-mails after quiet hours, want 2", n)
		}
		if s := stats(t, db); s.Dead != 0 {
			t.Fatal("deferral used up attempts")
		}
		// The cap is one a day: a second message waits a day.
		w.clk.Advance(time.Hour)
		w.ruleMessage(t, "q2", "news", engine.OwnerMember, w.people["Ann"].ID)
		drain(t, w.relay)
		if n := len(w.smtp.To("ann@example.com")); n != 1 {
			t.Fatalf("the cap let %d through", n)
		}
		w.clk.Advance(23*time.Hour + 5*time.Second) // a day after the first
		drain(t, w.relay)
		if n := len(w.smtp.To("ann@example.com")); n != 2 {
			t.Fatalf("after a day: %d", n)
		}
	})
}
