package admin

import (
	"net/http"
	"strconv"

	"github.com/loyal-b2b/loyal/internal/access"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/tenant"
	"github.com/loyal-b2b/loyal/internal/web"
)

var settingsPage = web.Page(files, "settings.html")

// settings is the administrators' page: the tenant's approval settings,
// the staff and an invitation form.
type settings struct {
	Form   *web.Form
	Invite *web.Form
	Staff  []tenant.Staff
	Roles  []web.Option
}

func (c *Console) settingsRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/settings", c.settings)
	m.HandleFunc("POST "+Root+"/settings", c.saveSettings)
	m.HandleFunc("POST "+Root+"/settings/invite", c.invite)
}

func (c *Console) settings(w http.ResponseWriter, r *http.Request) {
	c.showSettings(w, r, nil, nil, http.StatusOK)
}

func (c *Console) showSettings(w http.ResponseWriter, r *http.Request, f, inv *web.Form, status int) {
	ctx, p := r.Context(), web.Principal(r)
	staff, err := c.svc.Tenants.ListStaff(ctx, p, page.Request{Limit: 200})
	if err == nil && f == nil {
		// Only administrators see the page at all.
		err = p.Can(access.Administer)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	if f == nil {
		t, err := c.svc.Tenants.Current(ctx, p)
		if err != nil {
			c.fail(w, r, err)
			return
		}
		f = web.NewForm()
		f.Set("adjust_limit", strconv.FormatInt(t.AdjustLimit, 10))
		if t.VersionApproval {
			f.Set("version_approval", "on")
		}
	}
	if inv == nil {
		inv = web.NewForm()
		inv.Set("role", string(tenant.RoleSupport))
	}
	l := c.kit.Locale(r)
	d := settings{Form: f, Invite: inv, Staff: staff.Items}
	for _, role := range tenant.Roles {
		d.Roles = append(d.Roles, web.Option{Value: string(role), Label: l.T("role." + string(role))})
	}
	c.kit.Render(w, r, status, settingsPage, c.view(r, "settings", "settings.title", d))
}

func (c *Console) saveSettings(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	limit, err := strconv.ParseInt(f.Get("adjust_limit"), 10, 64)
	if err != nil {
		f.Invalid("adjust_limit", c.kit.Locale(r).T("settings.limit_invalid"))
		c.showSettings(w, r, f, nil, http.StatusUnprocessableEntity)
		return
	}
	_, err = c.svc.Tenants.PutSettings(r.Context(), web.Principal(r), tenant.Settings{VersionApproval: f.Get("version_approval") == "on", AdjustLimit: limit})
	if err != nil {
		if errs.Is(err, errs.Forbidden) {
			c.fail(w, r, err)
			return
		}
		c.showSettings(w, r, f, nil, f.Fail(err, nil))
		return
	}
	http.Redirect(w, r, Root+"/settings?done=saved", http.StatusSeeOther)
}

// invite creates a staff user and mails them a link to choose a password;
// the same form sent twice invites once.
func (c *Console) invite(w http.ResponseWriter, r *http.Request) {
	f := web.ReadForm(r)
	p := web.Principal(r)
	next, err := c.kit.Once(r.Context(), p.TenantID, f, "invite", func() (string, error) {
		_, err := c.svc.Tenants.Invite(r.Context(), p, tenant.StaffInput{Email: f.Get("email"), Name: f.Get("name"), Role: tenant.Role(f.Get("role"))})
		return Root + "/settings?done=invited", err
	})
	if err != nil {
		if errs.Is(err, errs.Forbidden) {
			c.fail(w, r, err)
			return
		}
		c.showSettings(w, r, nil, f, f.Fail(err, nil))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}
