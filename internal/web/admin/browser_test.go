package admin_test

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
)

// Browser tests drive Debian's chromium (apt-get install -y chromium;
// .ci/run installs it). In CI (CI set) a missing chromium fails the test;
// elsewhere the tests skip, saying how to install it. They run on SQLite:
// what they check is the pages' behaviour, which the HTTP tests check on
// both engines. With LOYAL_SCREENSHOTS=1 they refresh docs/screenshots/.

// chromiumPath finds the browser or ends the test as described above.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "/usr/bin/chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") != "" {
		t.Fatal("chromium is not installed: apt-get install -y chromium (.ci/run does this)")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); browser tests skipped outside CI")
	return ""
}

// Viewports of the screenshots and journeys.
var (
	desktop = [2]int64{1280, 900}
	phone   = [2]int64{390, 844}
)

// tab opens a fresh headless chromium (its own profile) at a viewport.
func tab(t *testing.T, size [2]int64) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)), chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true), chromedp.NoFirstRun, chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true), chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(int(size[0]), int(size[1])),
	}
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelC := chromedp.NewContext(actx)
	ctx, cancelT := context.WithTimeout(ctx, 60*time.Second)
	t.Cleanup(func() { cancelT(); cancelC(); cancelA() })
	mobile := []chromedp.EmulateViewportOption{}
	if size == phone {
		mobile = append(mobile, chromedp.EmulateMobile, chromedp.EmulateScale(2))
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(size[0], size[1], mobile...)); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return ctx
}

func browserConsole(t *testing.T) *console {
	chromiumPath(t)
	return newConsole(t, storetest.Open(t, store.SQLite), clock.System{})
}

// shot saves a full-page screenshot as docs/screenshots/<name>.png when
// LOYAL_SCREENSHOTS is set, else in a temporary directory.
func shot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	img, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	dir := t.TempDir()
	if os.Getenv("LOYAL_SCREENSHOTS") != "" {
		_, file, _, _ := runtime.Caller(0)
		dir = filepath.Join(filepath.Dir(file), "..", "..", "..", "docs", "screenshots")
	}
	must(t, os.MkdirAll(dir, 0o755))
	must(t, os.WriteFile(filepath.Join(dir, name+".png"), img, 0o644))
}

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel), chromedp.NodeVisible))
	if err != nil {
		t.Fatalf("text of %s: %v", sel, err)
	}
	return strings.TrimSpace(s)
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// signIn fills the sign-in form as a person would.
func (c *console) signInSteps(role, pw string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(c.srv.URL+"/admin/sign-in"),
		chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-workspace"), "acme"),
		chromedp.SendKeys(chromedp.CSS("#f-email"), c.staff[role].Email),
		chromedp.SendKeys(chromedp.CSS("#f-password"), pw),
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
		if after = text(t, ctx, `[data-kpi="sales-today"]`); after != before {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if after == before || !strings.Contains(after, "993.80") {
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
