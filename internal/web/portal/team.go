package portal

import (
	"net/http"

	"github.com/loyal-b2b/loyal/internal/party"
	"github.com/loyal-b2b/loyal/internal/platform/errs"
	"github.com/loyal-b2b/loyal/internal/platform/page"
	"github.com/loyal-b2b/loyal/internal/web"
)

var teamPage = parse("team.html")

// team is management's list of the organization's people with the forms
// to invite one, change roles, and deactivate or reactivate.
type team struct {
	Members []party.Member
	Roles   []party.Role
	Form    *web.Form
}

func (c *Portal) teamRoutes(m *http.ServeMux) {
	m.HandleFunc("GET "+Root+"/manage/team", c.team)
	m.HandleFunc("POST "+Root+"/manage/team", c.inviteMember)
	m.HandleFunc("POST "+Root+"/manage/team/{id}", c.changeMember)
}

func (c *Portal) team(w http.ResponseWriter, r *http.Request) {
	f := web.NewForm()
	f.Set("role", string(party.RoleSales))
	c.showTeam(w, r, f, http.StatusOK)
}

func (c *Portal) showTeam(w http.ResponseWriter, r *http.Request, f *web.Form, status int) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	ms, err := c.people(r, me)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	c.kit.Render(w, r, status, teamPage, c.view(r, me, "team", "portal.team.title", team{Members: ms, Roles: party.Roles, Form: f}))
}

// people lists the organization's members (its own only: the filter is
// the manager's organization).
func (c *Portal) people(r *http.Request, me *self) ([]party.Member, error) {
	res, err := c.svc.Party.ListMembers(r.Context(), me.P, party.MemberFilter{OrganizationID: me.Org.ID}, page.Request{Limit: page.MaxLimit})
	return res.Items, err
}

// inviteMember adds a person to the organization and sends them a
// sign-in link.
func (c *Portal) inviteMember(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	f := web.ReadForm(r)
	next, err := c.kit.Once(r.Context(), me.Tenant.ID, f, "portal-invite:"+me.Org.ID, func() (string, error) {
		m, err := c.svc.Party.CreateMember(r.Context(), me.P, party.MemberInput{OrganizationID: me.Org.ID, Name: f.Get("name"),
			Email: f.Get("email"), Phone: f.Get("phone"), Roles: []party.Role{party.Role(f.Get("role"))}})
		if err != nil {
			return "", err
		}
		if err := c.svc.Auth.Invite(r.Context(), me.Tenant, m); err != nil {
			// The member exists; only the message failed (no SMS provider,
			// say): saying so beats a form that would add them twice.
			c.kit.Log.WarnContext(r.Context(), "portal invitation not sent", "member", m.ID, "err", err)
			return Root + "/manage/team?done=invite_unsent", nil
		}
		return Root + "/manage/team?done=invited", nil
	})
	if err != nil {
		c.showTeam(w, r, f, f.Fail(err, nil))
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// changeMember changes one of the organization's members: role, or
// status (deactivate/reactivate). Another organization's member is 404,
// and a manager cannot deactivate themselves.
func (c *Portal) changeMember(w http.ResponseWriter, r *http.Request) {
	me, ok := c.manager(w, r)
	if !ok {
		return
	}
	ctx, id := r.Context(), r.PathValue("id")
	m, err := c.svc.Party.GetMember(ctx, me.P, id)
	if err == nil && m.OrganizationID != me.Org.ID {
		err = errs.NotFoundf("member", id)
	}
	if err != nil {
		c.fail(w, r, err)
		return
	}
	f := web.ReadForm(r)
	var patch party.MemberPatch
	if st := f.Get("status"); st != "" {
		if id == me.Member.ID {
			c.fail(w, r, errs.E(errs.Conflict, "self", "you cannot deactivate yourself; ask the operator"))
			return
		}
		patch.Status = &st
	}
	if role := f.Get("role"); role != "" {
		roles := []party.Role{party.Role(role)}
		patch.Roles = &roles
	}
	if _, err := c.svc.Party.UpdateMember(ctx, me.P, id, patch); err != nil {
		c.fail(w, r, err)
		return
	}
	http.Redirect(w, r, Root+"/manage/team?done=changed", http.StatusSeeOther)
}
