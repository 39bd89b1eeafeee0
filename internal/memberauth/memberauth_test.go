package memberauth_test

import (
	"context"
	"regexp"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/memberauth"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// inbox records what was sent, as mail and as texts.
type inbox struct {
	mu   sync.Mutex
	sent []string // "to|body"
}

func (b *inbox) Send(_ context.Context, m tenant.Mail) error {
	return b.add(m.To, m.Subject+"\n"+m.Text)
}
func (b *inbox) Text(_ context.Context, to, body string) error { return b.add(to, body) }
func (b *inbox) add(to, body string) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.sent = append(b.sent, to+"|"+body)
	return nil
}
func (b *inbox) count() int { b.mu.Lock(); defer b.mu.Unlock(); return len(b.sent) }

var codeRE = regexp.MustCompile(`code is (\d{6})|code: (\d{6})`)
var linkRE = regexp.MustCompile(`/p/acme/link/([a-z0-9]+)`)

func (b *inbox) last(t *testing.T) (code, secret string) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.sent) == 0 {
		t.Fatal("nothing sent")
	}
	s := b.sent[len(b.sent)-1]
	m := codeRE.FindStringSubmatch(s)
	l := linkRE.FindStringSubmatch(s)
	if m == nil || l == nil {
		t.Fatalf("no code or link in %q", s)
	}
	return m[1] + m[2], l[1]
}

type links struct{}

func (links) MemberLink(slug, secret string) string { return "http://x/p/" + slug + "/link/" + secret }

type fixture struct {
	svc   *memberauth.Service
	box   *inbox
	clk   *clock.Fake
	anna  party.Member
	party *party.Service
	sys   access.Principal
}

func setup(t *testing.T, db *store.DB) fixture {
	ctx := context.Background()
	clk := clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))
	tenants := &tenant.Service{Store: store.Bind[tenant.Tx](db), Clock: clk}
	tn, err := tenants.CreateTenant(ctx, "acme", "Acme")
	must(t, err)
	ps := &party.Service{Store: store.Bind[party.Tx](db), Clock: clk}
	sys := access.System(tn.ID)
	o, err := ps.CreateOrganization(ctx, sys, party.OrgInput{Type: party.Dealer, Name: "Brick Ltd"})
	must(t, err)
	anna, err := ps.CreateMember(ctx, sys, party.MemberInput{OrganizationID: o.ID, Name: "Anna", Roles: []party.Role{party.RoleSales}, Email: "Anna@Example.com", Phone: "+447700900123"})
	must(t, err)
	box := &inbox{}
	svc := &memberauth.Service{Store: store.Bind[memberauth.Tx](db), Clock: clk, Tenants: tenants, Mailer: box, Texter: box,
		Links: links{}, Limiter: throttle.New(clk)}
	return fixture{svc: svc, box: box, clk: clk, anna: anna, party: ps, sys: sys}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func TestCodeSignsInOnceByEmailAndSMS(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		for _, addr := range []string{"anna@example.com", "+44 7700 900123"} {
			must(t, f.svc.RequestCode(ctx, "acme", addr, "1.1.1.1"))
			code, _ := f.box.last(t)
			m, _, err := f.svc.Verify(ctx, "acme", addr, code, "1.1.1.1")
			must(t, err)
			if m.ID != f.anna.ID {
				t.Fatalf("signed in %s, want Anna", m.ID)
			}
			if _, _, err := f.svc.Verify(ctx, "acme", addr, code, "1.1.1.1"); !errs.Is(err, errs.Unauthenticated) {
				t.Fatalf("a used code signed in again: %v", err)
			}
		}
	})
}

func TestSameAnswerForUnknownAddressesAndWorkspaces(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		must(t, f.svc.RequestCode(ctx, "acme", "nobody@example.com", "1.1.1.1"))
		must(t, f.svc.RequestCode(ctx, "nowhere", "anna@example.com", "1.1.1.1"))
		if f.box.count() != 0 {
			t.Fatal("a code was sent to an address no member has")
		}
		if err := f.svc.RequestCode(ctx, "acme", "not an address", "1.1.1.1"); !errs.Is(err, errs.Invalid) {
			t.Fatalf("malformed address: %v", err)
		}
	})
}

func TestCodeExpiresAfterTenMinutesAndDiesAfterFiveTries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1"))
		code, _ := f.box.last(t)
		f.clk.Advance(memberauth.CodeTTL)
		if _, _, err := f.svc.Verify(ctx, "acme", "anna@example.com", code, "1.1.1.1"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("expired code: %v", err)
		}
		f.clk.Advance(time.Hour)
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.2"))
		code, _ = f.box.last(t)
		wrong := "000000"
		if code == wrong {
			wrong = "111111"
		}
		var wg sync.WaitGroup
		for range 8 { // concurrent guesses all count
			wg.Add(1)
			go func() { defer wg.Done(); f.svc.Verify(ctx, "acme", "anna@example.com", wrong, "1.1.1.2") }()
		}
		wg.Wait()
		if _, _, err := f.svc.Verify(ctx, "acme", "anna@example.com", code, "1.1.1.2"); !errs.Is(err, errs.Unauthenticated) {
			t.Fatalf("the right code worked after five wrong tries: %v", err)
		}
	})
}

func TestLinkWorksOnceAndConcurrentUsesSignInOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1"))
		_, secret := f.box.last(t)
		var ok atomic.Int32
		var wg sync.WaitGroup
		for range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if _, _, err := f.svc.UseLink(ctx, "acme", secret); err == nil {
					ok.Add(1)
				}
			}()
		}
		wg.Wait()
		if ok.Load() != 1 {
			t.Fatalf("%d uses of one link signed in", ok.Load())
		}
	})
}

func TestRequestsAreThrottled(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		var err error
		for i := 0; i < memberauth.PerRecipient.Burst+1 && err == nil; i++ {
			err = f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1")
		}
		if !errs.Is(err, errs.RateLimited) {
			t.Fatalf("the %dth request in a row: %v", memberauth.PerRecipient.Burst+1, err)
		}
		if f.box.count() != memberauth.PerRecipient.Burst {
			t.Fatalf("%d codes sent", f.box.count())
		}
	})
}

func TestInactiveMemberCannotSignIn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1"))
		code, _ := f.box.last(t)
		st := party.MemberInactive
		_, err := f.party.UpdateMember(ctx, f.sys, f.anna.ID, party.MemberPatch{Status: &st})
		must(t, err)
		if _, _, err := f.svc.Verify(ctx, "acme", "anna@example.com", code, "1.1.1.1"); err == nil {
			t.Fatal("a deactivated member signed in")
		}
	})
}

func TestMessagesInTheMembersLanguage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		ru := "ru-RU"
		_, err := f.party.UpdateMember(ctx, f.sys, f.anna.ID, party.MemberPatch{Locale: &ru})
		must(t, err)
		must(t, f.svc.RequestCode(ctx, "acme", "+447700900123", "1.1.1.1"))
		f.box.mu.Lock()
		last := f.box.sent[len(f.box.sent)-1]
		f.box.mu.Unlock()
		m := regexp.MustCompile(`ваш код для входа (\d{6})`).FindStringSubmatch(last)
		if m == nil {
			t.Fatalf("not in Russian: %q", last)
		}
		if _, _, err := f.svc.Verify(ctx, "acme", "+447700900123", m[1], "1.1.1.1"); err != nil {
			t.Fatal(err)
		}
	})
}

func TestPurgeDeletesOldCodesOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		f, ctx := setup(t, db), context.Background()
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1"))
		f.clk.Advance(memberauth.CodeTTL + memberauth.KeepCodes + time.Minute)
		must(t, f.svc.RequestCode(ctx, "acme", "anna@example.com", "1.1.1.1"))
		code, _ := f.box.last(t)
		n, err := f.svc.Purge(ctx, f.anna.TenantID)
		if err != nil || n != 1 {
			t.Fatalf("purged %d: %v", n, err)
		}
		if _, _, err := f.svc.Verify(ctx, "acme", "anna@example.com", code, "1.1.1.1"); err != nil {
			t.Fatalf("the live code was purged: %v", err)
		}
	})
}
