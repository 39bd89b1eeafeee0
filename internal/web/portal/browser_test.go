package portal_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/mail/mailtest"
	"github.com/loyal-b2b/loyal/internal/referral"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web/browsertest"
)

// Browser tests walk the participants' journeys in Debian's chromium on a
// phone (390×844). In CI (CI set) a missing chromium fails them;
// elsewhere they skip. LOYAL_SCREENSHOTS=1 refreshes
// docs/screenshots/portal-*.png.

func chromiumPath(t *testing.T) string { return browsertest.Chromium(t) }

// phone opens a fresh headless chromium as a 390×844 phone.
func phone(t *testing.T) context.Context { return browsertest.Tab(t, browsertest.Phone) }

// shot saves docs/screenshots/portal-<name>.png (see browsertest.Shot).
func shot(t *testing.T, ctx context.Context, name string) { browsertest.Shot(t, ctx, "portal-"+name) }

func text(t *testing.T, ctx context.Context, sel string) string { return browsertest.Text(t, ctx, sel) }

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Do(t, ctx, steps...)
}

func browserSite(t *testing.T) *site {
	chromiumPath(t)
	return newSite(t, storetest.Open(t, store.SQLite), clock.System{})
}

// typeCode waits for the code page and types the code sent to an address.
func (s *site) typeCode(t *testing.T, ctx context.Context, to string) {
	t.Helper()
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#f-code")))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), s.lastCode(to)), chromedp.Submit(chromedp.CSS("#f-code")),
		chromedp.WaitVisible(chromedp.CSS("#card")))
}

// signInSteps signs in by a code sent to the member's e-mail.
func (s *site) signInPhone(t *testing.T, ctx context.Context, m party.Member) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/acme/sign-in"), chromedp.WaitVisible(chromedp.CSS("#f-address")),
		chromedp.SendKeys(chromedp.CSS("#f-address"), m.Email), chromedp.Submit(chromedp.CSS("#f-address")))
	s.typeCode(t, ctx, m.Email)
}

// Newcomer at a trade show: scans the referral QR, registers on the
// phone, types the code sent by SMS and has the card.
func TestBrowserNewcomerRegistersWithReferralAndGetsCard(t *testing.T) {
	s := browserSite(t)
	ctx := phone(t)
	code, err := s.app.Referrals.CodeOf(context.Background(), s.sys, referral.OwnerMember, s.director.ID)
	must(t, err)
	do(t, ctx, chromedp.Navigate(s.srv.URL+code.Link()), chromedp.WaitVisible(chromedp.CSS("#f-name")))
	if got, _ := chromedp.Run(ctx, chromedp.Value(chromedp.CSS("#f-referral"))); got != code.Code {
		t.Fatalf("the referral code is %q, want %q", got, code.Code)
	}
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-name"), "Nora Newcomer"), chromedp.SendKeys(chromedp.CSS("#f-phone"), "+44 7700 900777"),
		chromedp.SendKeys(chromedp.CSS("#f-company"), "Newbuild Ltd"), chromedp.SetValue(chromedp.CSS("#f-role"), "owner"))
	shot(t, ctx, "join")
	do(t, ctx, chromedp.Submit(chromedp.CSS("#f-name")))
	s.typeCode(t, ctx, "+447700900777")
	do(t, ctx, chromedp.WaitVisible(chromedp.CSS("#card svg.qr")), chromedp.WaitVisible(chromedp.CSS("#card svg.barcode")))
	shot(t, ctx, "card-new")
	if got := text(t, ctx, "#card header"); !strings.Contains(got, "Nora Newcomer") {
		t.Fatalf("the card says %q", got)
	}
	refs, err := s.app.Referrals.ListBy(context.Background(), s.sys, s.brick.ID, pageReq())
	must(t, err)
	if len(refs.Items) != 1 {
		t.Fatalf("referrals: %+v", refs.Items)
	}
}

// Foreman: signs in with a code, and after an invoice arrives through the
// API sees the new balance and why; then sends a claim with a photo.
func TestBrowserForemanSeesInvoicePointsAndSubmitsClaim(t *testing.T) {
	s := browserSite(t)
	ctx := phone(t)
	_, err := s.app.Party.RecordConsent(context.Background(), s.sys, s.brick.ID, party.ConsentInput{ProgramID: s.program.ID,
		Decision: party.Accepted, Method: party.ViaPaper, SignerName: "Diana Director", Evidence: "DMS #1"})
	must(t, err)
	consented := time.Now()
	s.signInPhone(t, ctx, s.foreman)
	shot(t, ctx, "card")
	_, key, err := s.app.Tenants.CreateKey(context.Background(), s.sys, tenant.KeyInput{Name: "erp", Scope: "admin"})
	must(t, err)
	// The invoice's date has whole seconds (RFC 3339 without a fraction):
	// dated in the consent's own second it would fall before the consent
	// and earn him nothing, so it waits for the next second.
	time.Sleep(time.Until(consented.Truncate(time.Second).Add(time.Second)))
	body := `{"type":"invoice","source":"erp","external_id":"INV-77","occurred_at":"` + time.Now().UTC().Format(time.RFC3339) +
		`","organization":"ext:R-1","member":"` + s.foreman.ID + `","currency":"GBP","lines":[{"sku":"BRICK-1","qty":10,"unit_price":5000}]}`
	req, _ := http.NewRequest("POST", s.srv.URL+"/v1/events", bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		t.Fatalf("API invoice: %d", resp.StatusCode)
	}
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/"), chromedp.WaitVisible(chromedp.CSS("#balance")))
	bs, err := s.app.Ledger.Balances(context.Background(), s.sys, ledger.Owner{Type: ledger.OwnerMember, ID: s.foreman.ID}, 0)
	must(t, err)
	want := message.NewPrinter(language.English).Sprintf("%d", bs[0].Account.Available)
	if got := text(t, ctx, "#balance .balance"); got != want || bs[0].Account.Available == 0 {
		t.Fatalf("the balance after the invoice shows %q, the wallet holds %s", got, want)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("#balance a")), chromedp.WaitVisible(chromedp.CSS("#history")))
	if got := text(t, ctx, "#history li"); !strings.Contains(got, "+"+want) || !strings.Contains(got, "invoice erp/INV-77") {
		t.Fatalf("the history's line: %q", got)
	}
	shot(t, ctx, "history")
	img := filepath.Join(t.TempDir(), "invoice.png")
	must(t, os.WriteFile(img, photo(), 0o644))
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/claims"), chromedp.WaitVisible(chromedp.CSS("#f-photo")),
		chromedp.SetUploadFiles(chromedp.CSS("#f-photo"), []string{img}),
		chromedp.SendKeys(chromedp.CSS("#f-invoice_number"), "INV-9"), chromedp.SendKeys(chromedp.CSS("#f-amount"), "820.00"),
		chromedp.SendKeys(chromedp.CSS("#f-end_customer"), "Harbour Homes"), chromedp.Submit(chromedp.CSS("#f-amount")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := text(t, ctx, "#claims"); !strings.Contains(got, "INV-9") || !strings.Contains(got, "Waiting for review") {
		t.Fatalf("claims: %q", got)
	}
	shot(t, ctx, "claims")
	foremanReadsMessages(t, ctx, s)
}

// foremanReadsMessages: two campaigns reach the foreman's inbox; the
// navigation counts them, and he opens the messages and marks one read.
func foremanReadsMessages(t *testing.T, ctx context.Context, s *site) {
	s.campaign("Spring", "Spring offer", "Double points on roof tiles until the end of April.", "foreman")
	s.campaign("Site safety", "Safety week", "Show your site's safety board on Friday:\nevery photo earns 50 points.", "foreman")
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/"), chromedp.WaitVisible(chromedp.CSS("#balance")))
	if got := text(t, ctx, `nav.pnav a[href="/p/messages"]`); got != "Messages (2)" {
		t.Fatalf("the navigation's messages entry: %q", got)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`nav.pnav a[href="/p/messages"]`)), chromedp.WaitVisible(chromedp.CSS("#inbox")),
		chromedp.Click(chromedp.CSS("#inbox li.unread button")), chromedp.WaitVisible(chromedp.CSS("#inbox li:first-child:not(.unread)")))
	if got := text(t, ctx, "#inbox li:first-child"); !strings.Contains(got, "Safety week") || strings.Contains(got, "Mark as read") {
		t.Fatalf("the newest message after reading it: %q", got)
	}
	if got := text(t, ctx, "#inbox li.unread"); !strings.Contains(got, "Spring offer") {
		t.Fatalf("the unread message: %q", got)
	}
	if got := text(t, ctx, `nav.pnav a[href="/p/messages"]`); got != "Messages (1)" {
		t.Fatalf("the navigation after reading one: %q", got)
	}
	shot(t, ctx, "messages")
}

// Director: accepts the employee terms, sees what the foreman earned, and
// approves his redemption.
func TestBrowserDirectorAcceptsTermsAndApprovesRedemption(t *testing.T) {
	s := browserSite(t)
	ctx := phone(t)
	s.earn(s.foreman, 300, "claim INV-7 approved")
	_, err := s.app.Rewards.Redeem(context.Background(), memberP(s, s.foreman), reward.RedeemInput{ItemID: s.drill.ID,
		Organization: s.brick.ID, Member: s.foreman.ID, Quantity: 1})
	must(t, err)
	s.signInPhone(t, ctx, s.director)
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/manage/terms"), chromedp.WaitVisible(chromedp.CSS("#terms-"+s.program.ID)))
	shot(t, ctx, "terms")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-title-"+s.program.ID), "Managing director"),
		chromedp.Submit(chromedp.CSS("#f-title-"+s.program.ID)), chromedp.WaitVisible(chromedp.CSS("#consent-record")))
	if got := text(t, ctx, "#consent-record"); !strings.Contains(got, "Diana Director") {
		t.Fatalf("the record: %q", got)
	}
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/manage/people"), chromedp.WaitVisible(chromedp.CSS("#people")))
	if got := text(t, ctx, "#people tbody"); !strings.Contains(got, "Ivan Foreman") || !strings.Contains(got, "300") {
		t.Fatalf("transparency: %q", got)
	}
	shot(t, ctx, "people")
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/manage/approvals"), chromedp.WaitVisible(chromedp.CSS("[id^=redemption-]")))
	shot(t, ctx, "approvals")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[id^=redemption-] form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := text(t, ctx, ".flash"); got != "Approved." {
		t.Fatalf("after approving: %q", got)
	}
}

// A member signs in with the code read from a real SMTP server, in
// process: the mail goes over SMTP as in production.
func TestBrowserSignInWithCodeFromSMTPServer(t *testing.T) {
	chromiumPath(t)
	smtp := mailtest.Start(t)
	s := newSiteWith(t, storetest.Open(t, store.SQLite), clock.System{}, config.Config{SMTPURL: "smtp://" + smtp.Addr() + "?from=noreply@acme.example"})
	ctx := phone(t)
	do(t, ctx, chromedp.Navigate(s.srv.URL+"/p/"), chromedp.WaitVisible(chromedp.CSS("#f-workspace")),
		chromedp.SendKeys(chromedp.CSS("#f-workspace"), "acme"), chromedp.Submit(chromedp.CSS("#f-workspace")),
		chromedp.WaitVisible(chromedp.CSS("#f-address")))
	shot(t, ctx, "signin")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-address"), s.foreman.Email), chromedp.Submit(chromedp.CSS("#f-address")),
		chromedp.WaitVisible(chromedp.CSS("#f-code")))
	m, err := smtp.WaitFor(s.foreman.Email, 10*time.Second)
	must(t, err)
	code := codeRE.FindStringSubmatch(m.Subject + " " + m.Text)
	if code == nil {
		t.Fatalf("no code in %q", m.Text)
	}
	shot(t, ctx, "code")
	do(t, ctx, chromedp.SendKeys(chromedp.CSS("#f-code"), code[1]+code[2]), chromedp.Submit(chromedp.CSS("#f-code")),
		chromedp.WaitVisible(chromedp.CSS("#card svg.qr")))
	if got := text(t, ctx, "#card header"); !strings.Contains(got, "Ivan Foreman") {
		t.Fatalf("signed in as %q", got)
	}
}

// Foreman on a site with no signal: the card opens once it has been
// loaded, the server being unreachable.
func TestBrowserCardWorksOffline(t *testing.T) {
	s := browserSite(t)
	ctx := phone(t)
	s.signInPhone(t, ctx, s.foreman)
	ready, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`navigator.serviceWorker.ready.then(() => true)`, chromedp.EvalAwaitPromise))
	must(t, err)
	// The first load came before the worker; this one goes through it.
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#card svg.qr")))
	number := text(t, ctx, "#card .number")
	s.srv.CloseClientConnections()
	s.srv.Listener.Close()
	do(t, ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#card svg.qr")))
	if got := text(t, ctx, "#card .number"); got != number || !ready {
		t.Fatalf("offline the card shows %q, want %q", got, number)
	}
	shot(t, ctx, "card-offline")
}
