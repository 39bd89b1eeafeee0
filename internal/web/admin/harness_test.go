package admin_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/claim"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/events"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// password is every test staff user's.
const password = "correct horse battery"

// console is a running server with a tenant "acme": a staff user per
// role, two account managers' dealers, a running points program whose
// wallet a dealer already holds, and an API key.
type console struct {
	t       *testing.T
	app     *app.App
	srv     *httptest.Server
	clock   clock.Clock
	sys     access.Principal
	staff   map[string]tenant.Staff // by role; "account_manager2" is a second one
	tomOrg  party.Organization      // managed by account_manager
	veraOrg party.Organization      // managed by account_manager2
	program program.Program
	pt      ledger.PointType
	key     string // an admin API key
	mailer  *app.LogMailer
}

func newConsole(t *testing.T, db *store.DB, clk clock.Clock) *console {
	t.Helper()
	ctx := context.Background()
	a := app.New(config.Config{}, slog.New(slog.DiscardHandler), clk, db, nil)
	c := &console{t: t, app: a, clock: clk, staff: map[string]tenant.Staff{}, mailer: a.Mailer.(*app.LogMailer)}
	c.srv = httptest.NewServer(a.Server("test"))
	t.Cleanup(c.srv.Close)
	a.SetPublicURL(c.srv.URL)
	tn, err := a.Tenants.CreateTenant(ctx, "acme", "Acme Building Products")
	must(t, err)
	c.sys = access.System(tn.ID)
	for _, r := range []string{"admin", "program_manager", "account_manager", "account_manager2", "finance", "support", "integrator", "read_only"} {
		role := tenant.Role(strings.TrimSuffix(r, "2"))
		st, err := a.Tenants.CreateStaff(ctx, c.sys, tenant.StaffInput{Email: r + "@acme.example", Name: strings.ToUpper(r[:1]) + strings.ReplaceAll(r[1:], "_", " "), Role: role})
		must(t, err)
		must(t, a.Tenants.SetPassword(ctx, c.sys, st.ID, password))
		c.staff[r] = st
	}
	if f, ok := clk.(*clock.Fake); ok {
		f.Advance(time.Minute) // the staff exist before anything they approve is asked for (four-eyes)
	}
	c.tomOrg = c.org("Brick & Beam Ltd", "R-1", c.staff["account_manager"].ID)
	c.veraOrg = c.org("Vera's Roofing", "R-2", c.staff["account_manager2"].ID)
	c.program, c.pt = c.runningProgram()
	_, c.key, err = a.Tenants.CreateKey(ctx, c.sys, tenant.KeyInput{Name: "test", Scope: access.ScopeAdmin})
	must(t, err)
	c.invoice("INV-1", c.tomOrg, 10, 5000) // 500.00 at 10%: 50 points
	return c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (c *console) org(name, ext, manager string) party.Organization {
	o, err := c.app.Party.CreateOrganization(context.Background(), c.sys, party.OrgInput{Type: party.Dealer, Name: name, ExternalID: ext,
		Region: "North", AccountManagerID: manager})
	must(c.t, err)
	return o
}

// runningProgram is an active program earning 10% of invoices and claims.
func (c *console) runningProgram() (program.Program, ledger.PointType) {
	ctx := context.Background()
	pr, err := c.app.Programs.Create(ctx, c.sys, program.Input{Name: "Dealer Club"})
	must(c.t, err)
	pt, err := c.app.Ledger.CreatePointType(ctx, c.sys, pr.ID, ledger.PointTypeInput{Code: "points", Name: "Club points", Unit: "points",
		Currency: "GBP", ValueNum: 1, ValueDen: 1, Expiry: "never", ApprovalAbove: 100000})
	must(c.t, err)
	def, _ := json.Marshal(map[string]any{"currency": "GBP", "point_type_id": pt.ID, "rules": []map[string]any{{"id": "ten", "name": "10% back",
		"events": []string{"invoice", "claim"}, "effects": []map[string]any{{"type": "earn", "percent_bp": 1000}}}}})
	_, err = c.app.Programs.AddVersion(ctx, c.sys, pr.ID, program.VersionInput{Definition: def})
	must(c.t, err)
	pr, err = c.app.Programs.SetStatus(ctx, c.sys, pr.ID, program.StatusInput{Status: program.Active})
	must(c.t, err)
	return pr, pt
}

// invoice sends an invoice of qty × price (pence) for an organization, now.
func (c *console) invoice(ext string, o party.Organization, qty, price int64) events.Result {
	res, err := c.app.Events.IngestOne(context.Background(), c.sys, events.Input{Type: "invoice", Source: "erp", ExternalID: ext,
		OccurredAt: c.clock.Now(), Organization: o.ID, Currency: "GBP", Lines: []events.LineInput{{SKU: "BRICK-1", Category: "bricks", Qty: qty, UnitPrice: price}}}, false)
	must(c.t, err)
	return res
}

// claim submits a sales claim of the organization with a PDF.
func (c *console) claim(number string, o party.Organization) claim.Claim {
	ctx := context.Background()
	m, err := c.app.Party.CreateMember(ctx, c.sys, party.MemberInput{OrganizationID: o.ID, Name: "Hannah Moss " + number, Roles: []party.Role{"sales"}})
	must(c.t, err)
	pdf := "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n% " + number + "\n"
	cl, err := c.app.Claims.Submit(ctx, c.sys, claim.Submission{ProgramID: c.program.ID, Member: m.ID, InvoiceNumber: number,
		InvoiceDate: c.clock.Now().AddDate(0, 0, -1).Format(time.DateOnly), EndCustomer: "Harbour Homes", Currency: "GBP",
		Lines:    []claim.ClaimLine{{SKU: "BRICK-1", Category: "bricks", Qty: 10, UnitPrice: 5000}},
		Document: &claim.DocumentInput{Filename: number + ".pdf", ContentType: "application/pdf", Data: base64.StdEncoding.EncodeToString([]byte(pdf))}})
	must(c.t, err)
	return cl
}

// wallet is an organization's club points account.
func (c *console) wallet(o party.Organization) ledger.Account {
	bs, err := c.app.Ledger.Balances(context.Background(), c.sys, ledger.Owner{Type: ledger.OwnerOrganization, ID: o.ID}, 0)
	must(c.t, err)
	if len(bs) == 0 {
		c.t.Fatalf("%s has no wallet", o.Name)
	}
	return bs[0].Account
}

// browser is an HTTP client with its own cookies, as one person's browser.
type browser struct {
	c  *console
	hc *http.Client
}

func (c *console) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{c: c, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// page is a response read whole.
type response struct {
	status int
	header http.Header
	body   string
	where  string // Location of a redirect
}

func (b *browser) do(method, path string, form url.Values, hdr ...string) response {
	b.c.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, b.c.srv.URL+path, body)
	must(b.c.t, err)
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := b.hc.Do(req)
	must(b.c.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data), where: resp.Header.Get("Location")}
}

func (b *browser) get(path string) response                   { return b.do("GET", path, nil) }
func (b *browser) post(path string, form url.Values) response { return b.do("POST", path, form) }

// signIn signs in as the staff user of a role and fails the test unless
// it lands on the dashboard.
func (b *browser) signIn(role string) *browser {
	b.c.t.Helper()
	p := b.post("/admin/sign-in", url.Values{"workspace": {"acme"}, "email": {b.c.staff[role].Email}, "password": {password}})
	if p.status != http.StatusSeeOther || p.where != "/admin/" {
		b.c.t.Fatalf("sign-in as %s: %d %s\n%s", role, p.status, p.where, p.body)
	}
	return b
}

// each runs fn on a fresh console on every engine.
func each(t *testing.T, fn func(t *testing.T, c *console)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newConsole(t, db, clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))))
	})
}

func pageReq() page.Request { return page.Request{Limit: 20} }

func putSettings(c *console, versionApproval bool) error {
	_, err := c.app.Tenants.PutSettings(c.t.Context(), c.sys, tenant.Settings{VersionApproval: versionApproval, AdjustLimit: 1000})
	return err
}

// pendingVersion submits version 2 of the club as a staff user.
func (c *console) pendingVersion(staffID string) program.Version {
	p := c.sys
	p.ActorType, p.ActorID, p.StaffID = "staff", staffID, staffID
	def, _ := json.Marshal(map[string]any{"currency": "GBP", "point_type_id": c.pt.ID, "rules": []map[string]any{{"id": "twenty", "name": "20% back",
		"events": []string{"invoice"}, "effects": []map[string]any{{"type": "earn", "percent_bp": 2000}}}}})
	v, err := c.app.Programs.AddVersion(c.t.Context(), p, c.program.ID, program.VersionInput{Definition: def})
	must(c.t, err)
	if v.Approval != program.VersionPending {
		c.t.Fatalf("version %+v is not pending", v)
	}
	return v
}
