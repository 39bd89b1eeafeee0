package admin_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/web/browsertest"
)

// Browser tests drive Debian's chromium through internal/web/browsertest.
// They run on SQLite: what they check is the pages' behaviour, which the
// HTTP tests check on both engines. With LOYAL_SCREENSHOTS=1 they refresh
// docs/screenshots/.

var (
	desktop = browsertest.Desktop
	phone   = browsertest.Phone
)

func chromiumPath(t *testing.T) string { return browsertest.Chromium(t) }

func tab(t *testing.T, size [2]int64) context.Context { return browsertest.Tab(t, size) }

func shot(t *testing.T, ctx context.Context, name string) { browsertest.Shot(t, ctx, name) }

func text(t *testing.T, ctx context.Context, sel string) string { return browsertest.Text(t, ctx, sel) }

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	browsertest.Do(t, ctx, steps...)
}

func browserConsole(t *testing.T) *console {
	chromiumPath(t)
	return newConsole(t, storetest.Open(t, store.SQLite), clock.System{})
}

// signIn fills the sign-in form as a person would. Each field is emptied
// first, so that the steps hold when browsertest.Do runs them once more
// (a redirect voided a node) on a form that kept what was typed.
func (c *console) signInSteps(role, pw string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(c.srv.URL+"/admin/sign-in"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.Clear(chromedp.CSS("#f-workspace")), chromedp.SendKeys(chromedp.CSS("#f-workspace"), "acme"),
		chromedp.Clear(chromedp.CSS("#f-email")), chromedp.SendKeys(chromedp.CSS("#f-email"), c.staff[role].Email),
		chromedp.Clear(chromedp.CSS("#f-password")), chromedp.SendKeys(chromedp.CSS("#f-password"), pw),
		chromedp.Submit(chromedp.CSS("#f-password")),
	)
}

func TestBrowserSignInWrongPasswordSignOut(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, desktop)
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/"), chromedp.WaitVisible(chromedp.CSS("#f-password")))
	do(t, ctx, c.signInSteps("admin", "not my password"), chromedp.WaitVisible(chromedp.CSS(".form-error")))
	if got := text(t, ctx, ".form-error"); got != "The workspace, e-mail or password is wrong." {
		t.Errorf("wrong password says %q", got)
	}
	shot(t, ctx, "signin-wrong-password")
	do(t, ctx, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS(`[data-kpi="sales-today"]`)))
	if !strings.Contains(text(t, ctx, "details.user summary"), c.staff["admin"].Name) {
		t.Error("the header does not show who is signed in")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS("details.user summary")), chromedp.Click(chromedp.CSS(`form[action="/admin/sign-out"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#f-password")))
	if got := text(t, ctx, ".flash"); got != "You are signed out." {
		t.Errorf("after sign-out: %q", got)
	}
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/organizations"), chromedp.WaitVisible(chromedp.CSS("#f-password")))
}

func TestBrowserAccountManagerRefusedOthersOrganization(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("account_manager", password), chromedp.WaitVisible(chromedp.CSS("#live")))
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/organizations/"+c.veraOrg.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := text(t, ctx, "main h1"); got != "Not allowed" {
		t.Errorf("another manager's organization shows %q", got)
	}
	shot(t, ctx, "account-manager-refused")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/organizations/"+c.tomOrg.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	if got := text(t, ctx, "main h1"); got != c.tomOrg.Name {
		t.Errorf("own organization shows %q", got)
	}
}

func TestBrowserSupportAboveLimitGoesToApproval(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, desktop)
	acct := c.wallet(c.tomOrg)
	do(t, ctx, c.signInSteps("support", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/accounts/"+acct.ID), chromedp.WaitVisible(chromedp.CSS("#f-amount")),
		chromedp.SendKeys(chromedp.CSS("#f-amount"), "5000"),
		chromedp.SendKeys(chromedp.CSS("#f-note"), "Lost pallet on delivery 4471"),
		chromedp.Submit(chromedp.CSS("#f-amount")), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := text(t, ctx, ".flash"); !strings.Contains(got, "waits in the approval inbox") {
		t.Errorf("after a big adjustment: %q", got)
	}
	shot(t, ctx, "support-adjustment-waits")
	if got := c.wallet(c.tomOrg).Available; got != acct.Available {
		t.Errorf("the adjustment above the limit was posted: %d → %d", acct.Available, got)
	}
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/approvals"), chromedp.WaitVisible(chromedp.CSS(".inbox")))
	if got := text(t, ctx, "[id^=adjustment-]"); !strings.Contains(got, "Lost pallet") || !strings.Contains(got, "You requested this") {
		t.Errorf("inbox shows %q", got)
	}
}

func TestBrowserLiveDashboardShowsNewInvoice(t *testing.T) {
	c := browserConsole(t)
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("finance", password), chromedp.WaitVisible(chromedp.CSS(`[data-kpi="sales-today"]`)))
	before := text(t, ctx, `[data-kpi="sales-today"]`)
	// An invoice through the API, as an ERP sends it.
	body := `{"type":"invoice","source":"erp","external_id":"INV-LIVE-1","occurred_at":"` + time.Now().UTC().Format(time.RFC3339) +
		`","organization":"ext:R-1","currency":"GBP","lines":[{"sku":"BRICK-1","qty":4,"unit_price":12345}]}`
	req, _ := http.NewRequest("POST", c.srv.URL+"/v1/events", bytes.NewBufferString(body))
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	must(t, err)
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
		t.Fatalf("API invoice: %d", resp.StatusCode)
	}
	sent := time.Now()
	var after string
	for time.Since(sent) < 5*time.Second {
		// A read while the poll swaps the figures in may find them empty:
		// only the new figure ends the wait.
		if after = text(t, ctx, `[data-kpi="sales-today"]`); strings.Contains(after, "993.80") {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(after, "993.80") {
		t.Fatalf("the dashboard did not show the invoice within 5 s without reload: %q → %q", before, after)
	}
	shot(t, ctx, "dashboard-desktop")
}

func TestBrowserClaimApprovedFromQueue(t *testing.T) {
	c := browserConsole(t)
	cl := c.claim("CL-7001", c.tomOrg)
	before := c.wallet(c.tomOrg).Available
	ctx := tab(t, desktop)
	do(t, ctx, c.signInSteps("program_manager", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/approvals"), chromedp.WaitVisible(chromedp.CSS("#claim-"+cl.ID)))
	shot(t, ctx, "approvals-claim")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#claim-`+cl.ID+` form[action$="/approve"] button`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := text(t, ctx, ".flash"); got != "Approved." {
		t.Errorf("after approving: %q", got)
	}
	if got := c.wallet(c.tomOrg).Available; got != before+5000 {
		t.Errorf("balance %d after the claim, want %d", got, before+5000)
	}
}

// The pages a newcomer sees, on a phone and a desktop, and in Persian
// (right to left).
func TestBrowserScreenshots(t *testing.T) {
	c := browserConsole(t)
	c.claim("CL-7002", c.veraOrg)
	c.invoice("INV-2", c.veraOrg, 30, 2150)
	_, _, err := c.app.Ledger.Adjust(t.Context(), c.sys, ledger.AdjustInput{AccountID: c.wallet(c.tomOrg).ID, Amount: -120, Reason: "damaged goods returned", IdemKey: "shot-1"})
	must(t, err)
	acct := c.wallet(c.tomOrg)
	ctx := tab(t, phone)
	do(t, ctx, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS("#live")))
	shot(t, ctx, "dashboard-phone")
	do(t, ctx, chromedp.Navigate(c.srv.URL+"/admin/organizations/"+c.tomOrg.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, ctx, "organization-phone")
	desk := tab(t, desktop)
	do(t, desk, c.signInSteps("admin", password), chromedp.WaitVisible(chromedp.CSS("#live")),
		chromedp.Navigate(c.srv.URL+"/admin/organizations/"+c.tomOrg.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, desk, "organization-desktop")
	do(t, desk, chromedp.Navigate(c.srv.URL+"/admin/accounts/"+acct.ID), chromedp.WaitVisible(chromedp.CSS("main h1")))
	shot(t, desk, "statement-desktop")
	do(t, desk, chromedp.Navigate(c.srv.URL+"/admin/"), chromedp.WaitVisible(chromedp.CSS("#lang-select")),
		chromedp.SetValue(chromedp.CSS("#lang-select"), "fa"), chromedp.Submit(chromedp.CSS("#lang-select")),
		chromedp.WaitVisible(chromedp.CSS(`html[dir="rtl"] #live`)))
	if got := text(t, desk, "main h1"); got != "داشبورد" {
		t.Errorf("Persian dashboard heading %q", got)
	}
	shot(t, desk, "dashboard-persian-rtl")
	do(t, desk, chromedp.SetValue(chromedp.CSS("#lang-select"), "ru"), chromedp.Submit(chromedp.CSS("#lang-select")),
		chromedp.WaitVisible(chromedp.CSS(`html[lang="ru"] #live`)))
	if got := text(t, desk, "main h1"); got != "Сводка" {
		t.Errorf("Russian dashboard heading %q", got)
	}
	shot(t, desk, "dashboard-russian")
}
