package portal

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/throttle"
	"github.com/loyal-b2b/loyal/internal/signup"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

var joinPage = parse("join.html")

// JoinRate is how many registrations one client address may send.
var JoinRate = throttle.Rate{Every: 20 * time.Second, Burst: 5} // 5, then one every 20 seconds

// honeypot is a field people do not see and bots fill in.
const honeypot = "website"

// join is the public registration form of a program.
type join struct {
	Tenant  tenant.Tenant
	Program string
	Form    signup.Form
	Values  *web.Form
	Fields  []web.Field
}

func (c *Portal) joinRoutes() {
	c.mux.HandleFunc("GET "+Root+"/{slug}/join/{program}", c.joinForm)
	c.mux.HandleFunc("POST "+Root+"/{slug}/join/{program}", c.register)
	c.mux.HandleFunc("GET /r/{code}", c.referralLink)
}

// referralLink opens the registration form with the code filled in.
func (c *Portal) referralLink(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	tenantID, programID, err := c.svc.Signup.Referral(r.Context(), code)
	var t tenant.Tenant
	if err == nil {
		t, err = c.tenantByID(r, tenantID)
	}
	if err != nil {
		c.fail(w, r, errs.E(errs.NotFound, "unknown_link", "this invitation link is not known, or its program takes no registrations now"))
		return
	}
	http.Redirect(w, r, Root+"/"+t.Slug+"/join/"+programID+"?ref="+url.QueryEscape(strings.ToUpper(code)), http.StatusSeeOther)
}

func (c *Portal) joinForm(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("referral", r.URL.Query().Get("ref"))
	c.showJoin(w, r, f, http.StatusOK)
}

func (c *Portal) showJoin(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	t, err := c.svc.Tenants.TenantBySlug(r.Context(), r.PathValue("slug"))
	var form signup.Form
	var name string
	if err == nil {
		form, name, err = c.svc.Signup.PublicForm(r.Context(), t.ID, r.PathValue("program"))
	}
	if err != nil {
		c.fail(w, r, errs.E(errs.NotFound, "no_registration", "there is no registration form here"))
		return
	}
	d := join{Tenant: t, Program: name, Form: form, Values: f, Fields: c.fields(r, form, f)}
	c.kit.Render(w, r, status, joinPage, c.view(r, nil, "", "portal.join.title", d))
}

// register registers the person and sends a sign-in code to their phone
// (else e-mail); the page after is the same for a new and a known person.
func (c *Portal) register(w http.ResponseWriter, r *http.Request) {
	f, l := web.ReadForm(r), c.kit.Locale(r)
	if ok, _ := c.svc.Limiter.Allow("join:"+web.ClientAddress(r), JoinRate); !ok {
		f.Error = l.T("portal.join.slow")
		c.showJoin(w, r, f, http.StatusTooManyRequests)
		return
	}
	t, err := c.svc.Tenants.TenantBySlug(r.Context(), r.PathValue("slug"))
	if err != nil {
		c.fail(w, r, errs.E(errs.NotFound, "no_registration", "there is no registration form here"))
		return
	}
	to := f.Get("phone")
	if to == "" {
		to = f.Get("email")
	}
	if f.Get(honeypot) != "" { // a bot: it sees what a person sees, and nothing is done
		c.codeSent(w, r, t, to)
		return
	}
	res, err := c.svc.Signup.Register(r.Context(), t.ID, r.PathValue("program"), c.joinInput(r, f))
	if err == nil {
		err = c.issueCard(r.Context(), t.ID, r.PathValue("program"), res.Member.ID)
	}
	if err == nil {
		err = c.svc.Auth.SendTo(r.Context(), t, res.Member, contactOf(res, f))
	}
	if err != nil {
		c.showJoin(w, r, f, f.Fail(err, nil))
		return
	}
	c.codeSent(w, r, t, contactOf(res, f))
}

// contactOf is where the code goes: the typed phone, if it is the
// member's, else the typed e-mail.
func contactOf(res signup.Result, f *web.Form) string {
	if p := f.Get("phone"); p != "" && strings.ReplaceAll(p, " ", "") == res.Member.Phone {
		return res.Member.Phone
	}
	if res.Member.Phone != "" && f.Get("email") == "" {
		return res.Member.Phone
	}
	return res.Member.Email
}

// codeSent shows the code page for the address.
func (c *Portal) codeSent(w http.ResponseWriter, r *http.Request, t tenant.Tenant, address string) {
	code := web.NewForm()
	code.Set("address", address)
	c.kit.Render(w, r, http.StatusOK, codePage, c.view(r, nil, "", "portal.code.title", signIn{Slug: t.Slug, Form: code}))
}

func (c *Portal) tenantByID(r *http.Request, id string) (tenant.Tenant, error) {
	return c.svc.Tenants.Current(r.Context(), systemOf(id))
}
