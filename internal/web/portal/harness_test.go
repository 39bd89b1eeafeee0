package portal_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/app"
	"github.com/loyal-b2b/loyal/internal/config"
	"github.com/loyal-b2b/loyal/internal/ledger"
	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/clock"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/program"
	"github.com/loyal-b2b/loyal/internal/reward"
	"github.com/loyal-b2b/loyal/internal/store"
	"github.com/loyal-b2b/loyal/internal/store/storetest"
	"github.com/loyal-b2b/loyal/internal/tenant"
)

// site is a running server with a tenant "acme": a running points program
// with employee terms and a reward management must approve, and two
// dealers, each with a director (owner) and a foreman.
type site struct {
	t        testing.TB
	app      *app.App
	srv      *httptest.Server
	clock    clock.Clock
	sys      access.Principal
	program  program.Program
	pt       ledger.PointType
	drill    reward.Item
	brick    party.Organization
	vera     party.Organization
	director party.Member // Brick's owner
	foreman  party.Member // Brick's foreman
	other    party.Member // Vera's owner
	mailer   *app.LogMailer
	texter   *app.LogTexter
}

func newSite(t testing.TB, db *store.DB, clk clock.Clock) *site {
	return newSiteWith(t, db, clk, config.Config{})
}

// newSiteWith is newSite with a configuration (an SMTP server, say).
func newSiteWith(t testing.TB, db *store.DB, clk clock.Clock, cfg config.Config) *site {
	t.Helper()
	ctx := context.Background()
	a := app.New(cfg, slog.New(slog.DiscardHandler), clk, db, nil)
	s := &site{t: t, app: a, clock: clk, texter: a.Texter.(*app.LogTexter)}
	s.mailer, _ = a.Mailer.(*app.LogMailer)
	s.srv = httptest.NewServer(a.Server("test"))
	t.Cleanup(s.srv.Close)
	a.SetPublicURL(s.srv.URL)
	tn, err := a.Tenants.CreateTenant(ctx, "acme", "Acme Building Products")
	must(t, err)
	s.sys = access.System(tn.ID)
	s.program, s.pt = s.runningProgram()
	s.brick = s.org("Brick & Beam Ltd", "R-1")
	s.vera = s.org("Vera's Roofing", "R-2")
	s.director = s.member(s.brick, "Diana Director", party.RoleOwner, "diana@brick.example", "+447700900001")
	s.foreman = s.member(s.brick, "Ivan Foreman", party.RoleForeman, "ivan@brick.example", "+447700900002")
	s.other = s.member(s.vera, "Vera Owner", party.RoleOwner, "vera@vera.example", "+447700900003")
	_, err = a.Programs.PublishTerms(ctx, s.sys, s.program.ID, program.TermsInput{Title: "Employee rewards", Body: "Your employees earn points for their own sales."})
	must(t, err)
	s.drill, err = a.Rewards.Create(ctx, s.sys, reward.ItemInput{Kind: reward.Merchandise, Name: "Cordless drill", PointTypeID: s.pt.ID,
		Price: 100, RolePrices: map[string]int64{"foreman": 80}, MoneyValue: 5000, NeedsManagement: true})
	must(t, err)
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (s *site) org(name, ext string) party.Organization {
	o, err := s.app.Party.CreateOrganization(context.Background(), s.sys, party.OrgInput{Type: party.Dealer, Name: name, ExternalID: ext})
	must(s.t, err)
	return o
}

func (s *site) member(o party.Organization, name string, role party.Role, email, phone string) party.Member {
	m, err := s.app.Party.CreateMember(context.Background(), s.sys, party.MemberInput{OrganizationID: o.ID, Name: name,
		Roles: []party.Role{role}, Email: email, Phone: phone})
	must(s.t, err)
	return m
}

// runningProgram is an active program earning 10% of invoices and claims.
func (s *site) runningProgram() (program.Program, ledger.PointType) {
	ctx := context.Background()
	pr, err := s.app.Programs.Create(ctx, s.sys, program.Input{Name: "Dealer Club"})
	must(s.t, err)
	pt, err := s.app.Ledger.CreatePointType(ctx, s.sys, pr.ID, ledger.PointTypeInput{Code: "points", Name: "Club points", Unit: "points",
		Currency: "GBP", ValueNum: 1, ValueDen: 1, Expiry: "never", ApprovalAbove: 100000})
	must(s.t, err)
	def, _ := json.Marshal(map[string]any{"currency": "GBP", "point_type_id": pt.ID, "beneficiary": "both", "rules": []map[string]any{{"id": "ten", "name": "10% back",
		"events": []string{"invoice", "claim"}, "effects": []map[string]any{{"type": "earn", "percent_bp": 1000}}}}})
	_, err = s.app.Programs.AddVersion(ctx, s.sys, pr.ID, program.VersionInput{Definition: def})
	must(s.t, err)
	pr, err = s.app.Programs.SetStatus(ctx, s.sys, pr.ID, program.StatusInput{Status: program.Active})
	must(s.t, err)
	return pr, pt
}

// earn credits a member's wallet directly, with a reason.
func (s *site) earn(m party.Member, amount int64, reason string) {
	_, err := s.app.Ledger.Earn(context.Background(), s.sys, ledger.EarnInput{IdemKey: reason, Owner: ledger.Owner{Type: ledger.OwnerMember, ID: m.ID},
		PointTypeID: s.pt.ID, Amount: amount, Cause: ledger.Cause{Reason: reason}})
	must(s.t, err)
}

// browser is one person's browser: its own cookies, no redirects followed.
type browser struct {
	s  *site
	hc *http.Client
}

func (s *site) browser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{s: s, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

type response struct {
	status int
	header http.Header
	body   string
	where  string
}

func (b *browser) send(req *http.Request) response {
	b.s.t.Helper()
	resp, err := b.hc.Do(req)
	must(b.s.t, err)
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return response{status: resp.StatusCode, header: resp.Header, body: string(data), where: resp.Header.Get("Location")}
}

func (b *browser) get(path string) response {
	req, err := http.NewRequest("GET", b.s.srv.URL+path, nil)
	must(b.s.t, err)
	return b.send(req)
}

func (b *browser) post(path string, form url.Values) response {
	req, err := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(form.Encode()))
	must(b.s.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.send(req)
}

// upload posts a multipart form with one file.
func (b *browser) upload(path string, form url.Values, field, filename string, data []byte) response {
	var body strings.Builder
	w := multipart.NewWriter(&body)
	for k, vs := range form {
		for _, v := range vs {
			_ = w.WriteField(k, v)
		}
	}
	fw, _ := w.CreateFormFile(field, filename)
	_, _ = fw.Write(data)
	_ = w.Close()
	req, err := http.NewRequest("POST", b.s.srv.URL+path, strings.NewReader(body.String()))
	must(b.s.t, err)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return b.send(req)
}

var codeRE = regexp.MustCompile(`code is (\d{6})|code: (\d{6})`)

// lastCode is the code of the last mail or text sent to an address.
func (s *site) lastCode(to string) string {
	s.t.Helper()
	var mails []tenant.Mail
	if s.mailer != nil {
		mails = s.mailer.Sent()
	}
	for _, m := range slicesReverse(mails) {
		if m.To == to {
			if c := codeRE.FindStringSubmatch(m.Subject + m.Text); c != nil {
				return c[1] + c[2]
			}
		}
	}
	for _, m := range slicesReverse(s.texter.Sent()) {
		if m.To == to {
			if c := codeRE.FindStringSubmatch(m.Body); c != nil {
				return c[1] + c[2]
			}
		}
	}
	s.t.Fatalf("no code sent to %s", to)
	return ""
}

func slicesReverse[T any](in []T) []T {
	out := make([]T, len(in))
	for i, v := range in {
		out[len(in)-1-i] = v
	}
	return out
}

// signIn signs in as a member by a code sent to their e-mail.
func (b *browser) signIn(m party.Member) *browser {
	b.s.t.Helper()
	if r := b.post("/p/acme/sign-in", url.Values{"address": {m.Email}}); r.status != http.StatusOK {
		b.s.t.Fatalf("ask for a code: %d\n%s", r.status, r.body)
	}
	r := b.post("/p/acme/code", url.Values{"address": {m.Email}, "code": {b.s.lastCode(m.Email)}})
	if r.status != http.StatusSeeOther || r.where != "/p/" {
		b.s.t.Fatalf("sign in as %s: %d %s\n%s", m.Name, r.status, r.where, r.body)
	}
	return b
}

// each runs fn on a fresh site on every engine.
func each(t *testing.T, fn func(t *testing.T, s *site)) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		fn(t, newSite(t, db, clock.NewFake(time.Now().UTC().Truncate(time.Millisecond))))
	})
}

func pageReq() page.Request { return page.Request{Limit: 50} }

// memberP is a member's principal, as the portal acts for them.
func memberP(s *site, m party.Member) access.Principal { return access.Member(s.sys.TenantID, m.ID) }
